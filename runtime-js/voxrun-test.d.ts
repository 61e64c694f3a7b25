// The globals of a `voxrun test` file (`*.test.js`): test, expect, voxrun.
// Reference it from a test file (`/// <reference path=".../voxrun-test.d.ts" />`) or list it
// in a jsconfig.json/tsconfig.json for completion and type checks. README: "Test scenarios".

/** Registers a test; tests of a file run one after another, in this order. */
declare function test(name: string, fn: () => Promise<void> | void): void;

interface VoxrunMatchers {
  /** `Object.is`. */
  toBe(expected: unknown): void;
  /** Deep equality of plain values, arrays and objects (`undefined` members ignored). */
  toEqual(expected: unknown): void;
  /** A string that matches the regex, or contains the string. */
  toMatch(expected: RegExp | string): void;
  /** A string that contains it, or an array (any iterable) with that element. */
  toContain(expected: unknown): void;
  toBeTruthy(): void;
  toBeGreaterThan(expected: number | bigint | string): void;
}

interface VoxrunExpectation extends VoxrunMatchers {
  /** The same matchers, negated. */
  not: VoxrunMatchers;
}

/** A failed expectation fails the test with both values and the test file's line. */
declare function expect(actual: unknown): VoxrunExpectation;

/** A peer script (README "Calls"): how a far end answers and what it does. */
type VoxrunPeer = {
  answer?: 'busy' | 'no_answer' | 'never' | { reject: number } | { after: number };
  steps?: Array<Record<string, unknown>>;
};

/** One transcript entry (README "Calls": the transcript). */
interface VoxrunEntry {
  t: number;
  call: string | null;
  what: string;
  [field: string]: unknown;
}

interface VoxrunReply {
  status: number;
  body: string;
  contentType: string | null;
  json(): any;
}

/** What the scenario said or played to a call. */
interface VoxrunHeard {
  what: 'say' | 'play';
  /** `say`: the text and the voice. */
  text?: string;
  voice?: string;
  /** `play`: the URL. */
  url?: string;
}

/** The far end of one call of a session. */
interface VoxrunFarEnd {
  readonly id: string;
  /** The number dialled (outbound) or the caller's number (inbound). */
  readonly number: string;
  readonly incoming: boolean;
  /** Answers a ringing outbound call. */
  answer(): Promise<void>;
  /** Refuses a ringing outbound call (SIP code, default 486). */
  reject(code?: number): Promise<void>;
  dtmf(digits: string): Promise<void>;
  /** Far-end speech: reaches an ASR the call's media is sent to. */
  say(text: string): Promise<void>;
  message(text: string): Promise<void>;
  hangup(): Promise<void>;
  /** The next thing the scenario said or played to this call. */
  heard(): Promise<VoxrunHeard>;
  /** The next transcript entry of this call with this `what`. */
  waitFor(what: string): Promise<VoxrunEntry>;
}

interface VoxrunSession {
  readonly id: number;
  /** `voxrun.callIn` only: the caller's end of the inbound call. */
  readonly call: VoxrunFarEnd | undefined;
  /** The far ends of every call of the session, in order. */
  readonly calls: VoxrunFarEnd[];
  /** An HttpRequest event; `path` is what the handler sees as `e.path`. */
  request(method: string, path: string, body?: string | object, headers?: Record<string, string>): Promise<VoxrunReply>;
  /** The next outbound call not yet taken, waiting for the scenario to dial. */
  nextCall(): Promise<VoxrunFarEnd>;
  transcript(): VoxrunEntry[];
  log(): string[];
  ended(): Promise<{ reason: string }>;
  /** Ends the session as an operator stop does ("Terminated administratively"). */
  terminate(): Promise<{ reason: string }>;
}

interface VoxrunStartOptions {
  /** Scenario files, relative to the test file, evaluated in this order. */
  scenarios: string[];
  customData?: string;
  /** Number patterns to peer scripts for outbound calls; unmatched numbers ring until answered. */
  peers?: Record<string, VoxrunPeer>;
}

interface VoxrunCallInOptions {
  scenarios: string[];
  /** The number called. */
  to: string;
  from?: string;
  caller?: VoxrunPeer;
  /** The call's custom data (`CallAlerting.customData`). */
  customData?: string;
  /** Number patterns to peer scripts for the scenario's outbound calls (as in `start`). */
  peers?: Record<string, VoxrunPeer>;
}

declare const voxrun: {
  start(options: VoxrunStartOptions): Promise<VoxrunSession>;
  callIn(options: VoxrunCallInOptions): Promise<VoxrunSession & { readonly call: VoxrunFarEnd }>;
  /** Moves the virtual clock on by this many seconds. */
  advance(seconds: number): Promise<void>;
};
