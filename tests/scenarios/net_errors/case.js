const brief = (r) => ({ code: r.code, error: r.error === undefined ? null : r.code === 0 ? r.error : r.error.split(':')[0], text: r.text.length });
VoxEngine.addEventListener(AppEvents.HttpRequest, async (e) => {
  const url = {
    malformed: 'not a url',
    scheme: 'ftp://127.0.0.1/x',
    nohost: 'http://no-such-host.invalid/x',
    closed: '{{CLOSED}}/x',
    slow: '{{NET}}/slow',
    big: '{{NET}}/big',
    refused: 'http://localhost:1/x',
    ok: '{{NET}}/hello',
  }[e.content];
  const r = await Net.httpRequestAsync(url, { timeout: 1 });
  return brief(r);
});
