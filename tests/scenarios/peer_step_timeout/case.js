// The scenario never plays anything and never answers the message: both waits time out.
VoxEngine.addEventListener(AppEvents.CallAlerting, (e) => {
  e.call.addEventListener(CallEvents.MessageReceived, (m) => Logger.write('message: ' + m.text));
  e.call.addEventListener(CallEvents.Disconnected, () => VoxEngine.terminate());
  e.call.answer();
});
