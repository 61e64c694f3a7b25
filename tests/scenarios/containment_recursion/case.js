function deep(n) { return deep(n + 1) + 1; }
VoxEngine.addEventListener(AppEvents.HttpRequest, (e) => {
  try { deep(0); } catch (err) { Logger.write('caught ' + err); }
  return 'survived';
});
VoxEngine.addEventListener(AppEvents.Terminating, (e) => Logger.write('terminating systemError=' + e.systemError));
