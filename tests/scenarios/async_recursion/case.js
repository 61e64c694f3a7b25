// An async function that calls itself without end: the engine stops it, and the log says
// what most likely happened instead of the engine's internal message alone.
async function down(n) { return down(n + 1); }
VoxEngine.addEventListener(AppEvents.HttpRequest, (e) => down(0));
