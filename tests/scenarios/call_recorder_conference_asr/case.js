// A conference recorded by a recorder object, whose mix an ASR listens to: the far end's
// speech reaches the ASR through the conference.
require(Modules.Conference);
require(Modules.Recorder);
require(Modules.ASR);
VoxEngine.addEventListener(AppEvents.Started, () => {
  const conf = VoxEngine.createConference();
  const rec = VoxEngine.createRecorder();
  rec.addEventListener(RecorderEvents.Started, (r) => Logger.write('recorder at ' + r.url));
  rec.addEventListener(RecorderEvents.Stopped, () => Logger.write('recorder stopped'));
  conf.sendMediaTo(rec);
  const asr = VoxEngine.createASR({ profile: ASRProfileList.Google.en_US });
  asr.addEventListener(ASREvents.Result, (r) => Logger.write('asr: ' + r.text));
  conf.sendMediaTo(asr);
  const call = VoxEngine.callUser({ username: 'agent', callerid: '+18005550100' });
  call.addEventListener(CallEvents.Connected, () => conf.add({ call }));
  call.addEventListener(CallEvents.Disconnected, () => { rec.stop(); conf.stop(); VoxEngine.terminate(); });
});
