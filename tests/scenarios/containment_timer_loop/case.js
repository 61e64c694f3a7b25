VoxEngine.addEventListener(AppEvents.Started, () => {
  setTimeout(() => { Logger.write('timer spins'); for (;;) { let x = 0; x++; } }, 1000);
});
VoxEngine.addEventListener(AppEvents.HttpRequest, () => 'alive');
