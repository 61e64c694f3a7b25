// The caller hangs up while a long prompt plays: no PlaybackFinished after that.
VoxEngine.addEventListener(AppEvents.CallAlerting, (e) => {
  const call = e.call;
  call.addEventListener(CallEvents.Connected, () => call.say('This is a very long announcement that nobody will hear to its end.'));
  call.addEventListener(CallEvents.PlaybackFinished, () => Logger.write('unexpected PlaybackFinished'));
  call.addEventListener(CallEvents.Disconnected, () => {
    Logger.write('caller left; state ' + call.state());
    call.say('too late');
    call.hangup();
    setTimeout(() => VoxEngine.terminate(), 5000);
  });
  call.answer();
});
