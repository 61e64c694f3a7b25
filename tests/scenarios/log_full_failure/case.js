// A session that fills its log and then breaks a limit: its log still says why it failed
// and how it ended (the runtime's own ending lines have a reserve past the limit).
VoxEngine.addEventListener(AppEvents.HttpRequest, (e) => {
  if (e.content === 'fill') {
    for (let i = 0; i < 20; i++) Logger.write('line ' + i + ' ' + 'x'.repeat(40));
    return 'filled';
  }
  while (true) {}
});
