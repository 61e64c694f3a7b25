test('never finishes', async () => {
  for (;;) await null;
});
