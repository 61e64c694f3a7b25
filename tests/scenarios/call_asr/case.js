// A speech bot: the caller's words reach an ASR, whose result picks the answer.
require(Modules.ASR);
VoxEngine.addEventListener(AppEvents.CallAlerting, (e) => {
  const call = e.call;
  call.addEventListener(CallEvents.Connected, () => {
    const asr = VoxEngine.createASR({ profile: ASRProfileList.Google.en_US });
    asr.addEventListener(ASREvents.CaptureStarted, () => Logger.write('capture started'));
    asr.addEventListener(ASREvents.Result, (r) => {
      Logger.write('heard: ' + r.text + ' (' + r.confidence + ')');
      asr.stop();
      call.say(r.text.indexOf('bill') >= 0 ? 'Billing, one moment.' : 'Sorry?');
    });
    call.sendMediaTo(asr);
  });
  call.addEventListener(CallEvents.Disconnected, () => VoxEngine.terminate());
  call.answer();
});
