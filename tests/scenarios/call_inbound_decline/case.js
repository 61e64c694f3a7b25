VoxEngine.addEventListener(AppEvents.CallAlerting, (e) => {
  e.call.decline();
  setTimeout(() => VoxEngine.terminate(), 100);
});
