// voxengine.d.ts: exactly the VoxEngine surface voxrun supports (SPEC §4.2).

declare enum AppEvents {
  Started = 'Application.Started',
  HttpRequest = 'Application.HttpRequest',
  Terminating = 'Application.Terminating',
  Terminated = 'Application.Terminated',
  /** Exists; never fired until calls are emulated. */
  CallAlerting = 'Application.CallAlerting',
}

declare namespace AppEvents {
  interface Event { name: string }
  interface Started extends Event {
    accessURL: string;
    accessSecureURL: string;
    accountId: number;
    applicationId: number;
    logURL: string;
    sessionId: number;
    /** Conference sessions only. */
    conference_name?: string;
  }
  interface HttpRequest extends Event {
    method: string;
    /** URL path plus `?query`, if any. */
    path: string;
    content: string;
    /** Request headers whose names start with `X-` (case-insensitively). */
    headers: { key: string; value: string }[];
  }
  interface Terminating extends Event { systemError?: boolean }
  interface Terminated extends Event { systemError?: boolean }
}

/** What an HttpRequest handler may return: a string or number (text/plain), any other value (JSON),
 * undefined (200, empty), or a Promise of one of those. */
type HttpRequestResult = string | number | object | boolean | null | undefined;

declare namespace VoxEngine {
  /** The session custom data ("" if none). */
  function customData(): string;
  /** Sets the custom data; throws when longer than 200 bytes (UTF-8). */
  function customData(value: string): void;
  function addEventListener(event: AppEvents.Started | 'Application.Started', handler: (e: AppEvents.Started) => void): void;
  function addEventListener(
    event: AppEvents.HttpRequest | 'Application.HttpRequest',
    handler: (e: AppEvents.HttpRequest) => HttpRequestResult | Promise<HttpRequestResult>,
  ): void;
  function addEventListener(event: AppEvents.Terminating | 'Application.Terminating', handler: (e: AppEvents.Terminating) => void): void;
  function addEventListener(event: AppEvents.Terminated | 'Application.Terminated', handler: (e: AppEvents.Terminated) => void): void;
  function addEventListener(event: string, handler: (e: AppEvents.Event) => unknown): void;
  /** Without `handler`: removes every listener of `event`. */
  function removeEventListener(event: string, handler?: (e: any) => unknown): void;
  /** Ends the session once the running code returns (it does not abort it). */
  function terminate(): void;
}

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
declare function clearTimeout(id: number): void;
declare function clearInterval(id: number): void;
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

declare enum Modules {
  AI = 'ai',
  ApplicationStorage = 'applicationstorage',
  ASR = 'asr',
  Avatar = 'avatar',
  CallList = 'calllist',
  Conference = 'conference',
  CRM = 'crm',
  IVR = 'ivr',
  MeasurementProtocol = 'measurementprotocol',
  Player = 'player',
  PushService = 'pushservice',
  Recorder = 'recorder',
  SmartQueue = 'smartqueue',
  StreamingAgent = 'streamingagent',
  Voicemail = 'voicemail',
}
/** voxrun emulates no module yet: always throws an Error naming the module. */
declare function require(module: Modules | string): never;
