VoxEngine.addEventListener(AppEvents.HttpRequest, (e) => {
  if (e.content === 'set') { globalThis.mark = 'set in session ' + VoxEngine.customData(); Array.prototype.extra = 1; VoxEngine.customData('changed'); }
  return JSON.stringify({ mark: typeof mark === 'undefined' ? null : mark, extra: [].extra === 1, data: VoxEngine.customData() });
});
