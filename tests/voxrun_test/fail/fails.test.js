test('passes', async () => {
  expect(true).toBeTruthy();
});

test('a wrong value shows both', async () => {
  expect({ menu: 'Press 1' }).toEqual({ menu: 'Press 2' });
});

test('a wait for what never comes fails after an hour', async () => {
  const s = await voxrun.callIn({ scenarios: ['idle.js'], to: '+18005550100' });
  await s.call.heard();
});

test('a thrown error fails the test', async () => {
  null.x;
});

test('a Promise that nothing can settle fails at once, while a session ticks on', async () => {
  await voxrun.start({ scenarios: ['idle.js'] });
  await new Promise(() => {});
});
