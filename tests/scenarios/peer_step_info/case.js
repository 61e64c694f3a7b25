VoxEngine.addEventListener(AppEvents.CallAlerting, (e) => {
  e.call.addEventListener(CallEvents.InfoReceived, (i) => {
    Logger.write('info ' + i.mimeType + ' ' + i.body);
    e.call.sendInfo('text/plain', 'ack');
  });
  e.call.addEventListener(CallEvents.Disconnected, () => VoxEngine.terminate());
  e.call.answer();
});
