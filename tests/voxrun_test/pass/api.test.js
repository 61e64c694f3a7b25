// Every API of docs/testing.md, each used as a user would.
test('expect: every matcher and .not', async () => {
  expect(1 + 1).toBe(2);
  expect({ a: [1, { b: 2 }] }).toEqual({ a: [1, { b: 2 }] });
  expect({ a: 1 }).not.toBe({ a: 1 });
  expect('hello world').toMatch(/wor/);
  expect('hello world').toMatch('lo w');
  expect([1, 2, 3]).toContain(2);
  expect('abc').toContain('b');
  expect('x').toBeTruthy();
  expect(0).not.toBeTruthy();
  expect(3).toBeGreaterThan(2);
  expect([1]).not.toEqual([2]);
  expect('abc').not.toMatch(/z/);
});

test('start, request, log, terminate', async () => {
  const s = await voxrun.start({ scenarios: ['control.js'], customData: 'cd-1' });
  const r = await s.request('POST', '/echo?x=1', 'payload', { 'X-Tag': 't1' });
  expect(r.status).toBe(200);
  expect(r.json()).toEqual({ method: 'POST', path: '/echo?x=1', body: 'payload', tag: 't1', hits: 1, custom: 'cd-1' });
  expect(s.log().some((l) => l.includes('Session ' + s.id + ' started'))).toBeTruthy();
  const end = await s.terminate();
  expect(end.reason).toBe('Terminated administratively');
});

test('advance moves the virtual clock; a request may wait in virtual time', async () => {
  const s = await voxrun.start({ scenarios: ['control.js'] });
  const t0 = Date.now();
  const later = await s.request('GET', '/later');
  expect(later.body).toBe('later');
  expect(Date.now() - t0).toBe(30000);
  expect(s.log().join('\n')).not.toContain('90 seconds passed');
  await voxrun.advance(60);
  expect(s.log().join('\n')).toContain('90 seconds passed');
  expect(Date.now() - t0).toBe(90000);
  await s.request('GET', '/stop');
  expect((await s.ended()).reason).toBe('Normal termination');
});

test('a reply that never comes is answered 504 after the 30 s reply timeout, in virtual time', async () => {
  const s = await voxrun.start({ scenarios: ['control.js'] });
  const t0 = Date.now();
  const r = await s.request('GET', '/never');
  expect(r.status).toBe(504);
  expect(r.json()).toEqual({ error: 'the handler did not answer in time' });
  expect(Date.now() - t0).toBe(30000);
  // The session lives on.
  expect((await s.request('GET', '/echo')).status).toBe(200);
  await s.terminate();
});

test('ApplicationStorage is shared by the sessions of a test file', async () => {
  const a = await voxrun.start({ scenarios: ['control.js'] });
  expect((await a.request('GET', '/count')).body).toBe('1');
  const b = await voxrun.start({ scenarios: ['control.js'] });
  expect((await b.request('GET', '/count')).body).toBe('2');
});

test('an outbound call: nextCall, answer, heard, dtmf, say, message, waitFor, hangup', async () => {
  const s = await voxrun.start({ scenarios: ['agent.js'], customData: JSON.stringify({ dial: '+15550001111' }) });
  const agent = await s.nextCall();
  expect(agent.number).toBe('+15550001111');
  expect(agent.incoming).toBe(false);
  await agent.answer();
  expect(await agent.heard()).toEqual({ what: 'say', text: 'Hello agent.', voice: 'VoiceList.Amazon.en_US_Joanna' });
  expect(await agent.heard()).toEqual({ what: 'play', url: 'https://example.com/queue.mp3#duration=2' });
  await agent.dtmf('7');
  await agent.waitFor('dtmf_in');
  expect(s.log().join('\n')).toContain('tone 7');
  await agent.say('I am ready');
  expect((await agent.waitFor('speech_in')).text).toBe('I am ready');
  await voxrun.advance(2);
  expect(s.log().join('\n')).toContain('asr: I am ready');
  await agent.message('ping');
  expect((await agent.waitFor('message_out')).text).toBe('echo: ping');
  expect(s.calls.map((c) => c.id)).toEqual([agent.id]);
  await agent.hangup();
  expect((await s.ended()).reason).toBe('Normal termination');
  const whats = s.transcript().map((e) => e.what);
  expect(whats).toContain('dial');
  expect(whats).toContain('session_end');
});

test('peers script the far end; reject refuses a ringing call', async () => {
  const s = await voxrun.start({
    scenarios: ['agent.js'],
    customData: JSON.stringify({ dial: '+15550002222' }),
    peers: { '\\+1555000222.': { answer: 'busy' } },
  });
  const c = await s.nextCall();
  const failed = await c.waitFor('failed');
  expect(failed.code).toBe(486);
  await s.ended();
  const t = await voxrun.start({ scenarios: ['agent.js'], customData: JSON.stringify({ dial: '+15550003333' }) });
  await (await t.nextCall()).reject(603);
  expect(t.log().join('\n')).not.toContain('failed 486');
  await t.ended();
  expect(t.log().join('\n')).toContain('failed 603');
});

test('callIn: s.call is the caller; its caller script and custom data', async () => {
  const s = await voxrun.callIn({ scenarios: ['inbound.js'], to: '+18005550100', from: '+15557654321', customData: 'vip' });
  expect(s.call.incoming).toBe(true);
  expect(s.call.number).toBe('+15557654321');
  expect((await s.call.heard()).text).toBe('You called from +15557654321');
  expect(s.log().join('\n')).toContain('custom data: vip');
  await s.call.dtmf('#');
  await s.ended();
  const scripted = await voxrun.callIn({
    scenarios: ['inbound.js'], to: '+18005550100', caller: { steps: [{ wait_for: 'playback_finished' }, { dtmf: '#' }] },
  });
  expect((await scripted.ended()).reason).toBe('Normal termination');
  expect(scripted.transcript().filter((e) => e.what === 'hangup')[0].by).toBe('scenario');
});

test('heard: players sent to the call with sendMediaTo', async () => {
  const s = await voxrun.callIn({ scenarios: ['players.js'], to: '100' });
  expect(await s.call.heard()).toEqual({ what: 'say', text: 'Hello from a player', voice: 'VoiceList.Amazon.en_US_Joanna' });
  expect(await s.call.heard()).toEqual({ what: 'play', url: 'http://example.com/music.mp3' });
  expect((await s.call.heard()).text).toBe('Goodbye');
  expect((await s.ended()).reason).toBe('Normal termination');
});

test('tone-script players last as long as their cadence sections', async () => {
  const s = await voxrun.start({ scenarios: ['tones.js'] });
  await voxrun.advance(60);
  const log = s.log().join('\n');
  expect(log).toContain('finite finished at 12.5');
  expect(log).not.toContain('endless finished');
  await s.terminate();
});

test('player pause, resume and onPause hold and move its end', async () => {
  const s = await voxrun.start({ scenarios: ['pause.js'] });
  await voxrun.advance(30);
  const log = s.log().join('\n');
  expect(log).toContain('paused one finished at 14');
  expect(log).toContain('onPause one finished at 22');
  expect(s.transcript().filter((e) => e.what === 'player_paused').length).toBe(1);
  expect(s.transcript().filter((e) => e.what === 'player_resumed').length).toBe(2);
  await s.terminate();
});
