VoxEngine.addEventListener(AppEvents.Started, () => {
  const call = VoxEngine.callPSTN('+15550000006', '+18005550100', { displayName: 'Shop' });
  Logger.write('new call ' + call.id() + ' ' + call.state() + ' to ' + call.number() + ' from ' + call.callerid() + ' incoming=' + call.incoming());
  call.addEventListener(CallEvents.StateChanged, (s) => Logger.write(s.oldState + ' -> ' + s.newState));
  call.addEventListener(CallEvents.Connected, () => {
    // Wrong-state calls name the method once.
    for (const wrong of [() => call.answer(), () => call.reject()]) {
      try { wrong(); } catch (e) { Logger.write('refused: ' + e.message); }
    }
    const conf = VoxEngine.createConference();
    VoxEngine.destroyConference(conf);
    VoxEngine.destroyConference(conf);
    Logger.write('a conference destroyed twice');
    call.hangup();
  });
  call.addEventListener(CallEvents.Disconnected, () => { Logger.write(String(call)); VoxEngine.terminate(); });
});
