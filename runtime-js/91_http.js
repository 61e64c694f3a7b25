// 91_http.js (loaded on the first control request): runs the HttpRequest listeners and
// answers the request (op_event_reply) with their result, at once or when its Promise settles.
(function (ops, vox) {
  'use strict';
  const { op_event_reply } = ops;
  // The body types op_event_reply takes (ReplyType::from_code, src/runtime/mod.rs).
  const TEXT = 1;
  const JSON_TYPE = 2;
  const lists = vox.listenerLists;
  const NONE = vox.noListeners;

  function replyValue(id, v) {
    let type = 0;
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
          type = JSON_TYPE;
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
    op_event_reply(id, 500, JSON_TYPE, vox.stringify({ error: msg }));
  }

  // Request `id` as AppEvents.HttpRequest: `ev` is {content, headers, method, name, path},
  // made by Rust (Work::to_js) with the shape such an object literal has.
  vox.dispatchHttp = function (id, ev) {
    const list = lists.get(ev.name) || NONE;
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
    // The usual answer, without a call to replyValue.
    if (typeof result === 'string') {
      op_event_reply(id, 200, TEXT, result);
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
