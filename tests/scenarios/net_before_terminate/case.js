// A request still running when the session ends is dropped: only the Terminating handler's
// own request is awaited, so the end does not wait for the slow one.
VoxEngine.addEventListener(AppEvents.HttpRequest, () => {
  Net.httpRequestAsync('{{NET}}/slow').then((r) => Logger.write('slow answered (never): ' + r.code));
  VoxEngine.terminate();
  return 'bye';
});
VoxEngine.addEventListener(AppEvents.Terminating, () => {
  Net.httpRequestAsync('{{NET}}/hello').then((r) => Logger.write('terminating request: ' + r.code));
});
VoxEngine.addEventListener(AppEvents.Terminated, () => Logger.write('terminated'));
