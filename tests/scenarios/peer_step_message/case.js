VoxEngine.addEventListener(AppEvents.CallAlerting, (e) => {
  const call = e.call;
  call.addEventListener(CallEvents.MessageReceived, (m) => {
    Logger.write('got ' + m.text);
    if (m.text === 'hello') call.sendMessage('hi there');
  });
  call.addEventListener(CallEvents.Disconnected, () => VoxEngine.terminate());
  call.answer();
});
