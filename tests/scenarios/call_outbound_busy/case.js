VoxEngine.addEventListener(AppEvents.Started, () => {
  const call = VoxEngine.callPSTN('+15557770000', '+18005550100');
  call.addEventListener(CallEvents.Ringing, () => Logger.write('ringing'));
  call.addEventListener(CallEvents.Failed, (e) => {
    Logger.write('failed: ' + e.code + ' ' + e.reason + ', state ' + call.state());
    VoxEngine.terminate();
  });
});
