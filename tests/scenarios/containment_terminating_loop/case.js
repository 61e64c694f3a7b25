// A Terminating handler that never returns: the per-event limit ends the session with
// "JS session error", not with the reason that started the termination.
VoxEngine.addEventListener(AppEvents.HttpRequest, (e) => {
  VoxEngine.terminate();
  return 'bye';
});
VoxEngine.addEventListener(AppEvents.Terminating, (e) => {
  Logger.write('terminating');
  while (true) {}
});
VoxEngine.addEventListener(AppEvents.Terminated, (e) => Logger.write('terminated (never runs)'));
