// A Terminated handler that never returns is cut off by the per-event limit too.
VoxEngine.addEventListener(AppEvents.HttpRequest, (e) => {
  VoxEngine.terminate();
  return 'bye';
});
VoxEngine.addEventListener(AppEvents.Terminating, (e) => Logger.write('terminating'));
VoxEngine.addEventListener(AppEvents.Terminated, (e) => {
  Logger.write('terminated');
  while (true) {}
});
