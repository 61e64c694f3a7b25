// An inbound call: answer it and say who called; hang up on '#'.
VoxEngine.addEventListener(AppEvents.CallAlerting, (e) => {
  const call = e.call;
  Logger.write('custom data: ' + e.customData);
  call.addEventListener(CallEvents.Connected, () => {
    call.handleTones(true);
    call.say('You called from ' + e.callerid);
  });
  call.addEventListener(CallEvents.ToneReceived, (t) => { if (t.tone === '#') call.hangup(); });
  call.addEventListener(CallEvents.Disconnected, () => VoxEngine.terminate());
  call.answer();
});
