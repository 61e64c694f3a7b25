// An inbound call hears players sent to it: a TTS player, then a URL player. A player
// that finished before it was sent (the short TTS) is not heard.
VoxEngine.addEventListener(AppEvents.CallAlerting, (e) => {
  const call = e.call;
  call.addEventListener(CallEvents.Connected, () => {
    const late = VoxEngine.createTTSPlayer('Hi');
    const tts = VoxEngine.createTTSPlayer('Hello from a player');
    tts.sendMediaTo(call);
    tts.addEventListener(PlayerEvents.PlaybackFinished, () => {
      late.sendMediaTo(call);
      const music = VoxEngine.createURLPlayer('http://example.com/music.mp3');
      music.sendMediaTo(call);
      music.addEventListener(PlayerEvents.PlaybackFinished, () => call.say('Goodbye'));
    });
  });
  call.addEventListener(CallEvents.PlaybackFinished, () => call.hangup());
  call.addEventListener(CallEvents.Disconnected, () => VoxEngine.terminate());
  call.answer();
});
