VoxEngine.addEventListener(AppEvents.HttpRequest, async (e) => {
  await null;
  Logger.write('after await');
  while (true) {}
});
