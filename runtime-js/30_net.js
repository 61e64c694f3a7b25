// 30_net.js: Net.httpRequestAsync / Net.httpRequest.
// Options are normalized here and sent to Rust as JSON; the result comes back through the
// dispatcher (vox.netDone) as {code, text, headers, raw_headers, data?, error?}.
(function (ops, vox) {
  'use strict';
  const { op_net_request } = ops;
  const pending = new vox.Map();
  const MAX_BYTE_LIST = 1024 * 1024;

  function pairs(map) {
    const out = [];
    if (map && typeof map === 'object') {
      for (const k of Object.keys(map)) out.push([String(k), String(map[k])]);
    }
    return out;
  }

  function normalize(options) {
    const o = options || {};
    const out = {
      method: o.method === undefined || o.method === null ? 'GET' : String(o.method),
      headers: [],
      params: pairs(o.params),
      raw: !!o.rawOutput,
    };
    const body = o.postData;
    if (body !== undefined && body !== null) {
      if (typeof body === 'string') {
        out.body = body;
      } else if (typeof body === 'object' && typeof body.length === 'number') {
        // A bigger byte list would take the host too long to pass on in one piece.
        if (!(body.length <= MAX_BYTE_LIST)) {
          throw new RangeError('postData: a byte list may hold at most ' + MAX_BYTE_LIST + ' bytes');
        }
        const bytes = [];
        for (let i = 0; i < body.length; i++) bytes.push(Number(body[i]) & 255);
        out.body_bytes = bytes;
      } else {
        out.body = String(body);
      }
    }
    const h = o.headers;
    if (Array.isArray(h)) {
      for (let i = 0; i < h.length; i++) {
        const line = String(h[i]);
        const colon = line.indexOf(':');
        if (colon > 0) out.headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
      }
    } else {
      out.headers = pairs(h);
    }
    if (o.timeout !== undefined) out.timeout = Number(o.timeout);
    if (o.connectionTimeout !== undefined) out.connect_timeout = Number(o.connectionTimeout);
    return JSON.stringify(out);
  }

  function request(url, options, entry) {
    const id = op_net_request(String(url), normalize(options));
    pending.set(id, entry);
  }

  const Net = {
    httpRequestAsync(url, options) {
      return new Promise((resolve) => request(url, options, { resolve }));
    },
    httpRequest(url, callback, options) {
      request(url, options, { callback });
    },
  };

  // Called by the dispatcher when request `id` completed.
  vox.netDone = function (id, result) {
    const entry = pending.get(id);
    if (!entry) return;
    pending.delete(id);
    if (entry.resolve) {
      entry.resolve(result);
      return;
    }
    const callback = entry.callback;
    if (typeof callback !== 'function') return;
    try {
      callback(result); // a direct call, so the budgeted dispatcher can interrupt it
    } catch (e) {
      vox.uncaught('Net.httpRequest callback', e);
    }
  };

  vox.define('Net', vox.freeze(Net));
})
