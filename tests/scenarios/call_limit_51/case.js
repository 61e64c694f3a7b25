VoxEngine.addEventListener(AppEvents.Started, () => {
  const calls = [];
  try {
    for (let i = 0; i < 51; i++) calls.push(VoxEngine.callPSTN('+1555000' + (1000 + i), '+18005550100'));
  } catch (e) {
    Logger.write('call #' + (calls.length + 1) + ': ' + e.message);
  }
  calls.forEach((c) => c.hangup());
  VoxEngine.terminate();
});
