VoxEngine.addEventListener(AppEvents.Started, () => {
  const call = VoxEngine.callPSTN('+15550000003', '+18005550100');
  call.addEventListener(CallEvents.Connected, () => Logger.write('connected'));
  call.addEventListener(CallEvents.Disconnected, (d) => { Logger.write('far end hung up: ' + d.reason); VoxEngine.terminate(); });
});
