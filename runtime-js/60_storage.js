// 60_storage.js (loaded by require(Modules.ApplicationStorage)): ApplicationStorage, kept
// per application (docs/telephony.md#the-voxengine-surface). Each call sends a request (op_storage_request) and returns
// a Promise that settles when the answer comes back (vox.storageDone, from the dispatcher).
(function (ops, vox) {
  'use strict';
  const { op_storage_request } = ops;
  const waiting = new vox.Map();

  function request(op, key, value, ttl, pattern, count) {
    return new Promise((resolve, reject) => {
      const id = op_storage_request(op, key, value, ttl, pattern, count);
      waiting.set(id, { resolve, reject, op });
    });
  }

  function item(i) {
    return i ? { key: i.key, value: i.value, expireAt: i.expire_at } : null;
  }

  // Settles request `id` with the answer (src/runtime/mod.rs StorageAnswer).
  vox.storageDone = function (id, answer) {
    const w = waiting.get(id);
    if (!w) return;
    waiting.delete(id);
    if (answer && answer.Failed !== undefined) {
      w.reject(new Error('ApplicationStorage.' + w.op + ': ' + answer.Failed));
    } else if (answer && answer.Keys !== undefined) {
      w.resolve({ keys: answer.Keys });
    } else {
      w.resolve(item(answer ? answer.Item : null));
    }
  };

  function optionalNumber(v) {
    return v === undefined || v === null ? undefined : Number(v);
  }

  vox.define('ApplicationStorage', vox.freeze({
    get(key) {
      return request('get', String(key));
    },
    put(key, value, ttl) {
      return request('put', String(key), String(value), optionalNumber(ttl));
    },
    remove(key) {
      return request('remove', String(key));
    },
    keys(pattern, count) {
      const p = pattern === undefined || pattern === null ? undefined : String(pattern);
      return request('keys', undefined, undefined, undefined, p, optionalNumber(count));
    },
  }));
})
