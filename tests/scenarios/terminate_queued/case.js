VoxEngine.addEventListener(AppEvents.HttpRequest, (e) => {
  if (e.content === 'stop') { VoxEngine.terminate(); Logger.write('handler goes on after terminate()'); return 'stopping'; }
  return 'ok ' + e.content;
});
VoxEngine.addEventListener(AppEvents.Terminating, (e) => {
  Logger.write('terminating ' + JSON.stringify(e));
  const t = setTimeout(() => Logger.write('never fires'), 0);
  Logger.write('setTimeout while terminating returns ' + t);
});
VoxEngine.addEventListener(AppEvents.Terminated, (e) => Logger.write('terminated ' + JSON.stringify(e)));
