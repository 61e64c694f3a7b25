// A TTS player sent to the call; its end is the call's playback end for the far end.
VoxEngine.addEventListener(AppEvents.CallAlerting, (e) => {
  const call = e.call;
  call.addEventListener(CallEvents.Connected, () => {
    const player = VoxEngine.createTTSPlayer('Your call is important to us');
    player.addEventListener(PlayerEvents.PlaybackFinished, () => Logger.write('player finished'));
    player.sendMediaTo(call);
  });
  call.addEventListener(CallEvents.Disconnected, () => VoxEngine.terminate());
  call.answer();
});
