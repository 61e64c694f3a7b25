VoxEngine.addEventListener(AppEvents.HttpRequest, (e) => {
  if (e.content === 'spin') {
    return Promise.resolve(1).then((v) => {
      Logger.write('then callback runs, v=' + v);
      while (true) {}
    });
  }
  if (e.content === 'thenable') {
    // Promise.resolve(thenable) calls `then` in a Promise job, with `this` = the thenable.
    const thenable = {
      then(resolve) {
        Logger.write('then method runs, this is the thenable: ' + (this === thenable));
        while (true) {}
      },
    };
    return thenable;
  }
  return Promise.resolve('ok ' + e.content).then((s) => s + '!');
});
VoxEngine.addEventListener(AppEvents.Terminating, (e) => Logger.write('terminating systemError=' + e.systemError));
VoxEngine.addEventListener(AppEvents.Terminated, (e) => Logger.write('terminated systemError=' + e.systemError));
