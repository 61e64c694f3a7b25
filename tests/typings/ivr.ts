// A sample IVR written against runtime-js/voxengine.d.ts; tests/typings.rs type-checks it.
// It answers an inbound call, greets the caller, reads a menu and acts on the digit pressed:
// 1 connects an agent, 2 takes a voicemail, 3 talks to a speech robot, 0 joins a conference
// room, * plays hold music, # reads the caller's history back.

require(Modules.ApplicationStorage);
require(Modules.ASR);
require(Modules.Conference);
require(Modules.Recorder);

const AGENT_NUMBER = '+15550100';
const CRM_URL = 'https://crm.example.com/lookup';
const WEEK_SECONDS = 7 * 24 * 3600;
const MENU =
  'Press 1 for an agent, 2 to leave a message, 3 to talk to our robot, ' +
  '0 for the conference room, star for music, or pound for your history.';

let room: Conference | null = null;

VoxEngine.addEventListener(AppEvents.Started, (e) => {
  Logger.write(`session ${e.sessionId} of application ${e.applicationId}: ${e.accessSecureURL}`);
});

// The control URL answers with the stored voicemails, as JSON.
VoxEngine.addEventListener(AppEvents.HttpRequest, async (e) => {
  const page = await ApplicationStorage.keys('voicemail');
  const items = await Promise.all(page.keys.map((k) => ApplicationStorage.get(k)));
  return { method: e.method, voicemails: items.filter((i): i is StorageKey => i !== null) };
});

VoxEngine.addEventListener(AppEvents.Terminating, (e) => {
  Logger.write(`terminating${e.systemError ? ' after a fault' : ''}`);
});

VoxEngine.addEventListener(AppEvents.CallAlerting, async (e: CallAlertingEvent) => {
  const caller = e.call;
  Logger.write(`call ${caller.id()} from ${e.callerid} (${e.displayName}) to ${e.destination}`);
  if (e.headers['X-Blocked'] === 'yes') {
    caller.reject(403);
    return;
  }
  const visits = await countVisit(e.callerid);
  const name = await lookUpName(e.callerid);

  caller.addEventListener(CallEvents.Connected, (c) => {
    caller.customData(c.customData ?? 'ivr');
    const hello = name ? `Hello ${name}.` : 'Hello.';
    caller.say(`${hello} This is visit number ${visits}.`, { voice: VoiceList.Amazon.en_US_Joanna });
    caller.addEventListener(CallEvents.PlaybackFinished, function onGreeting() {
      caller.removeEventListener(CallEvents.PlaybackFinished, onGreeting);
      readMenu(caller);
    });
  });
  caller.addEventListener(CallEvents.ToneReceived, (t) => route(caller, t.tone, e.destination));
  caller.addEventListener(CallEvents.MessageReceived, (m) => caller.sendMessage(`got: ${m.text}`));
  caller.addEventListener(CallEvents.InfoReceived, (i) => Logger.write(`${i.mimeType}: ${i.body}`));
  caller.addEventListener(CallEvents.StateChanged, (s) => Logger.write(`${s.oldState} -> ${s.newState}`));
  caller.addEventListener(CallEvents.Disconnected, (d) => {
    Logger.write(`caller left after ${d.duration} s: ${d.reason}`);
    if (room) VoxEngine.destroyConference(room);
    VoxEngine.terminate();
  });
  caller.handleTones(true);
  caller.answer({ 'X-IVR': 'sample' });
});

function readMenu(call: Call): void {
  call.say(MENU, { voice: Language.US_ENGLISH_FEMALE });
}

async function countVisit(callerid: string): Promise<number> {
  const key = `visits:${callerid}`;
  const item = await ApplicationStorage.get(key);
  const visits = (item ? Number(item.value) : 0) + 1;
  await ApplicationStorage.put(key, String(visits));
  return visits;
}

async function lookUpName(callerid: string): Promise<string | null> {
  const reply = await Net.httpRequestAsync(CRM_URL, { params: { phone: callerid }, timeout: 5 });
  if (reply.code !== 200) return null;
  const body: unknown = JSON.parse(reply.text);
  return typeof body === 'object' && body !== null && 'name' in body ? String(body.name) : null;
}

function route(caller: Call, digit: string, ourNumber: string): void {
  caller.stopPlayback();
  switch (digit) {
    case '1':
      return connectAgent(caller, ourNumber);
    case '2':
      return takeVoicemail(caller);
    case '3':
      return talkToRobot(caller);
    case '0':
      return joinRoom(caller);
    case '*':
      return playHoldMusic(caller);
    case '#':
      void readHistory(caller);
      return;
    default:
      caller.say(`${digit} is not on the menu.`);
  }
}

function connectAgent(caller: Call, ourNumber: string): void {
  const agent = VoxEngine.callPSTN(AGENT_NUMBER, ourNumber);
  caller.playProgressTone('US');
  agent.addEventListener(CallEvents.Ringing, () => Logger.write('agent ringing'));
  agent.addEventListener(CallEvents.Connected, () => {
    agent.say('A caller from the IVR.');
    agent.sendDigits('1');
    VoxEngine.sendMediaBetween(caller, agent);
  });
  agent.addEventListener(CallEvents.Failed, (f) => {
    caller.say(`No agent is free (${f.code} ${f.reason}).`);
    caller.addEventListener(CallEvents.PlaybackFinished, () => caller.hangup());
  });
  agent.addEventListener(CallEvents.Disconnected, () => {
    VoxEngine.stopMediaBetween(caller, agent);
    caller.hangup();
  });
}

function takeVoicemail(caller: Call): void {
  caller.say('Leave your message after the tone.');
  caller.addEventListener(CallEvents.PlaybackFinished, function beep() {
    caller.removeEventListener(CallEvents.PlaybackFinished, beep);
    const tone = VoxEngine.createToneScriptPlayer('440@-10;1(0.5/0/1)');
    tone.sendMediaTo(caller);
    tone.addEventListener(PlayerEvents.PlaybackFinished, () => {
      caller.record({ hd_audio: true, expire: RecordExpireTime.SIXMONTHS });
    });
  });
  caller.addEventListener(CallEvents.RecordStarted, async (r) => {
    await ApplicationStorage.put(`voicemail:${caller.callerid()}`, r.url, WEEK_SECONDS);
  });
  caller.addEventListener(CallEvents.RecordStopped, (r) => Logger.write(`voicemail of ${r.duration} s`));
}

function talkToRobot(caller: Call): void {
  const asr = VoxEngine.createASR({
    profile: ASRProfileList.Google.en_US,
    model: ASRModelList.Google.phone_call,
    singleUtterance: true,
    phraseHints: ['bill', 'balance'],
  });
  caller.sendMediaTo(asr);
  asr.addEventListener(ASREvents.Result, (r) => {
    asr.stop();
    caller.stopMediaTo(asr);
    const player = VoxEngine.createTTSPlayer(`You said: ${r.text}.`, {
      voice: VoiceList.Google.en_US_Neural2_C,
      ttsOptions: { rate: 'slow' },
    });
    player.sendMediaTo(caller);
    player.addEventListener(PlayerEvents.PlaybackFinished, () => readMenu(caller));
  });
  asr.addEventListener(ASREvents.ASRError, (err) => Logger.write(`ASR ${asr.id()}: ${err.error}`));
}

function joinRoom(caller: Call): void {
  room ??= VoxEngine.createConference({ hd_audio: false });
  const endpoint = room.add({ call: caller, mode: 'MIX', direction: 'BOTH', displayName: caller.callerid() });
  room.addEventListener(ConferenceEvents.EndpointAdded, (e) => {
    Logger.write(`${e.endpointId} joined; ${e.conference.getList().length} in the room`);
  });
  const recorder = VoxEngine.createRecorder({ name: 'room' });
  room.sendMediaTo(recorder);
  recorder.addEventListener(RecorderEvents.Started, (r) => Logger.write(`recording ${r.url}`));
  Logger.write(`endpoint ${endpoint.id()} of ${endpoint.getCall().id()}, mode ${endpoint.getMode()}`);
}

function playHoldMusic(caller: Call): void {
  const music = VoxEngine.createURLPlayer('https://cdn.example.com/hold.mp3#duration=5', { loop: false });
  music.sendMediaTo(caller);
  music.addEventListener(PlayerEvents.Started, (e) => Logger.write(`music for ${e.duration} s`));
  const timer = setTimeout(() => music.stop(), 10_000);
  music.addEventListener(PlayerEvents.PlaybackFinished, () => {
    clearTimeout(timer);
    readMenu(caller);
  });
}

async function readHistory(caller: Call): Promise<void> {
  const visits = await ApplicationStorage.get(`visits:${caller.callerid()}`);
  const voicemail = await ApplicationStorage.get(`voicemail:${caller.callerid()}`);
  const sequence = VoxEngine.createSequencePlayer({
    segments: [
      { text: `You called ${visits?.value ?? 'zero'} times.`, parameters: { voice: Language.Premium.US_ENGLISH_FEMALE } },
      voicemail ? { url: voicemail.value } : { text: 'You left no message.' },
    ],
  });
  sequence.sendMediaTo(caller);
  sequence.addEventListener(SequencePlayerEvents.PlaybackFinished, () => {
    caller.sendInfo('application/json', JSON.stringify({ at: getLocalTime('+00:00').toISOString() }));
    readMenu(caller);
  });
}
