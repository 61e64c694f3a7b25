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
