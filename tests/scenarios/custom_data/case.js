Logger.write('initial customData: ' + JSON.stringify(VoxEngine.customData()));
VoxEngine.addEventListener(AppEvents.HttpRequest, (e) => {
  if (e.content === 'long') {
    try { VoxEngine.customData('é'.repeat(101)); } catch (err) { return 'refused: ' + err; }
    return 'accepted';
  }
  if (e.content === 'max') { VoxEngine.customData('y'.repeat(200)); return VoxEngine.customData().length; }
  VoxEngine.customData(e.content);
  return VoxEngine.customData();
});
