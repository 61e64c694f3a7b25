// Control requests: echo method, path, body and one X- header; /later answers after 30 s;
// /never never answers (the reply timeout answers 504);
// a timer logs after 90 s; /stop ends the session; storage keeps a counter.
require(Modules.ApplicationStorage);
let hits = 0;
setTimeout(() => Logger.write('90 seconds passed'), 90000);
VoxEngine.addEventListener(AppEvents.HttpRequest, async (e) => {
  hits++;
  if (e.path.startsWith('/later')) {
    await new Promise((resolve) => setTimeout(resolve, 30000));
    return 'later';
  }
  if (e.path === '/never') {
    await new Promise(() => {});
  }
  if (e.path === '/stop') {
    VoxEngine.terminate();
    return 'bye';
  }
  if (e.path === '/count') {
    const prev = await ApplicationStorage.get('count');
    const n = (prev ? Number(prev.value) : 0) + 1;
    await ApplicationStorage.put('count', String(n));
    return String(n);
  }
  return JSON.stringify({ method: e.method, path: e.path, body: e.content, tag: (e.headers.find((h) => h.key === 'x-tag') || {}).value || null, hits, custom: VoxEngine.customData() });
});
