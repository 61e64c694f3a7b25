VoxEngine.addEventListener(AppEvents.HttpRequest, () => { VoxEngine.terminate(); return 'bye'; });
VoxEngine.addEventListener(AppEvents.Terminating, () => {
  Net.httpRequestAsync('{{NET}}/hello').then((r) => Logger.write('terminating request: ' + r.code + ' ' + r.text));
  Net.httpRequestAsync('{{NET}}/hello').then((r) => Logger.write('second request: ' + r.code + ' ' + r.error));
});
VoxEngine.addEventListener(AppEvents.Terminated, () => {
  Net.httpRequestAsync('{{NET}}/hello').then((r) => Logger.write('never delivered'));
  Logger.write('terminated');
});
