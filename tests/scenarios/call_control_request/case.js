// Control requests arrive while a call is up; the last one hangs it up.
let call = null;
VoxEngine.addEventListener(AppEvents.CallAlerting, (e) => { call = e.call; call.answer(); });
VoxEngine.addEventListener(AppEvents.HttpRequest, (r) => {
  if (r.path === '/hangup' && call) { call.hangup(); return 'bye'; }
  return call ? call.state() : 'no call';
});
VoxEngine.addEventListener(AppEvents.Terminating, () => Logger.write('terminating'));
