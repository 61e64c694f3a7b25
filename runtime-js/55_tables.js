// TEMPORARY stub (the lead's placeholder; replaced by the tables file).
(function (ops, vox) {
  'use strict';
  const voices = new WeakMap();
  function voice(path) {
    const v = vox.freeze({});
    voices.set(v, path);
    return v;
  }
  vox.voiceName = function (v) {
    return v && typeof v === 'object' ? voices.get(v) : undefined;
  };
  vox.defaultVoice = voice('VoiceList.Default');
  const ev = (prefix, names) => {
    const o = {};
    for (const n of names.split(' ')) o[n] = prefix + '.' + n;
    return vox.freeze(o);
  };
  vox.tables = {
    enums: {
      CallEvents: ev('Call', 'AudioStarted Connected Disconnected Failed InfoReceived MessageReceived PlaybackFinished PlaybackReady PlaybackStarted RecordStarted RecordStopped Ringing StateChanged ToneReceived'),
      PlayerEvents: ev('Player', 'Created PlaybackReady Started Stopped PlaybackFinished Error'),
      RecorderEvents: ev('Recorder', 'Started Stopped'),
      ASREvents: ev('ASR', 'Started CaptureStarted SpeechCaptured Result InterimResult Stopped'),
      ConferenceEvents: ev('Conference', 'Started Stopped EndpointAdded EndpointRemoved'),
    },
    nsEnums: {},
    VoiceList: {},
    Language: { US_ENGLISH_FEMALE: voice('Language.US_ENGLISH_FEMALE') },
    ASRProfileList: {},
    ASRModelList: {},
    modules: {},
    methods: { Call: ['transferTo'], VoxEngine: [] },
    events: {},
  };
})
