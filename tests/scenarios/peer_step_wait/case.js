const t0 = Date.now();
VoxEngine.addEventListener(AppEvents.CallAlerting, (e) => {
  e.call.handleTones(true);
  e.call.addEventListener(CallEvents.ToneReceived, (t) => Logger.write('tone ' + t.tone + ' at ' + (Date.now() - t0)));
  e.call.addEventListener(CallEvents.Disconnected, () => { Logger.write('hung up at ' + (Date.now() - t0)); VoxEngine.terminate(); });
  e.call.answer();
});
