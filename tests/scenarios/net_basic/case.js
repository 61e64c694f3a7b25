const show = (label, r) => Logger.write(label + ': ' + JSON.stringify(r));
VoxEngine.addEventListener(AppEvents.HttpRequest, async (e) => {
  if (e.content === 'hello') {
    const r = await Net.httpRequestAsync('{{NET}}/hello');
    return { code: r.code, text: r.text, xtest: r.headers.filter((h) => h.key === 'x-test'), raw: r.raw_headers.indexOf('x-test: yes') >= 0 };
  }
  if (e.content === 'echo') {
    const r = await Net.httpRequestAsync('{{NET}}/echo?q=1', {
      method: 'POST', postData: 'body text', headers: { 'X-One': '1', 'Content-Type': 'text/plain' }, params: { p: 'a b' },
    });
    return { code: r.code, echo: JSON.parse(r.text) };
  }
  if (e.content === 'legacy-headers') {
    const r = await Net.httpRequestAsync('{{NET}}/echo', { method: 'put', headers: ['X-Two: 2', 'User-Agent: custom/1'], postData: [104, 105] });
    return JSON.parse(r.text);
  }
  if (e.content === 'raw') {
    const r = await Net.httpRequestAsync('{{NET}}/bytes', { rawOutput: true });
    return { code: r.code, data: r.data };
  }
  if (e.content === 'status') {
    const r = await Net.httpRequestAsync('{{NET}}/status/404');
    return { code: r.code, text: r.text, error: r.error };
  }
  if (e.content === 'callback') {
    return new Promise((resolve) => Net.httpRequest('{{NET}}/hello', (r) => { show('callback got', r.code); resolve('callback ' + r.text); }));
  }
  if (e.content === 'parallel') {
    const rs = await Promise.all([1, 2, 3, 4, 5].map((i) => Net.httpRequestAsync('{{NET}}/echo?i=' + i)));
    return rs.map((r) => JSON.parse(r.text).path);
  }
  if (e.content === 'inflight') {
    const rs = await Promise.all([1, 2, 3, 4, 5, 6].map(() => Net.httpRequestAsync('{{NET}}/inflight')));
    return 'most in flight at once: ' + Math.max(...rs.map((r) => Number(r.text)));
  }
  return 'unknown';
});
