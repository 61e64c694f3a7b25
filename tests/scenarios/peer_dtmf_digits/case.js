// Collecting a PIN: one ToneReceived per digit, 100 ms apart.
const t0 = Date.now();
VoxEngine.addEventListener(AppEvents.CallAlerting, (e) => {
  let pin = '';
  e.call.handleTones(true);
  e.call.addEventListener(CallEvents.ToneReceived, (t) => {
    if (t.tone === '#') Logger.write('pin ' + pin + ' at ' + (Date.now() - t0));
    else pin += t.tone;
  });
  e.call.addEventListener(CallEvents.Disconnected, () => VoxEngine.terminate());
  e.call.answer();
});
