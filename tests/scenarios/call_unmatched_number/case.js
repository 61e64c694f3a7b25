// No pattern matches: the default far end answers after 1 s and then waits.
const t0 = Date.now();
VoxEngine.addEventListener(AppEvents.Started, () => {
  const call = VoxEngine.callPSTN('+15550000005', '+18005550100');
  call.addEventListener(CallEvents.Connected, () => { Logger.write('connected at ' + (Date.now() - t0)); call.hangup(); });
  call.addEventListener(CallEvents.Disconnected, () => VoxEngine.terminate());
});
