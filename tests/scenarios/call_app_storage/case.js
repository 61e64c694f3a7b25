// ApplicationStorage across two sessions and a restart of the store: the first session
// counts a visit and stores a caller's note; the second reads both back.
require(Modules.ApplicationStorage);
VoxEngine.addEventListener(AppEvents.Started, async () => {
  const n = VoxEngine.customData();
  const visits = await ApplicationStorage.get('visits');
  Logger.write('session ' + n + ': visits before = ' + (visits ? visits.value : 'none'));
  await ApplicationStorage.put('visits', String(visits ? Number(visits.value) + 1 : 1), 3600);
  if (n === '1') {
    await ApplicationStorage.put('caller:+15550001', 'prefers Spanish');
    await ApplicationStorage.put('caller:+15550002', 'VIP');
    await ApplicationStorage.put('other', 'x');
  } else {
    const page = await ApplicationStorage.keys('caller');
    Logger.write('caller keys: ' + page.keys.join(', '));
    const removed = await ApplicationStorage.remove('other');
    Logger.write('removed ' + removed.key + '=' + removed.value);
    Logger.write('after remove: ' + JSON.stringify(await ApplicationStorage.get('other')));
    try {
      await ApplicationStorage.put('k', 'x'.repeat(2001));
    } catch (e) {
      Logger.write('too long: ' + e.message);
    }
    for (const ttl of [-5, NaN, 1e30]) {
      try {
        await ApplicationStorage.put('k', 'v', ttl);
        Logger.write('ttl ' + ttl + ' accepted');
      } catch (e) {
        Logger.write('ttl ' + ttl + ': ' + e.message);
      }
    }
  }
  VoxEngine.terminate();
});
