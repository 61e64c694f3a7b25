let n = 0;
function again() { n++; return Promise.resolve().then(again); }
VoxEngine.addEventListener(AppEvents.HttpRequest, (e) => {
  if (e.content === 'chain') { again(); return 'started chain'; }
  return 'alive';
});
