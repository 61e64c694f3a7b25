VoxEngine.addEventListener(AppEvents.CallAlerting, (e) => {
  try {
    e.call.transferTo({});
  } catch (err) {
    Logger.write('caught: ' + err.message);
  }
  e.call.hangup();
  VoxEngine.terminate();
});
