// Three outbound calls meet in one conference; it ends when the last one leaves.
VoxEngine.addEventListener(AppEvents.Started, () => {
  const conf = VoxEngine.createConference();
  let left = 0;
  conf.addEventListener(ConferenceEvents.EndpointAdded, (e) => Logger.write('joined: ' + e.call.number()));
  conf.addEventListener(ConferenceEvents.EndpointRemoved, (e) => {
    Logger.write('left: ' + e.call.number());
    if (++left === 3) VoxEngine.terminate();
  });
  ['+15550000011', '+15550000012', '+15550000013'].forEach((n, i) => {
    setTimeout(() => {
      const call = VoxEngine.callPSTN(n, '+18005550100');
      call.addEventListener(CallEvents.Connected, () => conf.add({ call }));
    }, i * 500);
  });
});
