// Test files get nothing from the host: no modules, no process, no Node or VoxEngine globals.
test('import() is refused', async () => {
  let error = null;
  try {
    await import('./nothing.test.js');
  } catch (e) {
    error = e;
  }
  expect(String(error)).toMatch(/modules are not available in voxrun test files/);
});

test('no host globals', async () => {
  for (const name of ['process', 'require', 'module', 'Deno', 'VoxEngine', 'Logger', 'fetch']) {
    expect(typeof globalThis[name]).toBe('undefined');
  }
});
