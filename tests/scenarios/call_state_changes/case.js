VoxEngine.addEventListener(AppEvents.Started, () => {
  const call = VoxEngine.callPSTN('+15550000006', '+18005550100', { displayName: 'Shop' });
  Logger.write('new call ' + call.id() + ' ' + call.state() + ' to ' + call.number() + ' from ' + call.callerid() + ' incoming=' + call.incoming());
  call.addEventListener(CallEvents.StateChanged, (s) => Logger.write(s.oldState + ' -> ' + s.newState));
  call.addEventListener(CallEvents.Connected, () => call.hangup());
  call.addEventListener(CallEvents.Disconnected, () => { Logger.write(String(call)); VoxEngine.terminate(); });
});
