// Voices: the older Language table passed directly, a VoiceList voice in the parameters,
// and the default voice. Tables are read at load time, as many scenarios do.
const voices = [Language.US_ENGLISH_FEMALE, { voice: VoiceList.Google.en_US_Neural2_C }, undefined];
Logger.write('premium: ' + typeof Language.Premium.US_ENGLISH_FEMALE + ', substr: ' + 'voxrun'.substr(1, 3));
VoxEngine.addEventListener(AppEvents.CallAlerting, (e) => {
  const call = e.call;
  let i = 0;
  const next = () => { if (i < voices.length) call.say('Prompt number ' + (i + 1), voices[i++]); };
  call.addEventListener(CallEvents.Connected, next);
  call.addEventListener(CallEvents.PlaybackFinished, next);
  call.addEventListener(CallEvents.Disconnected, () => VoxEngine.terminate());
  call.answer();
});
