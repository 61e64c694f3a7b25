// Tones are not handled: they are recorded, but no ToneReceived fires.
VoxEngine.addEventListener(AppEvents.CallAlerting, (e) => {
  e.call.addEventListener(CallEvents.ToneReceived, (t) => Logger.write('unexpected tone ' + t.tone));
  e.call.addEventListener(CallEvents.Disconnected, () => VoxEngine.terminate());
  e.call.answer();
});
