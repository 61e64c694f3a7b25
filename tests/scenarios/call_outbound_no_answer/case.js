const t0 = Date.now();
VoxEngine.addEventListener(AppEvents.Started, () => {
  const call = VoxEngine.callPSTN('+442070000000', '+18005550100');
  call.addEventListener(CallEvents.Ringing, () => Logger.write('ringing at ' + (Date.now() - t0)));
  call.addEventListener(CallEvents.Failed, (e) => {
    Logger.write('no answer: ' + e.code + ' ' + e.reason + ' at ' + (Date.now() - t0) + ' ms');
    VoxEngine.terminate();
  });
});
