VoxEngine.addEventListener(AppEvents.HttpRequest, (e) => {
  let n = 0;
  if (e.content === 'short') { for (let i = 0; i < 500; i++) n++; return 'counted ' + n; }
  try { while (true) n++; } catch (err) { Logger.write('caught ' + err); }
  return 'unreachable';
});
VoxEngine.addEventListener(AppEvents.Terminating, (e) => Logger.write('terminating systemError=' + e.systemError));
