// Acting on a call that already ended does nothing and throws nothing.
VoxEngine.addEventListener(AppEvents.Started, () => {
  const call = VoxEngine.callPSTN('+15550000007', '+18005550100');
  call.addEventListener(CallEvents.Disconnected, () => {
    call.say('hello?');
    call.hangup();
    call.startPlayback('https://example.com/a.mp3');
    call.record();
    Logger.write('still ' + call.state());
    VoxEngine.terminate();
  });
});
