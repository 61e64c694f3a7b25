// The globals of a `voxrun test` file (docs/testing.md): test, expect, voxrun.
// Evaluated once per test file, in the file's own context; `ops` are the native
// `op_test_*` functions (src/runtime/testing/ops.rs). Returns the runner the Rust driver
// calls: count(), name(i), run(i).
(function (ops) {
  'use strict';

  const TAIL = 12;
  // Further than this the virtual clock would pass the end of its range.
  const MAX_ADVANCE_S = 10 * 365 * 24 * 3600;
  const tests = [];
  const sessions = [];

  function show(v) {
    if (v === undefined) return 'undefined';
    if (typeof v === 'string') return JSON.stringify(v);
    if (typeof v === 'function') return '[Function ' + (v.name || 'anonymous') + ']';
    if (typeof v === 'bigint') return String(v) + 'n';
    if (typeof v === 'symbol' || v instanceof RegExp) return String(v);
    if (v instanceof Error) return v.name + ': ' + v.message;
    if (v instanceof Map) return 'Map ' + show([...v]);
    if (v instanceof Set) return 'Set ' + show([...v]);
    try {
      const s = JSON.stringify(v);
      return s === undefined ? String(v) : s;
    } catch (e) {
      return String(v);
    }
  }

  // Own enumerable keys, symbols included, whose value is not undefined.
  function definedKeys(o) {
    const keys = [...Object.keys(o), ...Object.getOwnPropertySymbols(o).filter((k) => Object.prototype.propertyIsEnumerable.call(o, k))];
    return keys.filter((k) => o[k] !== undefined);
  }

  function deepEqual(a, b) {
    if (Object.is(a, b)) return true;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
    if (a instanceof Date) return a.getTime() === b.getTime();
    if (a instanceof RegExp) return String(a) === String(b);
    if (a instanceof Number || a instanceof String || a instanceof Boolean) {
      if (!Object.is(a.valueOf(), b.valueOf())) return false;
    }
    if (a instanceof Map) {
      if (a.size !== b.size) return false;
      for (const [k, v] of a) {
        if (!b.has(k) || !deepEqual(v, b.get(k))) return false;
      }
    }
    if (a instanceof Set) {
      if (a.size !== b.size) return false;
      for (const v of a) {
        if (!b.has(v) && ![...b].some((w) => deepEqual(v, w))) return false;
      }
    }
    const ka = definedKeys(a);
    const kb = definedKeys(b);
    if (ka.length !== kb.length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }

  // The first frame of the stack that is in the test file: `file:line:column`.
  function where() {
    const stack = String(new Error().stack || '');
    for (const line of stack.split('\n')) {
      const m = /\(([^()]*):(\d+):(\d+)\)\s*$/.exec(line);
      if (m && m[1] === ops.file) return m[1] + ':' + m[2] + ':' + m[3];
    }
    return ops.file;
  }

  class ExpectationError extends Error {
    constructor(message) {
      super(message);
      this.name = 'ExpectationError';
    }
  }

  class WaitError extends Error {
    constructor(message) {
      super(message);
      this.name = 'WaitError';
    }
  }

  function matchers(actual, negate) {
    const check = (pass, matcher, expected) => {
      if (Boolean(pass) !== negate) return;
      const has = matcher.indexOf('(expected)') >= 0;
      let msg = 'expect(received)' + (negate ? '.not' : '') + '.' + matcher + ' failed';
      if (has) msg += '\n  expected: ' + (negate ? 'not ' : '') + show(expected);
      msg += '\n  received: ' + show(actual) + '\n  at ' + where();
      throw new ExpectationError(msg);
    };
    return {
      toBe: (e) => check(Object.is(actual, e), 'toBe(expected)', e),
      toEqual: (e) => check(deepEqual(actual, e), 'toEqual(expected)', e),
      toMatch: (e) => {
        if (typeof actual !== 'string') return check(false, 'toMatch(expected)', e);
        const ok = e instanceof RegExp ? new RegExp(e.source, e.flags.replace('g', '')).test(actual) : actual.includes(String(e));
        return check(ok, 'toMatch(expected)', e);
      },
      toContain: (e) => {
        const ok = (typeof actual === 'string' && actual.includes(String(e))) ||
          (actual != null && typeof actual[Symbol.iterator] === 'function' && typeof actual !== 'string' &&
            Array.from(actual).some((x) => Object.is(x, e) || (x === e)));
        return check(ok, 'toContain(expected)', e);
      },
      toBeTruthy: () => check(actual, 'toBeTruthy()'),
      toBeGreaterThan: (e) => check(typeof actual === typeof e && actual > e, 'toBeGreaterThan(expected)', e),
    };
  }

  function expect(actual) {
    const m = matchers(actual, false);
    m.not = matchers(actual, true);
    return m;
  }

  // The file's tests are collected when it loads; one registered later would never run.
  let loaded = false;

  function test(name, fn) {
    if (typeof name !== 'string' || typeof fn !== 'function') {
      throw new TypeError('test(name, fn) takes a name and a function');
    }
    if (loaded) {
      throw new Error('test() must be called at the top level of the file, not inside a test (' + name + ')');
    }
    tests.push({ name, fn });
  }

  // The last transcript entries of every session of this test, for failure messages.
  function tail() {
    const parts = [];
    for (const s of sessions) {
      const t = ops.transcriptLines(s.id).slice(-TAIL);
      parts.push('  session ' + s.id + ' transcript (last ' + t.length + '):');
      for (const line of t) parts.push('    ' + line);
      const log = s.log().slice(-3);
      for (const l of log) parts.push('    log: ' + l);
    }
    return parts.length ? '\n' + parts.join('\n') : '';
  }

  // Resolves with check()'s first value that is not undefined, moving the virtual clock on
  // as far as needed. Fails when it can never happen: the session ended first, nothing is
  // left to happen, or an hour of virtual time went by.
  async function until(check, what, session) {
    const at = where();
    const since = ops.now();
    for (;;) {
      const v = check();
      if (v !== undefined) return v;
      const end = session && ops.ended(session.id);
      if (end) {
        const last = check();
        if (last !== undefined) return last;
        throw new WaitError('waited for ' + what + ', but session ' + session.id + ' ended (' + end.reason + ') first\n  at ' + at + tail());
      }
      try {
        await ops.step(since);
      } catch (e) {
        throw new WaitError('waited for ' + what + ': ' + e.message + '\n  at ' + at + tail());
      }
    }
  }

  // A transcript entry about call `id`: its own, or media between it and another.
  function about(e, id) {
    return e.call === id || (e.what === 'media' && (e.from === id || e.to === id));
  }

  // Entry `i` sends a player's media to call `id` (sendMediaTo): what that player is still
  // playing then, if anything (a player plays from its creation, as on the platform).
  function playingWhenSent(t, i, id) {
    const m = t[i];
    if (m.what !== 'media' || m.to !== id || m.on !== true) return undefined;
    for (let j = i - 1; j >= 0; j--) {
      const e = t[j];
      if (e.player !== m.from) continue;
      if (e.what === 'playback_finished') return undefined;
      if (e.what === 'say' || e.what === 'play') return e;
    }
    return undefined;
  }

  function heardOf(e) {
    if (e.what === 'say') return { what: 'say', text: e.text, voice: e.voice };
    return { what: 'play', url: e.url };
  }

  class FarEnd {
    constructor(session, id, number, incoming) {
      this.session = session;
      this.id = id;
      this.number = number;
      this.incoming = incoming;
      this._heard = 0;
      this._waited = 0;
    }

    _act(kind, arg) {
      return ops.farEnd(this.session.id, this.id, kind, arg === undefined ? '' : String(arg));
    }

    answer() { return this._act('answer'); }
    reject(code) { return this._act('reject', code === undefined ? 486 : code); }
    dtmf(digits) { return this._act('dtmf', digits); }
    say(text) { return this._act('say', text); }
    message(text) { return this._act('message', text); }
    hangup() { return this._act('hangup'); }

    heard() {
      const s = this.session;
      return until(() => {
        const t = s.transcript();
        for (let i = this._heard; i < t.length; i++) {
          const e = t[i];
          const said = e.call === this.id && (e.what === 'say' || e.what === 'play')
            ? e
            : playingWhenSent(t, i, this.id);
          if (said) {
            this._heard = i + 1;
            return heardOf(said);
          }
        }
        this._heard = t.length;
        return undefined;
      }, 'something said or played to ' + this.id, s);
    }

    waitFor(what) {
      const s = this.session;
      return until(() => {
        const t = s.transcript();
        for (let i = this._waited; i < t.length; i++) {
          if (t[i].what === what && about(t[i], this.id)) {
            this._waited = i + 1;
            return t[i];
          }
        }
        this._waited = t.length;
        return undefined;
      }, '"' + what + '" on ' + this.id, s);
    }
  }

  class Session {
    constructor(id) {
      this.id = id;
      this._entries = [];
      this._farEnds = new Map();
      this._taken = 0;
      this.call = undefined;
    }

    _farEnd(e) {
      let f = this._farEnds.get(e.call);
      if (!f) {
        const incoming = e.what === 'alerting';
        f = new FarEnd(this, e.call, incoming ? e.from : e.number, incoming);
        this._farEnds.set(e.call, f);
      }
      return f;
    }

    transcript() {
      const more = ops.transcript(this.id, this._entries.length);
      for (const e of more) this._entries.push(e);
      return this._entries.slice();
    }

    log() { return ops.log(this.id); }

    get calls() {
      return this.transcript()
        .filter((e) => e.call && (e.what === 'dial' || e.what === 'alerting'))
        .map((e) => this._farEnd(e));
    }

    nextCall() {
      return until(() => {
        const dials = this.transcript().filter((e) => e.what === 'dial');
        if (dials.length <= this._taken) return undefined;
        return this._farEnd(dials[this._taken++]);
      }, 'the next outbound call of session ' + this.id, this);
    }

    async request(method, path, body, headers) {
      const text = body === undefined || body === null ? '' : typeof body === 'string' ? body : JSON.stringify(body);
      const r = await ops.request(this.id, String(method || 'GET'), String(path || '/'), text, JSON.stringify(headers || {}));
      return { status: r.status, body: r.body, contentType: r.contentType, json: () => JSON.parse(r.body) };
    }

    ended() {
      return until(() => ops.ended(this.id) || undefined, 'the end of session ' + this.id);
    }

    async terminate() {
      await ops.terminate(this.id);
      return this.ended();
    }
  }

  async function start(options, inbound) {
    if (options === null || typeof options !== 'object' || !Array.isArray(options.scenarios) || options.scenarios.length === 0) {
      throw new TypeError('voxrun.' + (inbound ? 'callIn' : 'start') + '({scenarios: [...]}) needs a non-empty scenarios array');
    }
    const spec = {
      scenarios: options.scenarios.map(String),
      customData: options.customData === undefined ? '' : String(options.customData),
      peers: options.peers === undefined ? null : JSON.stringify(options.peers),
      inbound: null,
    };
    if (inbound) {
      if (typeof options.to !== 'string' || options.to === '') throw new TypeError('voxrun.callIn needs `to`, the number called');
      spec.customData = '';
      spec.inbound = {
        to: options.to,
        from: options.from === undefined ? null : String(options.from),
        caller: options.caller === undefined ? null : JSON.stringify(options.caller),
        customData: options.customData === undefined ? null : String(options.customData),
      };
    }
    const id = await ops.start(spec);
    const s = new Session(id);
    sessions.push(s);
    if (inbound) {
      s.call = await until(() => {
        const e = s.transcript().find((x) => x.what === 'alerting');
        return e ? s._farEnd(e) : undefined;
      }, 'the inbound call of session ' + id, s);
    }
    return s;
  }

  const voxrun = {
    start: (options) => start(options, false),
    callIn: (options) => start(options, true),
    advance: (seconds) => {
      const s = Number(seconds);
      if (!(s >= 0) || !(s <= MAX_ADVANCE_S)) {
        throw new TypeError('voxrun.advance(seconds) takes a number of seconds from 0 to ' + MAX_ADVANCE_S);
      }
      return ops.advance(Math.round(s * 1000));
    },
  };

  Object.defineProperty(globalThis, 'test', { value: test, enumerable: false, writable: true, configurable: true });
  Object.defineProperty(globalThis, 'expect', { value: expect, enumerable: false, writable: true, configurable: true });
  Object.defineProperty(globalThis, 'voxrun', { value: voxrun, enumerable: false, writable: true, configurable: true });

  return {
    count: () => tests.length,
    name: (i) => tests[i].name,
    run: async (i) => {
      loaded = true;
      sessions.length = 0;
      await tests[i].fn();
    },
  };
})
