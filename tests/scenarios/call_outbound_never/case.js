VoxEngine.addEventListener(AppEvents.Started, () => {
  const call = VoxEngine.callPSTN('+15550000002', '+18005550100');
  setTimeout(() => { Logger.write('giving up in state ' + call.state()); call.hangup(); }, 15000);
  call.addEventListener(CallEvents.Disconnected, () => { Logger.write('state now ' + call.state()); VoxEngine.terminate(); });
});
