// An IVR menu: greet, collect one digit, branch, say goodbye, hang up.
VoxEngine.addEventListener(AppEvents.CallAlerting, (e) => {
  const call = e.call;
  call.addEventListener(CallEvents.Connected, () => {
    call.handleTones(true);
    call.say('Welcome. Press 1 for sales or 2 for support.');
  });
  call.addEventListener(CallEvents.ToneReceived, (t) => {
    Logger.write('caller pressed ' + t.tone);
    call.handleTones(false);
    call.say(t.tone === '1' ? 'Connecting you to sales.' : 'Support is closed today. Goodbye.');
    call.addEventListener(CallEvents.PlaybackFinished, () => call.hangup());
  });
  call.addEventListener(CallEvents.Disconnected, (d) => {
    Logger.write('disconnected: ' + d.reason + ', ' + d.duration + ' s');
    VoxEngine.terminate();
  });
  call.answer();
});
