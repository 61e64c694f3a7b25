VoxEngine.addEventListener(AppEvents.CallAlerting, (e) => {
  const call = e.call;
  call.addEventListener(CallEvents.AudioStarted, () => Logger.write('audio started in state ' + call.state()));
  call.startEarlyMedia();
  call.say('Please hold');
  call.addEventListener(CallEvents.PlaybackFinished, () => { call.reject(480); VoxEngine.terminate(); });
});
