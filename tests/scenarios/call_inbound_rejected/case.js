VoxEngine.addEventListener(AppEvents.CallAlerting, (e) => {
  Logger.write('call from ' + e.callerid + ', blocked');
  e.call.reject(486);
  Logger.write('state ' + e.call.state());
  VoxEngine.terminate();
});
