// postData as a byte list is capped at 1 MiB: a longer one rejects at once, before the
// runtime would spend its time copying it.
VoxEngine.addEventListener(AppEvents.HttpRequest, async () => {
  try {
    await Net.httpRequestAsync('{{NET}}/echo', { method: 'POST', postData: { length: 1e7 } });
    return 'sent';
  } catch (e) {
    return e.name + ': ' + e.message;
  }
});
