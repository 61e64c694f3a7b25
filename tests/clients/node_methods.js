#!/usr/bin/env node
// Drives voxrun's applications, rules and scenarios methods through the official, unmodified
// Node client (npm `@voximplant/apiclient-nodejs`, pinned in tests/real_clients.rs) over HTTPS.
//
// Usage:
//   node node_methods.js --endpoint 127.0.0.1:PORT --credentials OWNER.json [--support-credentials SUPPORT.json]
// (`--endpoint` and `--credentials` default to $VOXRUN_ENDPOINT and $VOXRUN_CREDENTIALS; the
// client itself would prefer $VOXIMPLANT_CREDENTIALS over both, so leave that unset.)
// The client must be resolvable (NODE_PATH=<dir>/node_modules) and the server's certificate
// trusted through $NODE_EXTRA_CA_CERTS.
//
// What this client does on the wire: multipart/form-data sent with Transfer-Encoding: chunked,
// RS256 JWT with a numeric `iss`; an API error RESOLVES with the raw `{error, errors}` body
// (the client only recognises it when `errors` is present); successful responses are mapped to
// camelCase, but nested objects the client does not know stay as sent (`rules[].scenarios` is
// snake_case) and `modified` stays a string. Its GetApplications mapping drops `rules`, so
// with_rules cannot be observed through this client (the Python script checks it).
//
// Every section runs on its own data (unique names per run); a section stops at its first failed
// check and the script goes on with the next one. Exit status 0 only if every check passed.
'use strict';

const fs = require('fs');
const crypto = require('crypto');
const VoximplantApiClient = require('@voximplant/apiclient-nodejs').default;

const UNKNOWN_ID = 987654321;

class CheckFailed extends Error {}

function short(v, limit = 300) {
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
  if (!Number.isInteger(v) || v <= 0) throw new CheckFailed(`${what}: expected a positive JSON integer id, got ${short(v)}`);
  return v;
}

function isCount(v, what) {
  if (!Number.isInteger(v) || v < 0) throw new CheckFailed(`${what}: expected a JSON integer, got ${short(v)}`);
  return v;
}

function isRecentUtc(v, what) {
  if (typeof v !== 'string' || !/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(v)) {
    throw new CheckFailed(`${what}: expected a 'YYYY-MM-DD HH:mm:ss' timestamp, got ${short(v)}`);
  }
  const t = new Date(v + ' GMT').getTime(); // what the client's own 'timestamp' parser does
  check(Math.abs(Date.now() - t) <= 15 * 60 * 1000, `${what}: ${v} is not the current UTC time (now ${new Date().toISOString()})`);
}

// The official client, with every call remembered for failure reports.
class Api {
  constructor(client, label) {
    this.client = client;
    this.label = label;
  }

  describe(method, params) {
    return `[${this.label}] ${method}(${short(params, 240)})`;
  }

  async raw(method, params) {
    const [ns, fn] = method.split('.');
    const desc = this.describe(method, params);
    let res;
    try {
      res = await this.client[ns][fn](params);
    } catch (e) {
      const status = e && e.response ? ` (HTTP ${e.response.status}: ${short(e.response.data)})` : '';
      Api.last = [desc, `rejected: ${e && e.message}${status}`];
      throw new CheckFailed(`${desc} rejected: ${e && e.message}${status}`);
    }
    Api.last = [desc, res];
    return [desc, res];
  }

  // Must succeed.
  async ok(method, params = {}) {
    const [desc, res] = await this.raw(method, params);
    check(res && typeof res === 'object', `${desc}: expected a JSON object, got ${short(res)}`);
    if (res.error || res.errors) {
      throw new CheckFailed(`${desc} failed with ${short(res.error || res.errors)}`);
    }
    return res;
  }

  // Must fail with exactly `code`, in the shape the client recognises ({error, errors}).
  async fails(code, method, params = {}) {
    const [desc, res] = await this.raw(method, params);
    if (!res || !res.error) throw new CheckFailed(`${desc}: expected error ${code}, got success: ${short(res)}`);
    if (res.error.code !== code) {
      throw new CheckFailed(`${desc}: expected error ${code}, got error ${res.error.code}: ${res.error.msg}`);
    }
    check(typeof res.error.msg === 'string' && res.error.msg !== '', `${desc}: error ${code} has no msg`);
    check(Array.isArray(res.errors) && res.errors.some((e) => e.code === code),
      `${desc}: the body needs an 'errors' list with code ${code} (the Node client relies on it): ${short(res)}`);
    return res;
  }

  // Must be refused with some API error (the spec names no code).
  async failsAny(method, params = {}) {
    const [desc, res] = await this.raw(method, params);
    check(res && res.error && Number.isInteger(res.error.code) && Array.isArray(res.errors),
      `${desc}: expected an API error, got ${short(res)}`);
    return res;
  }
}

// The last call made through any Api object, for failure reports.
Api.last = null;

function listOf(res, what, total) {
  check(res && Array.isArray(res.result), `${what}: expected a 'result' list, got ${short(res)}`);
  isCount(res.totalCount, `${what} total_count`);
  isCount(res.count, `${what} count`);
  eq(res.count, res.result.length, `${what}: count vs number of results`);
  if (total !== undefined) eq(res.totalCount, total, `${what}: total_count`);
  return res.result;
}

const pluck = (items, key) => items.map((x) => x[key]);
const sorted = (xs) => [...xs].sort((a, b) => a - b);

class Suite {
  constructor(api, account, tag) {
    this.api = api;
    this.account = account; // GetAccountInfo result, camelCase
    this.tag = tag;
  }

  full(name) {
    return `${name}.${this.account.accountName}.voximplant.com`;
  }

  async app(label) {
    const name = `js-${label}-${this.tag}`;
    const res = await this.api.ok('Applications.addApplication', { applicationName: name });
    return [isId(res.applicationId, 'AddApplication application_id'), this.full(name)];
  }

  async scenario(label, script, extra = {}) {
    const name = `${label}-${this.tag}`;
    const res = await this.api.ok('Scenarios.addScenario', { scenarioName: name, scenarioScript: script || `// ${name}\n`, ...extra });
    return [isId(res.scenarioId, 'AddScenario scenario_id'), name];
  }

  async rule(params) {
    const res = await this.api.ok('Rules.addRule', params);
    eq(res.result, 1, 'AddRule result');
    return isId(res.ruleId, 'AddRule rule_id');
  }

  // Names of the scenarios bound to a rule, in binding order.
  async bound(appId, ruleId) {
    const rules = listOf(await this.api.ok('Rules.getRules', { applicationId: appId, ruleId, withScenarios: true }), 'GetRules(rule_id)', 1);
    eq(rules[0].ruleId, ruleId, 'GetRules(rule_id) rule_id');
    const scen = rules[0].scenarios;
    check(Array.isArray(scen), `GetRules with_scenarios: expected a 'scenarios' list, got ${short(rules[0])}`);
    scen.forEach((s) => isId(s.scenario_id, 'bound scenario_id (snake_case)'));
    return pluck(scen, 'scenario_name');
  }

  async ruleIds(params, what, total) {
    return pluck(listOf(await this.api.ok('Rules.getRules', params), what, total), 'ruleId');
  }

  // ------------------------------------------------------------------ sections

  async accountInfo() {
    const res = await this.api.ok('Accounts.getAccountInfo', {});
    const r = res.result;
    check(r && typeof r === 'object', `GetAccountInfo: expected a 'result' object, got ${short(res)}`);
    const creds = JSON.parse(fs.readFileSync(this.api.client.pathToCredentials, 'utf8'));
    isId(r.accountId, 'account_id');
    eq(r.accountId, Number(creds.account_id), 'account_id vs key file');
    eq(r.accountEmail, creds.account_email, 'account_email vs key file');
    check(typeof r.accountName === 'string' && r.accountName !== '', `account_name: ${short(r.accountName)}`);
    eq(r.active, true, 'active');
    check(typeof res.apiAddress === 'string' && res.apiAddress !== '', `api_address: ${short(res.apiAddress)}`);
    check(typeof r.apiKey === 'string' && r.apiKey !== '', `an Owner key must see api_key: ${short(r)}`);

    // Other ways users build the client: positional (path, host), and an explicit numeric accountId.
    const positional = new Api(await makeClient(this.api.client.pathToCredentials, this.api.client.host, true), 'owner via (path, host)');
    eq((await positional.ok('Accounts.getAccountInfo', {})).result.accountId, r.accountId, 'GetAccountInfo via new VoximplantApiClient(path, host)');
    const withAccount = new Api(
      await makeClient({ pathToCredentials: this.api.client.pathToCredentials, host: this.api.client.host, accountId: Number(creds.account_id) }),
      'owner with accountId'
    );
    eq((await withAccount.ok('Accounts.getAccountInfo', {})).result.accountId, r.accountId, 'GetAccountInfo with an explicit accountId');
  }

  async applications() {
    const api = this.api;
    const t = `ap${this.tag}`; // the names of this section share this substring, no other names do
    const a = `${t}-a`, b = `${t}-b`, c = `${t}-c`;
    let res = await api.ok('Applications.addApplication', { applicationName: a });
    eq(res.result, 1, 'AddApplication result');
    const aId = isId(res.applicationId, 'AddApplication application_id');
    eq(res.applicationName, this.full(a), 'AddApplication application_name');
    eq(res.secureRecordStorage, false, 'AddApplication secure_record_storage default');
    res = await api.ok('Applications.addApplication', { applicationName: b, secureRecordStorage: true });
    const bId = isId(res.applicationId, 'AddApplication(b) application_id');
    eq(res.secureRecordStorage, true, 'AddApplication(secureRecordStorage=true)');
    res = await api.ok('Applications.addApplication', { applicationName: this.full(c) });
    const cId = isId(res.applicationId, 'AddApplication(full name) application_id');
    eq(res.applicationName, this.full(c), 'AddApplication(full name) application_name');
    check(new Set([aId, bId, cId]).size === 3, `application ids must differ: ${[aId, bId, cId]}`);

    await api.fails(129, 'Applications.addApplication', { applicationName: a });
    await api.fails(129, 'Applications.addApplication', { applicationName: this.full(a) });
    await api.fails(107, 'Applications.addApplication', { applicationName: 'bad name!' });
    await api.fails(107, 'Applications.addApplication', { applicationName: `9lives-${this.tag}` });
    await api.fails(107, 'Applications.addApplication', { applicationName: 'x'.repeat(70) });

    const one = listOf(await api.ok('Applications.getApplications', { applicationId: aId }), 'GetApplications(application_id)', 1)[0];
    eq(one.applicationId, aId, 'GetApplications application_id');
    eq(one.applicationName, this.full(a), 'GetApplications application_name');
    eq(one.secureRecordStorage, false, 'GetApplications secure_record_storage');
    isRecentUtc(one.modified, 'GetApplications modified');

    const mine = listOf(await api.ok('Applications.getApplications', { applicationName: t }), 'GetApplications(application_name=tag)', 3);
    eq(sorted(pluck(mine, 'applicationId')), sorted([aId, bId, cId]), 'GetApplications(name filter) ids');
    eq(mine.find((x) => x.applicationId === bId).secureRecordStorage, true, 'GetApplications secure_record_storage of b');
    const pages = [];
    for (const [count, offset] of [[1, 0], [1, 1], [5, 2]]) {
      const p = listOf(await api.ok('Applications.getApplications', { applicationName: t, count, offset }), `GetApplications(count=${count}, offset=${offset})`, 3);
      eq(p.length, 1, `page size (count=${count}, offset=${offset})`);
      pages.push(...p);
    }
    eq(sorted(pluck(pages, 'applicationId')), sorted([aId, bId, cId]), 'pages cover every application once');

    const a2 = `${t}-a2`;
    eq((await api.ok('Applications.setApplicationInfo', { applicationId: aId, applicationName: a2 })).result, 1, 'SetApplicationInfo result');
    let got = listOf(await api.ok('Applications.getApplications', { applicationId: aId }), 'GetApplications after rename', 1)[0];
    eq(got.applicationName, this.full(a2), 'name after SetApplicationInfo');
    eq((await api.ok('Applications.setApplicationInfo', { requiredApplicationName: this.full(a2), secureRecordStorage: true })).result, 1,
      'SetApplicationInfo(required_application_name) result');
    got = listOf(await api.ok('Applications.getApplications', { applicationId: aId }), 'GetApplications after secure flag', 1)[0];
    eq([got.secureRecordStorage, got.applicationName], [true, this.full(a2)], 'application after SetApplicationInfo(secure_record_storage)');
    await api.fails(129, 'Applications.setApplicationInfo', { applicationId: aId, applicationName: b });
    await api.fails(107, 'Applications.setApplicationInfo', { applicationId: aId, applicationName: 'Bad Name' });

    eq((await api.ok('Applications.delApplication', { applicationId: cId })).result, 1, 'DelApplication(id) result');
    let left = listOf(await api.ok('Applications.getApplications', { applicationName: t }), 'GetApplications after DelApplication', 2);
    eq(sorted(pluck(left, 'applicationId')), sorted([aId, bId]), 'applications left after DelApplication');
    await api.fails(116, 'Applications.delApplication', { applicationId: cId });
    eq((await api.ok('Applications.delApplication', { applicationName: this.full(b) })).result, 1, 'DelApplication(name) result');
    left = listOf(await api.ok('Applications.getApplications', { applicationName: t }), 'GetApplications after DelApplication(name)', 1);
    eq(pluck(left, 'applicationId'), [aId], 'applications left after DelApplication(name)');
    res = await api.ok('Applications.addApplication', { applicationName: b });
    check(![aId, bId, cId].includes(isId(res.applicationId, 're-added application_id')), 'a new application gets a new id');
  }

  async rules() {
    const api = this.api;
    const [appId, appFull] = await this.app('r');
    const [otherId] = await this.app('r2');
    const [s1, n1] = await this.scenario('rs1');
    const [s2, n2] = await this.scenario('rs2');
    const [s3, n3] = await this.scenario('rs3');

    const r1 = await this.rule({ ruleName: 'r-one', rulePattern: '\\+1\\d+', rulePatternExclude: '\\+1900\\d*', applicationId: appId, scenarioId: [s1, s2] });
    const r2 = await this.rule({ ruleName: 'r-two', rulePattern: '.*', applicationName: appFull, scenarioName: `${n3};${n1}` });
    const r3 = await this.rule({ ruleName: 'r-video', rulePattern: 'conf-.*', applicationId: appId, videoConference: true });
    await this.rule({ ruleName: 'r-one', rulePattern: 'x', applicationId: otherId }); // unique per application only

    await api.fails(175, 'Rules.addRule', { ruleName: 'r-one', rulePattern: 'y', applicationId: appId });
    await api.fails(148, 'Rules.addRule', { ruleName: 'r-bad', rulePattern: '([', applicationId: appId });
    await api.fails(149, 'Rules.addRule', { ruleName: 'r-bad', rulePattern: '.*', rulePatternExclude: '(', applicationId: appId });

    let rules = listOf(await api.ok('Rules.getRules', { applicationId: appId }), 'GetRules', 3);
    eq(pluck(rules, 'ruleId'), [r1, r2, r3], 'GetRules order (creation order)');
    const f = rules[0];
    eq([f.ruleName, f.rulePattern, f.rulePatternExclude, f.applicationId, f.videoConference],
      ['r-one', '\\+1\\d+', '\\+1900\\d*', appId, false], 'fields of r-one');
    eq(rules[2].videoConference, true, 'video_conference of r-video');
    rules.forEach((r) => isRecentUtc(r.modified, `GetRules modified of ${r.ruleName}`));

    rules = listOf(await api.ok('Rules.getRules', { applicationName: appFull, withScenarios: true }), 'GetRules(with_scenarios)', 3);
    const scen = Object.fromEntries(rules.map((r) => [r.ruleId, r.scenarios]));
    eq(pluck(scen[r1], 'scenario_name'), [n1, n2], 'scenarios of r-one in binding order');
    eq(pluck(scen[r1], 'scenario_id'), [s1, s2], 'scenario ids of r-one');
    eq(pluck(scen[r2], 'scenario_name'), [n3, n1], 'scenarios of r-two in binding order');
    eq(scen[r3] || [], [], 'scenarios of r-video');
    isRecentUtc(scen[r1][0].modified, 'modified of a bound scenario');

    eq(await this.ruleIds({ applicationId: appId, ruleId: r2 }, 'GetRules(rule_id)', 1), [r2], 'GetRules(rule_id)');
    eq(await this.ruleIds({ applicationId: appId, ruleName: 'two' }, 'GetRules(rule_name)', 1), [r2], 'GetRules(rule_name) is a substring filter');
    eq(await this.ruleIds({ applicationId: appId, videoConference: true }, 'GetRules(video_conference)'), [r3], 'GetRules(video_conference=true)');

    const template = async (dest, want, what) =>
      eq(await this.ruleIds({ applicationId: appId, template: dest }, `GetRules(template=${dest})`), want, `GetRules(template=${dest}): ${what}`);
    await template('+15551234', [r1, r2], 'pattern matches');
    await template('+19005551234', [r2], 'exclude pattern matches');
    await template('conf-abc', [r2, r3], 'video rule');
    await template('x+15551234', [r2], 'patterns match the whole destination');

    eq(await this.ruleIds({ applicationId: appId, count: 2 }, 'GetRules(count=2)', 3), [r1, r2], 'GetRules(count=2)');
    eq(await this.ruleIds({ applicationId: appId, count: 2, offset: 2 }, 'GetRules(count=2, offset=2)', 3), [r3], 'GetRules(offset=2)');

    eq((await api.ok('Rules.setRuleInfo', { ruleId: r1, ruleName: 'r-one-b', rulePattern: '\\+7\\d+', rulePatternExclude: '\\+7999\\d*' })).result, 1,
      'SetRuleInfo result');
    let got = listOf(await api.ok('Rules.getRules', { applicationId: appId, ruleId: r1, withScenarios: true }), 'GetRules after SetRuleInfo', 1)[0];
    eq([got.ruleName, got.rulePattern, got.rulePatternExclude], ['r-one-b', '\\+7\\d+', '\\+7999\\d*'], 'rule after SetRuleInfo');
    eq(pluck(got.scenarios || [], 'scenario_name'), [n1, n2], 'SetRuleInfo keeps the bound scenarios');
    eq((await api.ok('Rules.setRuleInfo', { ruleId: r3, videoConference: false })).result, 1, 'SetRuleInfo(video_conference) result');
    got = listOf(await api.ok('Rules.getRules', { applicationId: appId, ruleId: r3 }), 'GetRules(r-video)', 1)[0];
    eq([got.videoConference, got.ruleName, got.rulePattern], [false, 'r-video', 'conf-.*'], 'SetRuleInfo(video_conference=false) changes only the flag');
    await api.fails(175, 'Rules.setRuleInfo', { ruleId: r1, ruleName: 'r-two' });
    await api.fails(148, 'Rules.setRuleInfo', { ruleId: r1, rulePattern: '*(' });
    await template('+75551234', [r1, r2], 'after SetRuleInfo');
    await template('+79995551234', [r2], 'new exclude pattern');
    await template('+15551234', [r2], 'old pattern gone');

    eq((await api.ok('Rules.reorderRules', { ruleId: [r3, r1, r2] })).result, 1, 'ReorderRules result');
    eq(await this.ruleIds({ applicationId: appId }, 'GetRules after ReorderRules', 3), [r3, r1, r2], 'order after ReorderRules');
    await template('conf-abc', [r3, r2], 'template follows the new order');

    eq((await api.ok('Rules.delRule', { ruleId: r3 })).result, 1, 'DelRule result');
    eq(await this.ruleIds({ applicationId: appId }, 'GetRules after DelRule', 2), [r1, r2], 'rules after DelRule');
    await api.fails(147, 'Rules.delRule', { ruleId: r3 });
    eq((await api.ok('Rules.delRule', { ruleName: 'r-two', applicationId: appId })).result, 1, 'DelRule(rule_name) result');
    eq(await this.ruleIds({ applicationId: appId }, 'GetRules after DelRule(name)', 1), [r1], 'rules after DelRule(name)');
    eq(pluck(listOf(await api.ok('Rules.getRules', { applicationId: otherId }), 'GetRules(other app)', 1), 'ruleName'), ['r-one'], "other application's rules");
    listOf(await api.ok('Scenarios.getScenarios', { scenarioId: s3 }), 'GetScenarios(scenario of a deleted rule)', 1);
  }

  async scenarios() {
    const api = this.api, t = this.tag;
    const scriptA = "VoxEngine.addEventListener(AppEvents.Started, () => Logger.write('a'));\n";
    const scriptB = '// b: üñí ✓ 日本\nVoxEngine.terminate();\n';
    const [aId, a] = await this.scenario('sa', scriptA);
    const getOne = async (id, what) => listOf(await api.ok('Scenarios.getScenarios', { scenarioId: id, withScript: true }), what, 1)[0];
    let got = await getOne(aId, 'GetScenarios(scenario_id, with_script)');
    eq([got.scenarioId, got.scenarioName, got.scenarioScript, got.parent], [aId, a, scriptA, false], 'scenario fields');
    isRecentUtc(got.modified, 'GetScenarios modified');

    await api.fails(133, 'Scenarios.addScenario', { scenarioName: a, scenarioScript: '// dup' });
    await api.fails(133, 'Scenarios.addScenario', { scenarioName: a, scenarioScript: '// dup', rewrite: false });
    const res = await api.ok('Scenarios.addScenario', { scenarioName: a, scenarioScript: scriptB, rewrite: true });
    eq(res.scenarioId, aId, 'AddScenario(rewrite=true) keeps the id');
    eq((await getOne(aId, 'GetScenarios after rewrite')).scenarioScript, scriptB, 'script after AddScenario(rewrite=true)');

    const n29 = `n29-${t}-`.padEnd(29, 'z');
    isId((await api.ok('Scenarios.addScenario', { scenarioName: n29, scenarioScript: '//' })).scenarioId, '29-character scenario name');
    await api.fails(168, 'Scenarios.addScenario', { scenarioName: `n40-${t}-`.padEnd(40, 'z'), scenarioScript: '//' });
    await api.fails(130, 'Scenarios.addScenario', { scenarioName: `big-${t}`, scenarioScript: '/'.repeat(128 * 1024 + 1) });
    await api.fails(130, 'Scenarios.addScenario', { scenarioName: `bigu-${t}`, scenarioScript: 'ж'.repeat(70000) }); // 140,000 bytes
    const wide = '//' + 'ж'.repeat(50000) + '\n';
    const [wId] = await this.scenario('wide', wide);
    eq((await getOne(wId, 'GetScenarios(wide)')).scenarioScript, wide, 'a 100 KB UTF-8 script round-trips');
    await api.fails(130, 'Scenarios.setScenarioInfo', { scenarioId: wId, scenarioScript: '/'.repeat(128 * 1024 + 1) });

    const made = [];
    for (let i = 0; i < 4; i++) made.push(await this.scenario(`L${i}`));
    const lst = made.map((m) => m[0]), names = made.map((m) => m[1]);
    const scen = async (params, what, total) => listOf(await api.ok('Scenarios.getScenarios', params), what, total);
    eq(pluck(await scen({ scenarioName: `l2-${t}`.toUpperCase() }, 'GetScenarios(name, upper case)', 1), 'scenarioId'), [lst[2]],
      'GetScenarios(scenario_name) ignores case');
    const every = (await scen({ scenarioName: t, count: 1000 }, 'GetScenarios(tag)')).filter((x) => lst.includes(x.scenarioId));
    eq(pluck(every, 'scenarioId'), lst, 'GetScenarios ordered by id');
    eq(pluck(every, 'scenarioName'), names, 'GetScenarios names');
    const withScript = await scen({ scenarioName: `-${t}`, withScript: true }, 'GetScenarios(tag, with_script)');
    check(withScript.every((x) => !('scenarioScript' in x)), `with_script without scenario_id must not return scripts: ${short(withScript)}`);
    const all = await scen({ scenarioName: t, count: 1000 }, 'GetScenarios(tag, count=1000)');
    const n = all.length;
    check(n >= 7, `GetScenarios(tag) should see at least 7 scenarios, saw ${n}`);
    const ids = pluck(all, 'scenarioId');
    eq(ids, sorted(ids), 'GetScenarios ordered by id');
    eq(pluck(await scen({ scenarioName: t, count: 2, offset: 1 }, 'GetScenarios(count=2, offset=1)', n), 'scenarioId'), ids.slice(1, 3),
      'GetScenarios(count=2, offset=1)');
    eq((await scen({ scenarioName: t }, 'GetScenarios(tag)', n)).length, Math.min(20, n), 'GetScenarios default count is 20');

    const [appId, appFull] = await this.app('s');
    const [pId, p] = await this.scenario('own', undefined, { applicationId: appId });
    eq(pluck(await scen({ applicationId: appId }, 'GetScenarios(application_id)', 1), 'scenarioId'), [pId],
      "GetScenarios(application_id) lists only that application's scenarios");
    eq(pluck(await scen({ applicationName: appFull }, 'GetScenarios(application_name)', 1), 'scenarioId'), [pId], 'GetScenarios(application_name)');

    const newName = `sa2-${t}`;
    eq((await api.ok('Scenarios.setScenarioInfo', { scenarioId: aId, scenarioName: newName, scenarioScript: '// v3\n' })).result, 1, 'SetScenarioInfo result');
    got = await getOne(aId, 'GetScenarios after SetScenarioInfo');
    eq([got.scenarioName, got.scenarioScript], [newName, '// v3\n'], 'scenario after SetScenarioInfo');
    eq((await api.ok('Scenarios.setScenarioInfo', { requiredScenarioName: newName, scenarioScript: '// v4\n' })).result, 1,
      'SetScenarioInfo(required_scenario_name) result');
    got = await getOne(aId, 'GetScenarios after SetScenarioInfo(name)');
    eq([got.scenarioName, got.scenarioScript], [newName, '// v4\n'], 'scenario after SetScenarioInfo(required_scenario_name)');
    await api.fails(133, 'Scenarios.setScenarioInfo', { scenarioId: aId, scenarioName: p });
    await api.fails(168, 'Scenarios.setScenarioInfo', { scenarioId: aId, scenarioName: 'y'.repeat(40) });

    eq((await api.ok('Scenarios.delScenario', { scenarioId: lst[0] })).result, 1, 'DelScenario result');
    await api.fails(132, 'Scenarios.delScenario', { scenarioId: lst[0] });
    eq((await api.ok('Scenarios.delScenario', { scenarioName: `${names[1]};${names[3]}` })).result, 1, 'DelScenario(names) result');
    const left = pluck(await scen({ scenarioName: t, count: 1000 }, 'GetScenarios after DelScenario'), 'scenarioId');
    eq(lst.filter((i) => left.includes(i)), [lst[2]], 'scenarios left after DelScenario');
  }

  async binding() {
    const api = this.api, t = this.tag;
    const [appId] = await this.app('b');
    const [otherId] = await this.app('b2');
    const rule = await this.rule({ ruleName: 'main', rulePattern: '.*', applicationId: appId });
    const sid = {}, name = {};
    for (const k of 'ABCD') [sid[k], name[k]] = await this.scenario(`b${k}`);

    eq(await this.bound(appId, rule), [], 'a new rule has no scenarios');
    eq((await api.ok('Scenarios.bindScenario', { scenarioId: [sid.B, sid.A], ruleId: rule })).result, 1, 'BindScenario result');
    eq(await this.bound(appId, rule), [name.B, name.A], 'BindScenario binds in the given order');
    await api.ok('Scenarios.bindScenario', { scenarioId: [sid.C, sid.B], ruleId: rule });
    eq(await this.bound(appId, rule), [name.B, name.A, name.C], 'BindScenario appends; one already bound keeps its place');
    await api.ok('Scenarios.bindScenario', { scenarioName: name.D, ruleName: 'main', applicationId: appId });
    eq(await this.bound(appId, rule), [name.B, name.A, name.C, name.D], 'BindScenario(scenario_name, rule_name)');
    const [eId, e] = await this.scenario('bE', undefined, { ruleId: rule });
    eq(await this.bound(appId, rule), [name.B, name.A, name.C, name.D, e], 'AddScenario(rule_id) binds at the end');

    eq((await api.ok('Scenarios.bindScenario', { scenarioId: [sid.A, sid.D], ruleId: rule, bind: false })).result, 1, 'BindScenario(bind=false) result');
    eq(await this.bound(appId, rule), [name.B, name.C, e], 'BindScenario(bind=false) unbinds');

    eq((await api.ok('Scenarios.reorderScenarios', { scenarioId: [eId, sid.B, sid.C], ruleId: rule })).result, 1, 'ReorderScenarios result');
    eq(await this.bound(appId, rule), [e, name.B, name.C], 'order after ReorderScenarios');
    await api.failsAny('Scenarios.reorderScenarios', { scenarioId: [eId, sid.B], ruleId: rule });
    await api.failsAny('Scenarios.reorderScenarios', { scenarioId: [eId, sid.B, sid.C, sid.A], ruleId: rule });
    eq(await this.bound(appId, rule), [e, name.B, name.C], 'a refused ReorderScenarios changes nothing');

    const rIds = await this.rule({ ruleName: 'by-ids', rulePattern: '1', applicationId: appId, scenarioId: [sid.C, sid.A] });
    eq(await this.bound(appId, rIds), [name.C, name.A], 'AddRule(scenario_id) order');
    const rNames = await this.rule({ ruleName: 'by-names', rulePattern: '2', applicationId: appId, scenarioName: `${name.A};${name.C}` });
    eq(await this.bound(appId, rNames), [name.A, name.C], 'AddRule(scenario_name) order');

    // GetApplications with_rules/with_scenarios: accepted; the client's mapping drops `rules`.
    listOf(await api.ok('Applications.getApplications', { applicationId: appId, withRules: true, withScenarios: true }), 'GetApplications(with_rules, with_scenarios)', 1);

    const [oId] = await this.scenario('bO', undefined, { applicationId: otherId });
    await api.fails(132, 'Scenarios.bindScenario', { scenarioId: oId, ruleId: rule });
    await api.fails(168, 'Scenarios.bindScenario', { scenarioName: `no-such-${t}`, ruleId: rule });
    await api.ok('Scenarios.delScenario', { scenarioId: sid.C });
    eq(await this.bound(appId, rule), [e, name.B], 'DelScenario unbinds from the rule');
    eq(await this.bound(appId, rIds), [name.A], 'DelScenario unbinds from every rule');
  }

  async applicationDeletion() {
    const api = this.api;
    const [xId] = await this.app('x');
    const [yId] = await this.app('y');
    const [sId, s] = await this.scenario('xs', undefined, { applicationId: xId });
    const r = await this.rule({ ruleName: 'xr', rulePattern: '.*', applicationId: xId, scenarioId: [sId] });
    eq(await this.bound(xId, r), [s], 'bound before DelApplication');
    eq((await api.ok('Applications.delApplication', { applicationId: xId })).result, 1, 'DelApplication result');
    await api.fails(116, 'Rules.getRules', { applicationId: xId });
    await api.fails(147, 'Rules.setRuleInfo', { ruleId: r, ruleName: 'xr2' });
    const got = listOf(await api.ok('Scenarios.getScenarios', { scenarioId: sId }), 'GetScenarios(scenario of a deleted application)', 1)[0];
    eq(got.scenarioName, s, "the application's scenario stays");
    const ry = await this.rule({ ruleName: 'yr', rulePattern: '.*', applicationId: yId });
    await api.ok('Scenarios.bindScenario', { scenarioId: sId, ruleId: ry });
    eq(await this.bound(yId, ry), [s], 'the scenario of a deleted application became shared');
  }

  async unknownIds() {
    const api = this.api, t = this.tag;
    const [appId] = await this.app('u');
    const rule = await this.rule({ ruleName: 'ur', rulePattern: '.*', applicationId: appId });
    const [sId] = await this.scenario('us');
    await api.fails(116, 'Rules.getRules', { applicationId: UNKNOWN_ID });
    await api.fails(116, 'Rules.addRule', { ruleName: 'r', rulePattern: '.*', applicationId: UNKNOWN_ID });
    await api.fails(116, 'Applications.setApplicationInfo', { applicationId: UNKNOWN_ID, applicationName: `nope-${t}` });
    await api.fails(116, 'Applications.delApplication', { applicationId: UNKNOWN_ID });
    await api.fails(558, 'Rules.getRules', { applicationName: this.full(`nope-${t}`) });
    await api.fails(147, 'Rules.setRuleInfo', { ruleId: UNKNOWN_ID, ruleName: 'n' });
    await api.fails(147, 'Rules.delRule', { ruleId: UNKNOWN_ID });
    await api.fails(147, 'Rules.reorderRules', { ruleId: [UNKNOWN_ID] });
    await api.fails(147, 'Scenarios.bindScenario', { scenarioId: sId, ruleId: UNKNOWN_ID });
    await api.fails(147, 'Scenarios.addScenario', { scenarioName: `ux-${t}`, scenarioScript: '//', ruleId: UNKNOWN_ID });
    await api.fails(147, 'Scenarios.reorderScenarios', { scenarioId: [sId], ruleId: UNKNOWN_ID });
    await api.fails(132, 'Scenarios.setScenarioInfo', { scenarioId: UNKNOWN_ID, scenarioScript: '//' });
    await api.fails(132, 'Scenarios.delScenario', { scenarioId: UNKNOWN_ID });
    await api.fails(132, 'Scenarios.bindScenario', { scenarioId: UNKNOWN_ID, ruleId: rule });
    await api.fails(168, 'Scenarios.setScenarioInfo', { requiredScenarioName: `nope-${t}`, scenarioScript: '//' });
    eq(await this.bound(appId, rule), [], 'failed binds bind nothing');
  }

  async deleteAll() {
    const api = this.api;
    check(listOf(await api.ok('Scenarios.getScenarios', {}), 'GetScenarios()').length > 0, 'there are scenarios before DelScenario(all)');
    eq((await api.ok('Scenarios.delScenario', { scenarioId: 'all' })).result, 1, 'DelScenario(all) result');
    listOf(await api.ok('Scenarios.getScenarios', {}), 'GetScenarios after DelScenario(all)', 0);
    eq((await api.ok('Applications.delApplication', { applicationId: 'all' })).result, 1, 'DelApplication(all) result');
    listOf(await api.ok('Applications.getApplications', {}), 'GetApplications after DelApplication(all)', 0);
  }
}

// A Support key may call Get* methods only; everything else is refused with 104 and changes nothing.
async function supportSuite(o, s, t) {
  const acc = (await o.ok('Accounts.getAccountInfo', {})).result;
  const appName = `js-sup-${t}`;
  const appId = isId((await o.ok('Applications.addApplication', { applicationName: appName })).applicationId, 'AddApplication(owner)');
  const scId = isId((await o.ok('Scenarios.addScenario', { scenarioName: `sup-${t}`, scenarioScript: '// support\n' })).scenarioId, 'AddScenario(owner)');
  const rule = isId((await o.ok('Rules.addRule', { ruleName: 'sr', rulePattern: '.*', applicationId: appId, scenarioId: [scId] })).ruleId, 'AddRule(owner)');

  const info = await s.ok('Accounts.getAccountInfo', {});
  eq(info.result.accountId, acc.accountId, 'Support GetAccountInfo account_id');
  check(!('apiKey' in info.result), `GetAccountInfo must not show api_key to a Support key: ${short(info.result)}`);
  const apps = listOf(await s.ok('Applications.getApplications', { applicationId: appId }), 'Support GetApplications', 1);
  eq(apps[0].applicationName, `${appName}.${acc.accountName}.voximplant.com`, 'Support sees the application');
  const rules = listOf(await s.ok('Rules.getRules', { applicationId: appId, withScenarios: true }), 'Support GetRules', 1);
  eq(pluck(rules[0].scenarios || [], 'scenario_id'), [scId], 'Support sees the bound scenario');
  const got = listOf(await s.ok('Scenarios.getScenarios', { scenarioId: scId, withScript: true }), 'Support GetScenarios', 1)[0];
  eq(got.scenarioScript, '// support\n', 'Support reads the script');

  await s.fails(104, 'Applications.addApplication', { applicationName: `sup2-${t}` });
  await s.fails(104, 'Applications.setApplicationInfo', { applicationId: appId, applicationName: `sup3-${t}` });
  await s.fails(104, 'Applications.delApplication', { applicationId: appId });
  await s.fails(104, 'Rules.addRule', { ruleName: 'sr2', rulePattern: '.*', applicationId: appId });
  await s.fails(104, 'Rules.setRuleInfo', { ruleId: rule, ruleName: 'sr3' });
  await s.fails(104, 'Rules.delRule', { ruleId: rule });
  await s.fails(104, 'Rules.reorderRules', { ruleId: [rule] });
  await s.fails(104, 'Scenarios.addScenario', { scenarioName: `sup4-${t}`, scenarioScript: '//' });
  await s.fails(104, 'Scenarios.setScenarioInfo', { scenarioId: scId, scenarioScript: '// changed' });
  await s.fails(104, 'Scenarios.bindScenario', { scenarioId: scId, ruleId: rule, bind: false });
  await s.fails(104, 'Scenarios.reorderScenarios', { scenarioId: [scId], ruleId: rule });
  await s.fails(104, 'Scenarios.delScenario', { scenarioId: scId });

  listOf(await o.ok('Applications.getApplications', { applicationName: `sup-${t}` }), 'GetApplications after refused calls', 1);
  const after = listOf(await o.ok('Rules.getRules', { applicationId: appId, withScenarios: true }), 'GetRules after refused calls', 1)[0];
  eq([after.ruleName, pluck(after.scenarios || [], 'scenario_id')], ['sr', [scId]], 'rule after refused calls');
  const sc = listOf(await o.ok('Scenarios.getScenarios', { scenarioId: scId, withScript: true }), 'GetScenarios after refused calls', 1)[0];
  eq(sc.scenarioScript, '// support\n', 'script after refused calls');
  listOf(await o.ok('Scenarios.getScenarios', { scenarioName: `sup-${t}` }), 'GetScenarios(sup) after refused calls', 1);
}

// makeClient(path, host): the documented options object; makeClient(path, host, true): the
// positional form; makeClient(options): options as given.
function makeClient(credentials, endpoint, positional = false) {
  return new Promise((resolve, reject) => {
    try {
      const client = positional
        ? new VoximplantApiClient(credentials, endpoint)
        : typeof credentials === 'object'
          ? new VoximplantApiClient(credentials)
          : new VoximplantApiClient({ pathToCredentials: credentials, host: endpoint });
      client.onReady = () => resolve(client);
    } catch (e) {
      reject(e);
    }
  });
}

async function runSection(name, fn) {
  try {
    await fn();
  } catch (e) {
    if (e instanceof CheckFailed) console.log(`FAIL [${name}] ${e.message}`);
    else console.log(`FAIL [${name}] unexpected exception: ${e && e.stack}`);
    if (Api.last) console.log(`      last call: ${Api.last[0]}\n      returned: ${short(Api.last[1], 600)}`);
    return false;
  }
  console.log(`ok   [${name}]`);
  return true;
}

function parseArgs(argv) {
  const out = { endpoint: process.env.VOXRUN_ENDPOINT, credentials: process.env.VOXRUN_CREDENTIALS };
  for (let i = 0; i < argv.length; i++) {
    const m = { '--endpoint': 'endpoint', '--credentials': 'credentials', '--support-credentials': 'support' }[argv[i]];
    if (!m || i + 1 >= argv.length) throw new Error(`bad argument: ${argv[i]}`);
    out[m] = argv[++i];
  }
  if (!out.endpoint || !out.credentials) throw new Error('--endpoint and --credentials are required');
  return out;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (process.env.VOXIMPLANT_CREDENTIALS) {
    console.log('VOXIMPLANT_CREDENTIALS is set; the Node client would use it instead of --credentials. Unset it.');
    return 2;
  }
  const tag = crypto.randomBytes(4).toString('hex');
  const owner = new Api(await makeClient(args.credentials, args.endpoint), 'owner');
  const results = [];
  if (args.support) {
    const support = new Api(await makeClient(args.support, args.endpoint), 'support');
    results.push(await runSection('support role', () => supportSuite(owner, support, tag)));
  } else {
    let account;
    try {
      account = (await owner.ok('Accounts.getAccountInfo', {})).result;
      check(account && typeof account.accountName === 'string', `GetAccountInfo result: ${short(account)}`);
    } catch (e) {
      console.log(`FAIL [setup] GetAccountInfo through the official client: ${e.message}`);
      return 1;
    }
    const suite = new Suite(owner, account, tag);
    for (const name of ['accountInfo', 'applications', 'rules', 'scenarios', 'binding', 'applicationDeletion', 'unknownIds', 'deleteAll']) {
      results.push(await runSection(name, () => suite[name]()));
    }
  }
  const failed = results.filter((r) => !r).length;
  console.log(`${results.length - failed} of ${results.length} sections passed`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.log(`FAIL ${e && e.stack}`);
    process.exit(1);
  }
);
