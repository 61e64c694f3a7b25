// 91_http.js (loaded on the first control request): runs the HttpRequest listeners and
// answers the request (op_event_reply) with their result, at once or when its Promise settles.
(function (ops, vox) {
  'use strict';
  const { op_event_reply } = ops;
  const TEXT = 'text/plain; charset=utf-8';

  function replyValue(id, v) {
    let type = null;
    let body = '';
    try {
      if (typeof v === 'string') {
        type = TEXT;
        body = v;
      } else if (typeof v === 'number') {
        type = TEXT;
        body = vox.text(v);
      } else if (v !== undefined) {
        const json = vox.stringify(v);
        if (json !== undefined) {
          type = 'application/json';
          body = json;
        }
      }
    } catch (e) {
      vox.uncaught('HttpRequest handler (result)', e);
      replyError(id, e);
      return;
    }
    op_event_reply(id, 200, type, body);
  }

  function replyError(id, e) {
    let msg = 'Error';
    try {
      msg = e instanceof Error ? vox.text(e.name || 'Error') + ': ' + vox.text(e.message) : vox.text(e);
    } catch (_) {
      // keep 'Error'
    }
    op_event_reply(id, 500, 'application/json', vox.stringify({ error: msg }));
  }

  // Request `id` as AppEvents.HttpRequest; `flat`: its X-* headers as [name, value, ...].
  vox.dispatchHttp = function (id, method, path, content, flat) {
    const headers = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      headers[headers.length] = { key: flat[i], value: flat[i + 1] };
    }
    // Keys in the order the event has always had (alphabetical), as JSON.stringify shows it.
    const ev = { content, headers, method, name: 'Application.HttpRequest', path };
    const list = vox.listeners(ev.name);
    let result;
    let failed = false;
    let error;
    for (let i = 0; i < list.length; i++) {
      const handler = list[i];
      try {
        const r = handler(ev);
        if (r !== undefined) result = r;
      } catch (e) {
        failed = true;
        error = e;
        vox.uncaught('HttpRequest handler', e);
      }
    }
    if (failed) {
      replyError(id, error);
      return;
    }
    if (result !== null && (typeof result === 'object' || typeof result === 'function')) {
      let then;
      try {
        then = result.then;
      } catch (e) {
        vox.uncaught('HttpRequest handler (result)', e);
        replyError(id, e);
        return;
      }
      if (typeof then === 'function') {
        vox.then(
          vox.resolve(result),
          (v) => replyValue(id, v),
          (e) => {
            vox.uncaught('HttpRequest handler (rejected Promise)', e);
            replyError(id, e);
          },
        );
        return;
      }
    }
    replyValue(id, result);
  };
})
