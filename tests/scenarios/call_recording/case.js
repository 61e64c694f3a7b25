// A voicemail: answer, record, and report the recording's URL.
VoxEngine.addEventListener(AppEvents.CallAlerting, (e) => {
  const call = e.call;
  call.addEventListener(CallEvents.Connected, () => call.record());
  call.addEventListener(CallEvents.RecordStarted, (r) => Logger.write('recording to ' + r.url));
  call.addEventListener(CallEvents.RecordStopped, (r) => Logger.write('recording stopped: ' + r.url + ' ' + r.duration + ' s'));
  call.addEventListener(CallEvents.Disconnected, () => VoxEngine.terminate());
  call.answer();
});
