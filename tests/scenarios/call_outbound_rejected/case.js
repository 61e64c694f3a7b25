VoxEngine.addEventListener(AppEvents.Started, () => {
  const call = VoxEngine.callPSTN('+15550000001', '+18005550100');
  call.addEventListener(CallEvents.Failed, (e) => { Logger.write('rejected: ' + e.code + ' ' + e.reason); VoxEngine.terminate(); });
});
