/// <reference path="../../runtime-js/voxrun-test.d.ts" />
// Tests of ivr.js: run them with `voxrun test examples/`.
const IVR = { scenarios: ['ivr.js'], to: '+18005550100', from: '+15551230000' };

test('the caller hears the menu when the call is answered', async () => {
  const s = await voxrun.callIn(IVR);
  await s.call.waitFor('connected');
  const menu = await s.call.heard();
  expect(menu.what).toBe('say');
  expect(menu.text).toMatch(/Press 1 for sales/);
});

test('2 reaches support, which is closed, and the call ends', async () => {
  const s = await voxrun.callIn(IVR);
  await s.call.heard();
  await s.call.dtmf('2');
  expect((await s.call.heard()).text).toBe('Support is closed today. Goodbye.');
  const end = await s.ended();
  expect(end.reason).toBe('Normal termination');
  expect(s.transcript().map((e) => e.what)).toContain('hangup');
});

test('1 dials sales and bridges the caller when sales answers', async () => {
  const s = await voxrun.callIn(IVR);
  await s.call.heard();
  await s.call.dtmf('1');
  const sales = await s.nextCall();
  expect(sales.number).toBe('+18005550199');
  await sales.answer();
  const media = await sales.waitFor('media');
  expect(media.on).toBe(true);
  await sales.hangup();
  await s.ended();
  expect(s.calls.length).toBe(2);
});

test('busy sales: the caller is told so', async () => {
  const s = await voxrun.callIn(IVR);
  await s.call.heard();
  await s.call.dtmf('1');
  await (await s.nextCall()).reject(486);
  await s.call.heard(); // "Connecting you to sales."
  expect((await s.call.heard()).text).toMatch(/busy/);
});

test('no choice: the menu is repeated once, then goodbye', async () => {
  const t0 = Date.now();
  const s = await voxrun.callIn(IVR);
  const first = await s.call.heard();
  const again = await s.call.heard();
  expect(again.text).toBe(first.text);
  expect((await s.call.heard()).text).toMatch(/did not get your choice/);
  await s.ended();
  // Two menus of 8 seconds' wait each: the test ran about 20 s of virtual time.
  expect(Date.now() - t0).toBeGreaterThan(16000);
});

test('GET /status counts the choices', async () => {
  const s = await voxrun.callIn(IVR);
  await s.call.heard();
  await s.call.dtmf('2');
  await s.call.heard();
  const r = await s.request('GET', '/status');
  expect(r.status).toBe(200);
  expect(r.json()).toEqual({ sales: 0, support: 1 });
});
