// Loading works; only calling into the module throws, naming it.
require(Modules.AI);
Logger.write('typeof AI: ' + typeof AI);
VoxEngine.addEventListener(AppEvents.Started, () => {
  try {
    AI.createDialogflow({});
  } catch (e) {
    Logger.write('caught: ' + e.message);
  }
  VoxEngine.terminate();
});
