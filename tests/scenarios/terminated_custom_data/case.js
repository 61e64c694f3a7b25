// customData may change until Terminating ends; in Terminated only Logger.write works, so
// the history keeps the value set in Terminating.
VoxEngine.addEventListener(AppEvents.HttpRequest, (e) => {
  VoxEngine.customData('from the request');
  VoxEngine.terminate();
  return 'bye';
});
VoxEngine.addEventListener(AppEvents.Terminating, () => VoxEngine.customData('from Terminating'));
VoxEngine.addEventListener(AppEvents.Terminated, () => {
  Logger.write('terminated with ' + VoxEngine.customData());
  VoxEngine.customData('from Terminated');
});
