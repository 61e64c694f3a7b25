// voxengine.d.ts: the VoxEngine surface a voxrun session provides, for editors and `tsc`.
//
// Names, arguments and event fields follow Voximplant's VoxEngine; this file lists only what
// voxrun runs (README.md describes sessions and how to drive calls). Calls are emulated: no
// audio flows, every far end is scripted, and media actions take time and fire their events as
// on the platform. Use it with `"lib": ["es2022"]` and no DOM library: a session has no
// browser globals. tests/typings.rs type-checks it with `tsc --strict` against a sample IVR.

// ---------------------------------------------------------------------------------------------
// Application events

declare enum AppEvents {
  Started = 'Application.Started',
  HttpRequest = 'Application.HttpRequest',
  Terminating = 'Application.Terminating',
  Terminated = 'Application.Terminated',
  /** An inbound call (from `voxrun run --call-in` or `POST /voxrun/v1/calls`). */
  CallAlerting = 'Application.CallAlerting',
  /** These two exist but never fire: voxrun has no WebSockets. */
  WebSocket = 'AppEvents.NewWebSocketConnection',
  NewWebSocketFailed = 'Application.OnNewWebSocketFailed',
}

interface AppEvent {
  /** The event's string, e.g. `'Application.Started'`. */
  name: string;
}
interface AppStartedEvent extends AppEvent {
  accessURL: string;
  accessSecureURL: string;
  accountId: number;
  applicationId: number;
  logURL: string;
  sessionId: number;
  /** Conference sessions only. */
  conference_name?: string;
}
interface AppHttpRequestEvent extends AppEvent {
  method: string;
  /** URL path plus `?query`, if any. */
  path: string;
  content: string;
  /** Request headers whose names start with `X-` (case-insensitively). */
  headers: { key: string; value: string }[];
}
interface AppTerminatingEvent extends AppEvent {
  systemError?: boolean;
}
interface AppTerminatedEvent extends AppEvent {
  systemError?: boolean;
}
interface CallAlertingEvent extends AppEvent {
  /** The inbound call, not yet answered. */
  call: Call;
  callerid: string;
  /** The dialled number. */
  destination: string;
  displayName: string;
  /** The call's `X-` headers. */
  headers: { [name: string]: string };
  customData?: string;
  toURI: string;
  fromURI: string;
  /** Pass it on to `answer`, `callUser`, `callSIP`, `callConference`... as is. */
  scheme: string;
}

/** What an HttpRequest handler may return: a string or number (text/plain), any other value (JSON),
 * undefined (200, empty), or a Promise of one of those. */
type HttpRequestResult = string | number | object | boolean | null | undefined;

interface AppEventMap {
  'Application.Started': AppStartedEvent;
  'Application.HttpRequest': AppHttpRequestEvent;
  'Application.Terminating': AppTerminatingEvent;
  'Application.Terminated': AppTerminatedEvent;
  'Application.CallAlerting': CallAlertingEvent;
}

// ---------------------------------------------------------------------------------------------
// Calls

declare enum CallEvents {
  AudioStarted = 'Call.AudioStarted',
  AudioIdentificationStarted = 'Call.AudioIdentificationStarted',
  AudioIdentificationResult = 'Call.AudioIdentificationResult',
  AudioIdentificationStopped = 'Call.AudioIdentificationStopped',
  AudioIdentificationError = 'Call.AudioIdentificationError',
  BlindTransferRequested = 'Call.BlindTransferRequested',
  Connected = 'Call.Connected',
  Forwarding = 'Call.Forwarding',
  Disconnected = 'Call.Disconnected',
  Failed = 'Call.Failed',
  InfoReceived = 'Call.InfoReceived',
  MessageReceived = 'Call.MessageReceived',
  MicStatusChange = 'Call.MicStatusChange',
  OffHold = 'Call.OffHold',
  OnHold = 'Call.OnHold',
  PlaybackFinished = 'Call.PlaybackFinished',
  PlaybackReady = 'Call.PlaybackReady',
  PlaybackStarted = 'Call.PlaybackStarted',
  PushSent = 'Call.PushSent',
  ReInviteAccepted = 'Call.ReInviteAccepted',
  ReInviteReceived = 'Call.ReInviteReceived',
  ReInviteRejected = 'Call.ReInviteRejected',
  RecordStarted = 'Call.RecordStarted',
  RecordStopped = 'Call.RecordStopped',
  RecordError = 'Call.RecordError',
  Ringing = 'Call.Ringing',
  StateChanged = 'Call.StateChanged',
  Statistics = 'Call.Statistics',
  ToneDetected = 'Call.ToneDetected',
  ToneReceived = 'Call.ToneReceived',
  TransferComplete = 'Call.TransferComplete',
  TransferFailed = 'Call.TransferFailed',
  VideoTrackCreated = 'Call.Video.TrackCreated',
  FirstAudioPacketReceived = 'Call.FirstAudioPacketReceived',
  FirstVideoPacketReceived = 'Call.FirstVideoPacketReceived',
  RtpStopped = 'Call.RtpStopped',
  RtpResumed = 'Call.RtpResumed',
  BeepDetectionComplete = 'Call.BeepDetectionComplete',
  BeepDetectionError = 'Call.BeepDetectionError',
  AudioQualityDetected = 'Call.AudioQualityDetected',
}

/** Every call event carries these. Events voxrun never fires are typed as just this. */
interface CallEvent {
  /** The event's string, e.g. `'Call.Connected'`. */
  name: string;
  call: Call;
  /** The call's id. */
  id: string;
}
interface CallHeadersEvent extends CallEvent {
  headers?: { [name: string]: string };
}
interface CallConnectedEvent extends CallEvent {
  customData?: string;
  headers: { [name: string]: string };
}
interface CallFailedEvent extends CallHeadersEvent {
  /** SIP-style status, e.g. 486 busy, 408 no answer. */
  code: number;
  reason: string;
}
interface CallDisconnectedEvent extends CallHeadersEvent {
  reason: string;
  /** Seconds the call was connected. */
  duration: number;
  internalCode: number;
  cost: number;
  direction: string;
}
interface CallPlaybackStartedEvent extends CallEvent {
  /** Seconds the playback will take. */
  duration: number;
}
interface CallPlaybackFinishedEvent extends CallEvent {
  error?: string;
}
interface CallRecordStartedEvent extends CallEvent {
  url: string;
}
interface CallRecordStoppedEvent extends CallEvent {
  url: string;
  cost: string;
  duration: number;
}
interface CallToneReceivedEvent extends CallEvent {
  /** One DTMF digit: 0-9, *, #, A-D. */
  tone: string;
  type: string;
}
interface CallMessageReceivedEvent extends CallHeadersEvent {
  text: string;
}
interface CallInfoReceivedEvent extends CallHeadersEvent {
  mimeType: string;
  body: string;
}
interface CallStateChangedEvent extends CallEvent {
  oldState: string;
  newState: string;
}

interface CallEventMap {
  'Call.AudioStarted': CallHeadersEvent;
  'Call.AudioIdentificationStarted': CallEvent;
  'Call.AudioIdentificationResult': CallEvent;
  'Call.AudioIdentificationStopped': CallEvent;
  'Call.AudioIdentificationError': CallEvent;
  'Call.BlindTransferRequested': CallEvent;
  'Call.Connected': CallConnectedEvent;
  'Call.Forwarding': CallEvent;
  'Call.Disconnected': CallDisconnectedEvent;
  'Call.Failed': CallFailedEvent;
  'Call.InfoReceived': CallInfoReceivedEvent;
  'Call.MessageReceived': CallMessageReceivedEvent;
  'Call.MicStatusChange': CallEvent;
  'Call.OffHold': CallEvent;
  'Call.OnHold': CallEvent;
  'Call.PlaybackFinished': CallPlaybackFinishedEvent;
  'Call.PlaybackReady': CallEvent;
  'Call.PlaybackStarted': CallPlaybackStartedEvent;
  'Call.PushSent': CallEvent;
  'Call.ReInviteAccepted': CallEvent;
  'Call.ReInviteReceived': CallEvent;
  'Call.ReInviteRejected': CallEvent;
  'Call.RecordStarted': CallRecordStartedEvent;
  'Call.RecordStopped': CallRecordStoppedEvent;
  'Call.RecordError': CallEvent;
  'Call.Ringing': CallHeadersEvent;
  'Call.StateChanged': CallStateChangedEvent;
  'Call.Statistics': CallEvent;
  'Call.ToneDetected': CallEvent;
  'Call.ToneReceived': CallToneReceivedEvent;
  'Call.TransferComplete': CallEvent;
  'Call.TransferFailed': CallEvent;
  'Call.Video.TrackCreated': CallEvent;
  'Call.FirstAudioPacketReceived': CallEvent;
  'Call.FirstVideoPacketReceived': CallEvent;
  'Call.RtpStopped': CallEvent;
  'Call.RtpResumed': CallEvent;
  'Call.BeepDetectionComplete': CallEvent;
  'Call.BeepDetectionError': CallEvent;
  'Call.AudioQualityDetected': CallEvent;
}

/** SIP headers by name (`X-` headers, as on the platform). */
type CallHeaders = { [name: string]: string };

/** Options of answering and of placing calls. Accepted; voxrun emulates no codecs or video. */
interface CallParameters {
  displayName?: string;
  scheme?: { [id: string]: { audio: any; video: any } };
  maxVideoBitrate?: number;
  disableExtVideoOffset?: boolean;
  disableExtVideoOrientation?: boolean;
  disableExtPlayoutDelay?: boolean;
  disableExtVideoTiming?: boolean;
  conferenceCall?: boolean;
  disableDtxForAudio?: boolean;
}
interface CallAnswerParameters extends CallParameters {}

interface CallSayParameters {
  /** Default: voxrun's default voice. */
  voice?: Voice;
  progressivePlayback?: boolean;
  ttsOptions?: TTSOptions;
  request?: object;
}
interface StartPlaybackParameters {
  /** Never finishes; stop it with `stopPlayback()`. */
  loop?: boolean;
  progressivePlayback?: boolean;
}
interface BaseRecorderParameters {
  secure?: boolean;
  transcribe?: boolean;
  language?: ASRLanguage;
  hd_audio?: boolean;
  expire?: RecordExpireTime;
  lossless?: boolean;
  video?: boolean;
  recordNamePrefix?: string;
}
interface CallRecordParameters extends BaseRecorderParameters {
  stereo?: boolean;
  labels?: string[];
  provider?: TranscriptionProvider;
  format?: string;
}
/** For media sent to WebSockets on the platform; voxrun accepts and ignores it. */
interface SendMediaParameters {
  tag: string;
  customParameters?: any;
}

/** A call: inbound (from CallAlerting) or placed by `VoxEngine.call*`. Its far end is scripted. */
interface Call {
  /** Unique within the session. */
  id(): string;
  /** `'ALERTING'`, `'PROGRESSING'`, `'CONNECTED'` or `'TERMINATED'`. */
  state(): string;
  number(): string;
  callerid(): string;
  displayName(): string;
  incoming(): boolean;
  /** Reads the call's custom data, or sets it (at most 200 bytes) and returns it. */
  customData(value?: string): string;
  /** The `X-` headers the call arrived with. */
  headers(): CallHeaders;
  vad(): boolean;
  /** `'pstn'`, `'sip'`, `'user'` or `'wab'`. */
  clientType(): string;
  toString(): string;

  answer(extraHeaders?: CallHeaders, parameters?: CallAnswerParameters): void;
  /** Answers and bridges the media straight to `peerCall`. */
  answerDirect(peerCall: Call, extraHeaders?: CallHeaders, parameters?: CallAnswerParameters): void;
  reject(code?: number, extraHeaders?: CallHeaders): void;
  decline(code?: number, extraHeaders?: CallHeaders): void;
  ring(extraHeaders?: CallHeaders): void;
  startEarlyMedia(
    extraHeaders?: CallHeaders,
    scheme?: string,
    maxVideoBitrate?: number,
    audioLevelExtension?: boolean,
    conferenceCall?: boolean,
    disableDtxForAudio?: boolean,
  ): void;
  hangup(extraHeaders?: CallHeaders): void;

  /** Speaks `text`: PlaybackStarted now, PlaybackFinished after 60 ms a character (at least 0.5 s). */
  say(text: string, parameters?: CallSayParameters): void;
  /** Plays a URL: 3 s, or S seconds when the URL ends with `#duration=S`. */
  startPlayback(url: string, parameters?: StartPlaybackParameters): void;
  /** Ends the current playback at once. */
  stopPlayback(): void;
  /** `country`: two-letter code whose ringback tone to play, e.g. `'US'`. */
  playProgressTone(country: string): void;
  /** Starts recording the call: RecordStarted with the record's URL. */
  record(parameters?: CallRecordParameters): void;
  /** With `true`, each DTMF digit of the far end fires ToneReceived. */
  handleTones(doHandle: boolean, supportedDtmfTypes?: DTMFType): void;
  sendDigits(digits: string): void;
  sendMessage(text: string): void;
  sendInfo(mimeType: string, body: string, headers?: CallHeaders): void;
  /** Sends this call's audio to `target` (one direction; see `VoxEngine.sendMediaBetween`). */
  sendMediaTo(target: VoxMediaUnit, parameters?: SendMediaParameters): void;
  stopMediaTo(target: VoxMediaUnit): void;

  addEventListener<E extends keyof CallEventMap>(event: E, handler: (e: CallEventMap[E]) => unknown): void;
  /** Without `handler`: removes every listener of `event`. */
  removeEventListener<E extends keyof CallEventMap>(event: E, handler?: (e: CallEventMap[E]) => unknown): void;

  // These exist but are not emulated: each throws an Error naming itself.
  handleMicStatus(handle: boolean): never;
  handleBlindTransfer(handle: boolean): never;
  notifyBlindTransferSuccess(): never;
  notifyBlindTransferFailed(code: number, reason: string): never;
  enableBeepDetection(parameters: { frequencies?: number[]; timeout?: number }): never;
  disableBeepDetection(): never;
  transferTo(parameters: { to: string; call: Call; headers?: CallHeaders }): never;
}

/** Anything whose media can be sent somewhere. */
type VoxMediaUnit = Call | Player | SequencePlayer | ASR | Conference | Recorder;

interface CallPSTNParameters {
  followDiversion?: boolean;
}
interface CallUserParameters extends CallParameters {
  username: string;
  callerid: string;
  extraHeaders?: CallHeaders;
  video?: boolean;
  videoOrientationExtension?: boolean;
  analyticsLabel?: string;
  pushNotificationTimeout?: number;
}
interface CallUserDirectParameters {
  callerid: string;
  displayName: string;
  analyticsLabel?: string;
  extraHeaders?: CallHeaders;
  pushNotificationTimeout?: number;
}
interface CallSIPParameters {
  regId?: number;
  callerid?: string;
  displayName?: string;
  password?: string;
  authUser?: string;
  headers?: CallHeaders;
  video?: boolean;
  outProxy?: string;
  scheme?: object;
}

declare enum DTMFType {
  ALL = 0,
  TELEPHONE_EVENT = 1,
  IN_BAND = 2,
  SIP_INFO = 3,
}
declare enum RecordExpireTime {
  THREEMONTHS = '',
  SIXMONTHS = '-6m',
  ONEYEAR = '-1y',
  TWOYEARS = '-2y',
  THREEYEARS = '-3y',
  FIVEYEARS = '-5y',
}
declare enum TranscriptionProvider {
  GOOGLE = 'google',
  YANDEX = 'yandex',
  TBANK = 'tcs',
}

// ---------------------------------------------------------------------------------------------
// Players

declare enum PlayerEvents {
  Created = 'Player.Created',
  PlaybackReady = 'Player.PlaybackReady',
  Started = 'Player.Started',
  Stopped = 'Player.Stopped',
  PlaybackFinished = 'Player.PlaybackFinished',
  Error = 'Player.Error',
  PlaybackMarkerReached = 'Player.PlaybackMarkerReached',
  PlaybackBuffering = 'Player.Buffering',
}
interface PlayerEvent {
  player: Player;
}
interface PlayerEventMap {
  'Player.Created': PlayerEvent;
  'Player.PlaybackReady': PlayerEvent;
  'Player.Started': PlayerEvent & { duration: number };
  'Player.Stopped': PlayerEvent;
  'Player.PlaybackFinished': PlayerEvent & { error?: string };
  'Player.Error': PlayerEvent & { error: string };
  'Player.PlaybackMarkerReached': PlayerEvent & { offset: number };
  'Player.Buffering': PlayerEvent;
}

/** A TTS, URL or tone-script player; it plays to what it is sent to (`sendMediaTo`). */
interface Player {
  id(): string;
  pause(): void;
  resume(): void;
  stop(): void;
  /** Fires PlaybackMarkerReached `offset` ms into the playback (negative: before its end). */
  addMarker(offset: number): void;
  sendMediaTo(target: VoxMediaUnit, parameters?: SendMediaParameters): void;
  stopMediaTo(target: VoxMediaUnit): void;
  addEventListener<E extends keyof PlayerEventMap>(event: E, handler: (e: PlayerEventMap[E]) => unknown): void;
  removeEventListener<E extends keyof PlayerEventMap>(event: E, handler?: (e: PlayerEventMap[E]) => unknown): void;
}

declare enum TTSEffectsProfile {
  WearableClassDevice = 'wearable-class-device',
  HandsetClassDevice = 'handset-class-device',
  HeadphoneClassDevice = 'headphone-class-device',
  SmallBluetoothSpeakerClassDevice = 'small-bluetooth-speaker-class-device',
  MediumBluetoothSpeakerClassDevice = 'medium-bluetooth-speaker-class-device',
  LargeHomeEntertainmentClassDevice = 'large-home-entertainment-class-device',
  LargeAutomotiveClassDevice = 'large-automotive-class-device',
  TelephonyClassApplication = 'telephony-class-application',
}
interface TTSOptions {
  emotion?: string;
  pitch?: string;
  rate?: string;
  volume?: string;
  speed?: string;
  effectsProfileId?: TTSEffectsProfile[];
  yandexCustomModelName?: string;
}
interface TTSPlayerParameters {
  voice?: Voice;
  progressivePlayback?: boolean;
  ttsOptions?: TTSOptions;
  /** Created paused: call `resume()` to start. */
  onPause?: boolean;
  request?: object;
}
interface URLPlayerParameters {
  loop?: boolean;
  onPause?: boolean;
  progressivePlayback?: boolean;
  hideHeaders?: boolean;
  hideBody?: boolean;
}
interface ToneScriptPlayerParameters {
  loop?: boolean;
  progressivePlayback?: boolean;
}
declare enum URLPlayerRequestMethod {
  GET = 'GET',
  POST = 'POST',
}
interface URLPlayerRequest {
  url: string;
  method?: URLPlayerRequestMethod;
  headers?: { name: string; value: string }[];
  /** `text` or `binary` (base64). */
  body?: { text?: string; binary?: string };
}

declare enum SequencePlayerEvents {
  Created = 'SequencePlayer.Created',
  PlaybackReady = 'SequencePlayer.PlaybackReady',
  Started = 'SequencePlayer.Started',
  Stopped = 'SequencePlayer.Stopped',
  PlaybackFinished = 'SequencePlayer.PlaybackFinished',
  Error = 'SequencePlayer.Error',
  PlaybackMarkerReached = 'SequencePlayer.PlaybackMarkerReached',
}
interface SequencePlayerEvent {
  sequencePlayer: SequencePlayer;
}
interface SequencePlayerEventMap {
  'SequencePlayer.Created': SequencePlayerEvent;
  'SequencePlayer.PlaybackReady': SequencePlayerEvent;
  'SequencePlayer.Started': SequencePlayerEvent;
  'SequencePlayer.Stopped': SequencePlayerEvent;
  'SequencePlayer.PlaybackFinished': SequencePlayerEvent & { error?: string };
  'SequencePlayer.Error': SequencePlayerEvent & { error: string };
  'SequencePlayer.PlaybackMarkerReached': SequencePlayerEvent & { offset: number };
}
/** One part of a sequence: text to speak or a URL to play. */
type SequencePlayerSegment =
  | { text: string; parameters?: TTSPlayerParameters }
  | { url: string; parameters?: URLPlayerParameters };
interface SequencePlayerParameters {
  segments: SequencePlayerSegment[];
}
/** Plays its segments one after another as one playback. */
interface SequencePlayer {
  id(): string;
  pause(): void;
  resume(): void;
  stop(): void;
  sendMediaTo(target: VoxMediaUnit, parameters?: SendMediaParameters): void;
  stopMediaTo(target: VoxMediaUnit): void;
  addEventListener<E extends keyof SequencePlayerEventMap>(
    event: E,
    handler: (e: SequencePlayerEventMap[E]) => unknown,
  ): void;
  removeEventListener<E extends keyof SequencePlayerEventMap>(
    event: E,
    handler?: (e: SequencePlayerEventMap[E]) => unknown,
  ): void;
}

// ---------------------------------------------------------------------------------------------
// Recorders

declare enum RecorderEvents {
  RecorderError = 'Recorder.Error',
  Started = 'Recorder.Started',
  Stopped = 'Recorder.Stopped',
}
interface RecorderEvent {
  recorder: Recorder;
}
interface RecorderEventMap {
  'Recorder.Error': RecorderEvent & { error: string };
  'Recorder.Started': RecorderEvent & { url: string };
  'Recorder.Stopped': RecorderEvent & { cost: string; duration: number };
}
interface RecorderParameters extends BaseRecorderParameters {
  name?: string;
}
/** Records what is sent to it (`call.sendMediaTo(recorder)`). */
interface Recorder {
  id(): string;
  mute(doMute: boolean): void;
  stop(): void;
  addEventListener<E extends keyof RecorderEventMap>(event: E, handler: (e: RecorderEventMap[E]) => unknown): void;
  removeEventListener<E extends keyof RecorderEventMap>(event: E, handler?: (e: RecorderEventMap[E]) => unknown): void;
}

// ---------------------------------------------------------------------------------------------
// Speech recognition (require(Modules.ASR))

declare enum ASREvents {
  ASRError = 'ASR.Error',
  Started = 'ASR.Started',
  CaptureStarted = 'ASR.CaptureStarted',
  SpeechCaptured = 'ASR.SpeechCaptured',
  Result = 'ASR.Result',
  InterimResult = 'ASR.InterimResult',
  Stopped = 'ASR.Stopped',
}
interface ASREvent {
  asr: ASR;
}
interface ASRResultEvent extends ASREvent {
  /** What the far end said (its peer script's `say` step). */
  text: string;
  confidence: number;
  resultEndTime?: string | number;
  channelTag?: number;
  languageCode?: string;
}
interface ASREventMap {
  'ASR.Error': ASREvent & { error: string };
  'ASR.Started': ASREvent;
  'ASR.CaptureStarted': ASREvent;
  'ASR.SpeechCaptured': ASREvent;
  'ASR.Result': ASRResultEvent;
  'ASR.InterimResult': ASREvent & { text: string };
  'ASR.Stopped': ASREvent & { cost: string; duration: number };
}

// The ASR tables are large and their values mean nothing to a script: each value is opaque and
// only passed back to voxrun. The member names are the platform's (e.g. ASRProfileList.Google.en_US).
/** An opaque ASR language value, e.g. `ASRLanguage.ENGLISH_US`. */
interface ASRLanguage {
  readonly __voxrunASRLanguage: never;
}
declare const ASRLanguage: { readonly [name: string]: ASRLanguage };
/** An opaque speech-recognition profile: a provider and a language. */
interface ASRProfile {
  readonly __voxrunASRProfile: never;
}
/** One table of profiles per provider: `ASRProfileList.Google.en_US`. */
declare const ASRProfileList: {
  readonly Amazon: { readonly [language: string]: ASRProfile };
  readonly Deepgram: { readonly [language: string]: ASRProfile };
  readonly Google: { readonly [language: string]: ASRProfile };
  readonly Microsoft: { readonly [language: string]: ASRProfile };
  readonly SaluteSpeech: { readonly [language: string]: ASRProfile };
  readonly TBank: { readonly [language: string]: ASRProfile };
  readonly Yandex: { readonly [language: string]: ASRProfile };
  readonly YandexV3: { readonly [language: string]: ASRProfile };
};
/** An opaque recognition model of one provider. */
interface ASRModel {
  readonly __voxrunASRModel: never;
}
/** One table of models per provider: `ASRModelList.Google.phone_call`. */
declare const ASRModelList: {
  readonly Amazon: { readonly [model: string]: ASRModel };
  readonly Deepgram: { readonly [model: string]: ASRModel };
  readonly Google: { readonly [model: string]: ASRModel };
  readonly Microsoft: { readonly [model: string]: ASRModel };
  readonly SaluteSpeech: { readonly [model: string]: ASRModel };
  readonly TBank: { readonly [model: string]: ASRModel };
  readonly Yandex: { readonly [model: string]: ASRModel };
  readonly YandexV3: { readonly [model: string]: ASRModel };
};
interface ASRParameters {
  profile: ASRProfile;
  model?: ASRModel;
  interimResults?: boolean;
  singleUtterance?: boolean;
  phraseHints?: string[];
  profanityFilter?: boolean;
  headers?: { [key: string]: any };
  /** Provider-specific options; accepted and ignored. */
  request?: object;
}
/** Recognizes the speech sent to it (`call.sendMediaTo(asr)`). */
interface ASR {
  id(): string;
  language(): string;
  dictionary(): string[];
  stop(): void;
  addEventListener<E extends keyof ASREventMap>(event: E, handler: (e: ASREventMap[E]) => unknown): void;
  removeEventListener<E extends keyof ASREventMap>(event: E, handler?: (e: ASREventMap[E]) => unknown): void;
}

// ---------------------------------------------------------------------------------------------
// Conferences (require(Modules.Conference))

declare enum ConferenceEvents {
  ConferenceError = 'Conference.Error',
  Started = 'Conference.Started',
  Stopped = 'Conference.Stopped',
  EndpointAdded = 'Conference.EndpointAdded',
  EndpointUpdated = 'Conference.EndpointUpdated',
  EndpointRemoved = 'Conference.EndpointRemoved',
  EndpointManaged = 'Conference.EndpointManaged',
}
interface ConferenceEvent {
  conference: Conference;
}
interface ConferenceEndpointEvent extends ConferenceEvent {
  mode: 'MIX' | 'FORWARD';
  direction: 'SEND' | 'RECEIVE' | 'BOTH';
  endpointId: string;
  endpoint: Endpoint;
}
interface ConferenceEventMap {
  'Conference.Error': ConferenceEvent & { error: string; code: number; endpointId?: string };
  'Conference.Started': ConferenceEvent;
  'Conference.Stopped': ConferenceEvent;
  'Conference.EndpointAdded': ConferenceEndpointEvent;
  'Conference.EndpointUpdated': ConferenceEndpointEvent;
  'Conference.EndpointRemoved': ConferenceEndpointEvent;
  'Conference.EndpointManaged': ConferenceEndpointEvent;
}
interface ConferenceParameters {
  hd_audio?: boolean;
}
interface EndpointParameters {
  call: Call;
  mode: 'MIX' | 'FORWARD';
  direction: 'SEND' | 'RECEIVE' | 'BOTH';
  displayName?: string;
  scheme?: any;
  maxVideoBitrate?: number;
}
/** A call's place in a conference. */
interface Endpoint {
  id(): string;
  getDirection(): 'SEND' | 'RECEIVE' | 'BOTH';
  getMode(): 'MIX' | 'FORWARD';
  setDisplayName(displayName: string): void;
  getCall(): Call;
}
interface Conference {
  id(): string;
  /** Ends the conference: its endpoints leave. */
  stop(): void;
  getList(): Endpoint[];
  get(id: string): Endpoint;
  add(parameters: EndpointParameters): Endpoint;
  sendMediaTo(target: VoxMediaUnit, parameters?: SendMediaParameters): void;
  stopMediaTo(target: VoxMediaUnit): void;
  addEventListener<E extends keyof ConferenceEventMap>(event: E, handler: (e: ConferenceEventMap[E]) => unknown): void;
  removeEventListener<E extends keyof ConferenceEventMap>(
    event: E,
    handler?: (e: ConferenceEventMap[E]) => unknown,
  ): void;
}

// ---------------------------------------------------------------------------------------------
// Voices

/** An opaque TTS voice: take one from `VoiceList` or `Language`. The transcript names it. */
interface Voice {
  readonly __voxrunVoice: never;
}
/** Voices of one provider, by the platform's names (e.g. `en_US_Joanna`). */
type VoiceTable = { readonly [name: string]: Voice };
/** The current voice tables, one per provider; some providers have a `Neural` sub-table. */
declare const VoiceList: {
  readonly Amazon: VoiceTable & { readonly Neural: VoiceTable };
  readonly Default: VoiceTable;
  readonly ElevenLabs: VoiceTable & { readonly createBrandVoice: (name: string) => Voice };
  readonly Google: VoiceTable;
  readonly IBM: VoiceTable & { readonly Neural: VoiceTable };
  readonly Microsoft: VoiceTable & { readonly Neural: VoiceTable };
  readonly SaluteSpeech: VoiceTable & { readonly createBrandVoice: (name: string) => Voice };
  readonly TBank: VoiceTable;
  readonly Yandex: VoiceTable & { readonly Neural: VoiceTable };
  readonly YandexV3: VoiceTable;
};
/** The older voice table many scenarios still use: `Language.US_ENGLISH_FEMALE`,
 * `Language.Premium.US_ENGLISH_FEMALE`... */
declare const Language: VoiceTable & { readonly Premium: VoiceTable };

// ---------------------------------------------------------------------------------------------
// VoxEngine

declare namespace VoxEngine {
  /** The session custom data ("" if none). */
  function customData(): string;
  /** Sets the custom data; throws when longer than 200 bytes (UTF-8). */
  function customData(value: string): void;
  function addEventListener<E extends keyof AppEventMap>(
    event: E,
    handler: E extends 'Application.HttpRequest'
      ? (e: AppHttpRequestEvent) => HttpRequestResult | Promise<HttpRequestResult>
      : (e: AppEventMap[E]) => unknown,
  ): void;
  /** Without `handler`: removes every listener of `event`. */
  function removeEventListener<E extends keyof AppEventMap>(event: E, handler?: (e: AppEventMap[E]) => unknown): void;
  /** Ends the session once the running code returns (it does not abort it). */
  function terminate(): void;

  /** Dials a number; the far end follows the first peer script whose pattern matches it. */
  function callPSTN(number: string, callerid: string, parameters?: CallPSTNParameters): Call;
  function callUser(parameters: CallUserParameters): Call;
  function callUserDirect(incomingCall: Call, username: string, parameters: CallUserDirectParameters): Call;
  function callSIP(to: string, parameters?: CallSIPParameters): Call;
  /** A call into the conference `conferenceId` of this application. */
  function callConference(
    conferenceId: string,
    callerid: string,
    displayName: string,
    headers?: CallHeaders,
    scheme?: string,
  ): Call;
  function createConference(parameters?: ConferenceParameters): Conference;
  function destroyConference(conference: Conference): void;
  /** Media both ways between `a` and `b`. */
  function sendMediaBetween(a: VoxMediaUnit, b: VoxMediaUnit): void;
  function stopMediaBetween(a: VoxMediaUnit, b: VoxMediaUnit): void;
  /** Bridges `call1` and `call2` (media and signalling) once `call2` connects. */
  function easyProcess(
    call1: Call,
    call2: Call,
    onEstablished?: (call1: Call, call2: Call) => void,
    direct?: boolean,
  ): void;
  /** Handles inbound calls by dialling their destination (through `numberTransform`, if given). */
  function forwardCallToPSTN(
    numberTransform?: (number: string) => string,
    onEstablished?: (call1: Call, call2: Call) => void,
    options?: { callerid: string },
  ): void;
  function forwardCallToUser(onEstablished?: (call1: Call, call2: Call) => void, video?: boolean): void;
  function forwardCallToSIP(onEstablished?: (call1: Call, call2: Call) => void, video?: boolean): void;
  /** Handles inbound calls: answers, plays `fileURL`, then hangs up. */
  function playSoundAndHangup(fileURL: string): void;
  function createTTSPlayer(text: string, parameters?: TTSPlayerParameters): Player;
  function createURLPlayer(request: string | URLPlayerRequest, parameters?: URLPlayerParameters): Player;
  function createToneScriptPlayer(script: string, parameters?: ToneScriptPlayerParameters): Player;
  function createSequencePlayer(parameters: SequencePlayerParameters): SequencePlayer;
  function createRecorder(parameters?: RecorderParameters): Recorder;
  function createASR(parameters: ASRParameters): ASR;
}

// ---------------------------------------------------------------------------------------------
// Application storage (require(Modules.ApplicationStorage))

/** One stored item. */
interface StorageKey {
  key: string;
  value: string;
  /** When it expires: Unix time in seconds. */
  expireAt: number;
}
/** The result of `ApplicationStorage.keys`. */
interface StoragePage {
  keys: string[];
}
/** Key-value storage per application, kept across sessions; the Management API's
 * *KeyValue* methods see the same items. */
declare namespace ApplicationStorage {
  /** `null` when the key is absent or expired. */
  function get(key: string): Promise<StorageKey | null>;
  /** Creates or replaces an item. Key up to 200 characters (`ns:key` puts it in namespace `ns`),
   * value up to 2,000; `ttl` in seconds, 0..7,776,000 (default 30 days). */
  function put(key: string, value: string, ttl?: number): Promise<StorageKey>;
  function remove(key: string): Promise<StorageKey>;
  /** All keys, or those of namespace `pattern`. */
  function keys(pattern?: string): Promise<StoragePage>;
}

// ---------------------------------------------------------------------------------------------
// Modules

declare enum Modules {
  ACD = 'acd',
  AI = 'ai',
  ApplicationStorage = 'applicationstorage',
  ASR = 'asr',
  Avatar = 'avatar',
  Conference = 'conference',
  ElevenLabs = 'elevenlabs',
  Gemini = 'gemini',
  IVR = 'ivr',
  OpenAI = 'openai',
  PushService = 'pushservice',
  Recorder = 'recorder',
  SmartQueue = 'smartqueue',
  StreamingAgent = 'streamingagent',
  Ultravox = 'ultravox',
  Cartesia = 'cartesia',
  Yandex = 'yandex',
  VoximplantAPI = 'voximplantapi',
}
/** Installs a module's globals. Modules voxrun does not emulate get stubs that throw an Error
 * naming the function when called, so a script loads and runs until it really needs one. */
declare function require(module: Modules): void;

// ---------------------------------------------------------------------------------------------
// Logging, HTTP, timers, utilities

declare namespace Logger {
  /** Appends a timestamped line to the session log (cut to 15,000 characters). */
  function write(message: unknown): void;
}

declare namespace Net {
  interface HttpRequestOptions {
    /** Default GET. */
    method?: string;
    postData?: string | number[];
    /** An object map, or the old form: an array of `"Name: value"` strings. */
    headers?: Record<string, string> | string[];
    /** Added to the query string. */
    params?: Record<string, string>;
    /** Return the body bytes in `data`. */
    rawOutput?: boolean;
    /** Seconds; default and maximum 90. */
    timeout?: number;
    /** Seconds; default 6. */
    connectionTimeout?: number;
  }
  interface HttpRequestResult {
    /** HTTP status, or -2 malformed URL, -3 host not found, -4 connection error, -7 timeout,
     * -9 response over 2 MB, 0 a session limit or the operator's allow-list refused it. */
    code: number;
    text: string;
    headers: { key: string; value: string }[];
    raw_headers: string;
    data?: number[];
    error?: string;
  }
  /** At most 3 in flight per session (more are queued) and 35 per session. */
  function httpRequestAsync(url: string, options?: HttpRequestOptions): Promise<HttpRequestResult>;
  function httpRequest(url: string, callback: (result: HttpRequestResult) => void, options?: HttpRequestOptions): void;
}

declare const console: {
  log(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  debug(...args: unknown[]): void;
};

/** At most 100 active timers per session: the 101st throws. */
declare function setTimeout<A extends unknown[]>(callback: (...args: A) => void, ms?: number, ...args: A): number;
/** Intervals shorter than 100 ms run every 100 ms. */
declare function setInterval<A extends unknown[]>(callback: (...args: A) => void, ms?: number, ...args: A): number;
/** `undefined` (a timer never set) is ignored. */
declare function clearTimeout(id?: number): void;
declare function clearInterval(id?: number): void;
declare function queueMicrotask(callback: () => void): void;

declare function base64_encode(data: string | number[]): string;
declare function base64_decode(data: string): number[];
/** Encodings: utf-8 (default), ascii, latin1, utf-16le. */
declare function str2bytes(text: string, encoding?: string): number[];
declare function bytes2str(bytes: number[], encoding?: string): string;
declare function bytes2hex(bytes: number[], upperCase?: boolean): string;
declare function hex2bytes(hex: string): number[];
declare function levenshtein_distance(a: string, b: string): number;
/** A Date whose UTC fields show the wall time at `timezone`: hours east of UTC, or 'UTC',
 * '+03:00', '-0530', 'GMT+3'. Region names (no time-zone database) throw a RangeError. */
declare function getLocalTime(timezone: number | string, date?: Date | number | string): Date;
