Logger.write('loading');
VoxEngine.addEventListener(AppEvents.Started, (e) => {
  Logger.write('started ' + JSON.stringify(e));
  Logger.write('typeof sessionId: ' + typeof e.sessionId);
});
VoxEngine.addEventListener(AppEvents.HttpRequest, (e) => {
  Logger.write('request ' + JSON.stringify(e));
  if (e.content === 'json') return { ok: true, n: [1, 2] };
  if (e.content === 'num') return 42;
  if (e.content === 'none') return undefined;
  if (e.content === 'throw') throw new TypeError('bad thing');
  if (e.content === 'end') { VoxEngine.terminate(); return 'bye'; }
  return 'text:' + e.method;
});
VoxEngine.addEventListener(AppEvents.Terminating, (e) => Logger.write('terminating ' + JSON.stringify(e)));
VoxEngine.addEventListener(AppEvents.Terminated, (e) => Logger.write('terminated ' + JSON.stringify(e)));
