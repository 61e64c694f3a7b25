// What the harness must not let pass (tests/voxrun_test.rs checks each block).
test('different Maps', () => {
  expect(new Map([[1, 2]])).toEqual(new Map([[1, 3]]));
});
test('different Sets', () => {
  expect(new Set([1])).toEqual(new Set([2]));
});
test('different boxed numbers', () => {
  expect(new Number(1)).toEqual(new Number(2));
});
test('different symbol-keyed members', () => {
  expect({ [Symbol.for('a')]: 1 }).toEqual({ [Symbol.for('a')]: 2 });
});
test('equal containers', () => {
  expect(new Map([['k', { a: [1] }]])).toEqual(new Map([['k', { a: [1] }]]));
  expect(new Set([{ x: 1 }, 2])).toEqual(new Set([2, { x: 1 }]));
  expect(new String('s')).toEqual(new String('s'));
  expect({ [Symbol.for('a')]: 1, b: undefined }).toEqual({ [Symbol.for('a')]: 1 });
  expect(new Map([[1, 2]])).not.toEqual(new Map([[1, 2], [3, 4]]));
});
test('a test inside a test', () => {
  test('inner', () => {
    throw new Error('never runs');
  });
});
test('an advance past the clock', async () => {
  await voxrun.advance(1e300);
});
test('the clock is still fine', async () => {
  await voxrun.advance(90);
  const s = await voxrun.start({ scenarios: ['idle.js'] });
  expect((await s.ended()).reason).toBe('Timeout');
});
test('a caller that sends what is no DTMF digit', async () => {
  const s = await voxrun.callIn({ scenarios: ['answer.js'], to: '+18005550100' });
  await s.call.dtmf('12x');
});
