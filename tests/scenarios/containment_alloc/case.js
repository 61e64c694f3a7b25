VoxEngine.addEventListener(AppEvents.HttpRequest, () => {
  const keep = [];
  for (;;) keep.push({ n: keep.length, s: 'x' + keep.length });
});
