VoxEngine.addEventListener(AppEvents.HttpRequest, (e) => {
  if (e.content === 'spin') { while (true) {} }
  return 'ok ' + e.content;
});
VoxEngine.addEventListener(AppEvents.Terminating, (e) => Logger.write('terminating systemError=' + e.systemError));
VoxEngine.addEventListener(AppEvents.Terminated, (e) => Logger.write('terminated systemError=' + e.systemError));
