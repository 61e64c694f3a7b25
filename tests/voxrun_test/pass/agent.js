// Started: dial the number in customData; when answered, greet, play a file, and take
// digits and speech; a message is echoed back; the far end's hangup ends the session.
require(Modules.ASR);
VoxEngine.addEventListener(AppEvents.Started, () => {
  const data = JSON.parse(VoxEngine.customData() || '{}');
  if (!data.dial) return;
  const call = VoxEngine.callPSTN(data.dial, '+18005550100');
  call.addEventListener(CallEvents.Connected, () => {
    call.handleTones(true);
    call.say('Hello agent.');
    call.addEventListener(CallEvents.PlaybackFinished, function once() {
      call.removeEventListener(CallEvents.PlaybackFinished, once);
      call.startPlayback('https://example.com/queue.mp3#duration=2');
    });
    const asr = VoxEngine.createASR({ profile: ASRProfileList.Google.en_US });
    asr.addEventListener(ASREvents.Result, (r) => Logger.write('asr: ' + r.text));
    call.sendMediaTo(asr);
  });
  call.addEventListener(CallEvents.ToneReceived, (t) => Logger.write('tone ' + t.tone));
  call.addEventListener(CallEvents.MessageReceived, (m) => call.sendMessage('echo: ' + m.text));
  call.addEventListener(CallEvents.Failed, (e) => { Logger.write('failed ' + e.code); VoxEngine.terminate(); });
  call.addEventListener(CallEvents.Disconnected, () => VoxEngine.terminate());
});
