#!/usr/bin/env node
// Drives voxrun's sessions through the official, unmodified Node client (npm
// `@voximplant/apiclient-nodejs`, pinned in tests/common/mod.rs): Scenarios.startScenarios,
// Scenarios.startConference, History.getCallHistory, the session control URL over HTTP and
// HTTPS, and the session log URL.
//
// Usage:
//   node node_sessions.js --endpoint 127.0.0.1:PORT --credentials OWNER.json --cert CERT.pem [--only SECTION]
// The client must be resolvable (NODE_PATH=<dir>/node_modules) and the server's certificate
// trusted through $NODE_EXTRA_CA_CERTS (the client); --cert is used for the control and log URLs.
//
// Sections: `flow`, `conference`, `errors`. A section stops at its first failed check and the
// script goes on with the next one. Exit status 0 only if every check passed.
'use strict';

const fs = require('fs');
const http = require('http');
const https = require('https');
const crypto = require('crypto');
const VoximplantApiClient = require('@voximplant/apiclient-nodejs').default;

const UNKNOWN_ID = 987654321;
// Bounded wait for a session told to end to show up as ended in GetCallHistory.
const HISTORY_WAIT_MS = 20000;

class CheckFailed extends Error {}

function short(v, limit = 400) {
  let s;
  try {
    s = JSON.stringify(v);
  } catch (e) {
    s = String(v);
  }
  if (s === undefined) s = String(v);
  return s.length <= limit ? s : `${s.slice(0, limit)}...(${s.length} chars)`;
}

function eq(got, want, what) {
  if (short(got, 1e9) !== short(want, 1e9)) {
    throw new CheckFailed(`${what}: expected ${short(want)}, got ${short(got)}`);
  }
}

function check(cond, what) {
  if (!cond) throw new CheckFailed(what);
}

function isId(v, what) {
  if (!Number.isInteger(v) || v <= 0) throw new CheckFailed(`${what}: expected a positive integer, got ${short(v)}`);
  return v;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The official client: `ok` must succeed, `fails` must fail with that code. The client
// resolves API errors with the raw {error, errors} body.
class Api {
  constructor(client) {
    this.client = client;
  }

  async raw(method, params) {
    const [ns, fn] = method.split('.');
    const desc = `${method}(${short(params, 240)})`;
    let res;
    try {
      res = await this.client[ns][fn](params);
    } catch (e) {
      const status = e && e.response ? ` (HTTP ${e.response.status}: ${short(e.response.data)})` : '';
      throw new CheckFailed(`${desc} rejected: ${e && e.message}${status}`);
    }
    return [desc, res];
  }

  async ok(method, params = {}) {
    const [desc, res] = await this.raw(method, params);
    check(res && typeof res === 'object', `${desc}: expected an object, got ${short(res)}`);
    if (res.error || res.errors) throw new CheckFailed(`${desc} failed: ${short(res)}`);
    return res;
  }

  async fails(code, method, params = {}) {
    const [desc, res] = await this.raw(method, params);
    const err = res && res.error;
    check(err && typeof err === 'object', `${desc}: expected error ${code}, got ${short(res)}`);
    eq(err.code, code, `${desc}: error code (${short(err)})`);
    check(typeof err.msg === 'string' && err.msg !== '', `${desc}: error ${code} has no message`);
    return err;
  }
}

// Plain HTTP(S) to the control and log URLs, trusting the server's certificate.
function request(method, url, body = undefined, headers = {}, ca = undefined) {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const mod = u.protocol === 'https:' ? https : http;
    const opts = { method, headers: { ...headers } };
    if (u.protocol === 'https:') opts.ca = ca;
    if (body !== undefined) opts.headers['Content-Length'] = Buffer.byteLength(body);
    const req = mod.request(u, opts, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(60000, () => req.destroy(new Error(`${method} ${url}: no answer within 60 s`)));
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

function contentType(r) {
  return String(r.headers['content-type'] || '').split(';')[0].trim().toLowerCase();
}

const ECHO_SCENARIO = String.raw`
var started = null;
VoxEngine.addEventListener(AppEvents.Started, function (e) {
  started = {name: e.name, accessURL: e.accessURL, accessSecureURL: e.accessSecureURL, logURL: e.logURL,
             sessionId: e.sessionId, conference_name: e.conference_name === undefined ? null : e.conference_name,
             customData: VoxEngine.customData()};
  Logger.write('STARTED-LINE session ' + e.sessionId + ' custom=' + VoxEngine.customData());
});
VoxEngine.addEventListener(AppEvents.HttpRequest, function (e) {
  Logger.write('REQUEST-LINE ' + e.method + ' [' + e.content + ']');
  if (e.content === 'started') return started;
  if (e.content === 'text') return 'plain ' + e.method;
  if (e.content === 'bye') {
    VoxEngine.customData('final:' + VoxEngine.customData());
    Logger.write('BYE-LINE');
    VoxEngine.terminate();
    return 'bye';
  }
  VoxEngine.customData('seen-' + e.method);
  return {name: e.name, method: e.method, path: e.path, content: e.content, headers: e.headers};
});
`;

class Suite {
  constructor(api, ca, tag) {
    this.api = api;
    this.ca = ca;
    this.tag = tag;
  }

  req(method, url, body, headers) {
    return request(method, url, body, headers, this.ca);
  }

  async jsonReply(what, r) {
    eq(r.status, 200, `${what}: HTTP status (body ${short(r.body)})`);
    eq(contentType(r), 'application/json', `${what}: Content-Type`);
    try {
      return JSON.parse(r.body);
    } catch (e) {
      throw new CheckFailed(`${what}: body is not JSON: ${short(r.body)}`);
    }
  }

  async ruleWith(label, scripts) {
    const app = await this.api.ok('Applications.addApplication', { applicationName: `nds-${label}-${this.tag}` });
    const appId = isId(app.applicationId, 'AddApplication applicationId');
    const rule = await this.api.ok('Rules.addRule', { applicationId: appId, ruleName: `r-${label}`, rulePattern: '.*' });
    const ruleId = isId(rule.ruleId, 'AddRule ruleId');
    for (let i = 0; i < scripts.length; i++) {
      const s = await this.api.ok('Scenarios.addScenario', {
        scenarioName: `s${i}-${label}-${this.tag}`,
        scenarioScript: scripts[i],
        ruleId,
      });
      isId(s.scenarioId, 'AddScenario scenarioId');
    }
    return [appId, ruleId];
  }

  checkStarted(what, res) {
    eq(res.result, 1, `${what}: result`);
    const id = isId(res.callSessionHistoryId, `${what}: callSessionHistoryId`);
    const url = res.mediaSessionAccessUrl;
    const surl = res.mediaSessionAccessSecureUrl;
    check(typeof url === 'string' && url.startsWith('http://'), `${what}: mediaSessionAccessUrl ${short(url)}`);
    check(typeof surl === 'string' && surl.startsWith('https://'), `${what}: mediaSessionAccessSecureUrl ${short(surl)}`);
    eq(surl.slice('https://'.length), url.slice('http://'.length), `${what}: the secure URL is the plain URL with https://`);
    return { id, url, surl };
  }

  async waitFinished(id) {
    const deadline = Date.now() + HISTORY_WAIT_MS;
    for (;;) {
      const res = await this.api.ok('History.getCallHistory', { callSessionHistoryId: [id] });
      check(Array.isArray(res.result) && res.result.length === 1,
        `GetCallHistory(callSessionHistoryId=${id}): expected one row, got ${short(res)}`);
      const row = res.result[0];
      if (row.finishReason !== null && row.finishReason !== undefined) return row;
      if (Date.now() > deadline) {
        throw new CheckFailed(`GetCallHistory(callSessionHistoryId=${id}): no finishReason ${HISTORY_WAIT_MS} ms after the session was told to end: ${short(row)}`);
      }
      await sleep(100);
    }
  }

  // ---------------------------------------------------------------- sections

  async flow() {
    const [appId, ruleId] = await this.ruleWith('flow', [ECHO_SCENARIO]);
    const custom = `from node \u2713 ${this.tag}`;
    const s = this.checkStarted('Scenarios.startScenarios',
      await this.api.ok('Scenarios.startScenarios', { ruleId, scriptCustomData: custom }));
    const upath = new URL(s.url).pathname;
    const secret = upath.split('/').pop();

    const st = await this.jsonReply('POST started (https)', await this.req('POST', s.surl, 'started'));
    eq([st.name, st.accessURL, st.accessSecureURL, st.sessionId, st.customData, st.conference_name],
      ['Application.Started', s.url, s.surl, s.id, custom, null], 'what Started saw');

    const ev = await this.jsonReply('PATCH with X-* headers (http)', await this.req('PATCH', `${s.url}?q=${this.tag}`, 'node body',
      { 'X-Node-Test': 'yes', 'Content-Type': 'text/plain', Accept: 'x-not-a-header' }));
    eq([ev.name, ev.method, ev.path, ev.content], ['Application.HttpRequest', 'PATCH', `${upath}?q=${this.tag}`, 'node body'],
      'the HttpRequest event');
    check(Array.isArray(ev.headers), `headers: expected a list, got ${short(ev.headers)}`);
    eq(ev.headers.map((h) => [String(h.key).toLowerCase(), h.value]), [['x-node-test', 'yes']], 'headers: exactly the X-* ones');

    const ev2 = await this.jsonReply('POST (https)', await this.req('POST', s.surl, 'over tls'));
    eq([ev2.method, ev2.content], ['POST', 'over tls'], 'POST over https');

    for (const [u, scheme] of [[s.url, 'http'], [s.surl, 'https']]) {
      const r = await this.req('PUT', u, 'text');
      eq([r.status, contentType(r), r.body], [200, 'text/plain', 'plain PUT'], `a string reply (${scheme})`);
    }

    const bye = await this.req('POST', s.url, 'bye');
    eq([bye.status, bye.body], [200, 'bye'], 'the terminating request');
    const row = await this.waitFinished(s.id);
    eq([row.callSessionHistoryId, row.finishReason, row.customData, row.applicationId, row.ruleName],
      [s.id, 'Normal termination', 'final:seen-POST', appId, 'r-flow'], 'the history row');
    check(Number.isInteger(row.duration) && row.duration >= 0, `duration: expected an integer >= 0, got ${short(row.duration)}`);
    eq(row.logFileUrl, st.logURL, 'logFileUrl vs Started.logURL');
    // The client's CallSessionInfoType mapping leaves startDate as sent.
    check(typeof row.startDate === 'string' && /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(row.startDate),
      `startDate: expected 'YYYY-MM-DD HH:mm:ss', got ${short(row.startDate)}`);

    const log = await this.req('GET', row.logFileUrl);
    eq(log.status, 200, `GET logFileUrl: status (body ${short(log.body)})`);
    for (const needle of [`STARTED-LINE session ${s.id} custom=${custom}`, 'REQUEST-LINE PATCH [node body]',
      'REQUEST-LINE POST [over tls]', 'BYE-LINE']) {
      check(log.body.includes(needle), `the session log lacks ${short(needle)}:\n${log.body}`);
    }
    check(!log.body.includes(secret), `the session log shows the control secret:\n${log.body}`);
    const bad = row.logFileUrl.replace(/\/[^/]+$/, `/${'0'.repeat(32)}`);
    eq((await this.req('GET', bad)).status, 404, 'the log URL with a wrong secret');
    eq((await this.req('POST', s.surl, 'again')).status, 404, 'the control URL after terminate');
  }

  async conference() {
    const [, ruleId] = await this.ruleWith('conf', [ECHO_SCENARIO]);
    const name = `room-${this.tag}`;
    const c1 = this.checkStarted('startConference #1',
      await this.api.ok('Scenarios.startConference', { conferenceName: name, ruleId, scriptCustomData: 'first' }));
    const c2 = this.checkStarted('startConference #2',
      await this.api.ok('Scenarios.startConference', { conferenceName: name, ruleId, scriptCustomData: 'second' }));
    eq([c2.id, c2.url, c2.surl], [c1.id, c1.url, c1.surl], 'a second StartConference with the same name joins the live session');

    const st = await this.jsonReply('POST started', await this.req('POST', c1.url, 'started'));
    eq([st.conference_name, st.sessionId, st.customData], [name, c1.id, 'first'], 'Started of a conference session');

    const other = this.checkStarted('startConference (another name)',
      await this.api.ok('Scenarios.startConference', { conferenceName: `${name}-b`, ruleId }));
    check(other.id !== c1.id && other.url !== c1.url, `another conference name starts another session: ${short([c1, other])}`);
    const plain = this.checkStarted('startScenarios on the same rule',
      await this.api.ok('Scenarios.startScenarios', { ruleId }));
    check(plain.id !== c1.id, `StartScenarios never joins a conference: ${short([c1, plain])}`);

    eq((await this.req('POST', c1.url, 'bye')).status, 200, 'ending the conference session');
    const row = await this.waitFinished(c1.id);
    eq(row.finishReason, 'Normal termination', 'the ended conference session');
    const c3 = this.checkStarted('startConference after the session ended',
      await this.api.ok('Scenarios.startConference', { conferenceName: name, ruleId, scriptCustomData: 'third' }));
    check(c3.id !== c1.id && c3.url !== c1.url && c3.surl !== c1.surl,
      `after the conference session ended, the same name starts a new session: ${short([c1, c3])}`);
    const st3 = await this.jsonReply('POST started (new session)', await this.req('POST', c3.surl, 'started'));
    eq([st3.conference_name, st3.sessionId, st3.customData], [name, c3.id, 'third'], 'Started of the new conference session');
    eq((await this.req('POST', c1.url, 'x')).status, 404, 'the old conference session URL');

    // conference_name must be shorter than 50 characters.
    await this.api.fails(270, 'Scenarios.startConference', { conferenceName: 'c'.repeat(50), ruleId });
    await this.api.fails(270, 'Scenarios.startConference', { conferenceName: '\u00e9'.repeat(64), ruleId });
    const c49 = this.checkStarted('startConference (49 characters)',
      await this.api.ok('Scenarios.startConference', { conferenceName: '\u00e9'.repeat(49), ruleId }));
    const st49 = await this.jsonReply('POST started (49 characters)', await this.req('POST', c49.url, 'started'));
    eq(st49.conference_name, '\u00e9'.repeat(49), 'Started.conference_name of a 49-character name');
  }

  async errors() {
    const app = await this.api.ok('Applications.addApplication', { applicationName: `nds-err-${this.tag}` });
    const appId = isId(app.applicationId, 'AddApplication applicationId');
    const empty = await this.api.ok('Rules.addRule', { applicationId: appId, ruleName: 'r-empty', rulePattern: '.*' });
    await this.api.fails(375, 'Scenarios.startScenarios', { ruleId: isId(empty.ruleId, 'AddRule ruleId') });
    await this.api.fails(375, 'Scenarios.startConference', { conferenceName: `e-${this.tag}`, ruleId: empty.ruleId });
    await this.api.fails(147, 'Scenarios.startScenarios', { ruleId: UNKNOWN_ID });
    await this.api.fails(147, 'Scenarios.startConference', { conferenceName: `u-${this.tag}`, ruleId: UNKNOWN_ID });
    const [, ruleId] = await this.ruleWith('cd', ['VoxEngine.addEventListener(AppEvents.HttpRequest, () => VoxEngine.customData());']);
    await this.api.fails(101, 'Scenarios.startScenarios', { ruleId, scriptCustomData: 'y'.repeat(201) });
    await this.api.fails(101, 'Scenarios.startConference', { conferenceName: `cd-${this.tag}`, ruleId, scriptCustomData: 'y'.repeat(201) });
  }
}

const SECTIONS = ['flow', 'conference', 'errors'];

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i];
    const v = argv[i + 1];
    if (!k.startsWith('--') || v === undefined) throw new Error(`bad arguments: ${argv.join(' ')}`);
    out[k.slice(2)] = v;
  }
  for (const req of ['endpoint', 'credentials', 'cert']) {
    if (!out[req]) throw new Error(`--${req} is required`);
  }
  if (out.only && !SECTIONS.includes(out.only)) throw new Error(`--only: one of ${SECTIONS.join(', ')}`);
  return out;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const client = await new Promise((resolve, reject) => {
    const c = new VoximplantApiClient({ pathToCredentials: args.credentials, host: args.endpoint });
    c.onReady = resolve;
    setTimeout(() => reject(new Error('the client did not become ready')), 30000).unref();
  });
  const suite = new Suite(new Api(client), fs.readFileSync(args.cert), crypto.randomBytes(4).toString('hex'));
  const chosen = args.only ? [args.only] : SECTIONS;
  let passed = 0;
  for (const name of chosen) {
    try {
      await suite[name]();
      passed += 1;
      console.log(`PASS ${name}`);
    } catch (e) {
      if (e instanceof CheckFailed) console.log(`FAIL ${name}: ${e.message}`);
      else console.log(`FAIL ${name}: unexpected exception\n${e && e.stack}`);
    }
  }
  console.log(`${passed} of ${chosen.length} sections passed`);
  process.exit(passed === chosen.length ? 0 : 1);
}

main().catch((e) => {
  console.log(`FATAL ${e && e.stack}`);
  process.exit(2);
});
