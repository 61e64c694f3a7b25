// 90_dispatch.js: the dispatcher the session loop runs for every callback.
// Rust evaluates the one-line script `__voxrun()`, budgeted and under the per-event
// deadline; this takes the work item (op_run_take) and calls user code directly (no
// Function.prototype.call/apply: a native builtin's callback could not be interrupted).
(function (ops, vox) {
  'use strict';
  const { op_run_take, op_job_take } = ops;
  // bindThis(f, t) = f.bind(t), without reading properties a script could have replaced.
  const bindThis = Function.prototype.call.bind(Function.prototype.bind);

  vox.dispatch = dispatchEvent;
  // 91_http.js is loaded by the first control request (a flag here, not a call per request).
  let httpLoaded = false;
  function dispatchEvent(ev) {
    const list = vox.listeners(ev.name);
    for (let i = 0; i < list.length; i++) {
      const handler = list[i];
      try {
        handler(ev);
      } catch (e) {
        vox.uncaught(ev.name + ' handler', e);
      }
    }
  }

  Object.defineProperty(globalThis, '__voxrun', {
    value: function __voxrun() {
      // [code, ...fields]; the codes are Work::code's (src/runtime/work.rs)
      const w = op_run_take();
      if (!w) return;
      switch (w[0]) {
        case 1: // http
          if (!httpLoaded) {
            vox.load('91_http.js');
            httpLoaded = true;
          }
          vox.dispatchHttp(w[1], w[2]);
          break;
        case 0: // event
          dispatchEvent(w[1]);
          break;
        case 2: // timer
          vox.fireTimer(w[1], w[2]);
          break;
        case 3: // net
          vox.netDone(w[1], w[2]);
          break;
        case 4: // storage
          vox.load('60_storage.js');
          vox.storageDone(w[1], w[2]);
          break;
        case 5: // call
          vox.load('50_calls.js');
          vox.callNotice(w[1]);
          break;
      }
    },
    enumerable: false,
    writable: false,
    configurable: false,
  });

  // Runs one Promise job's callback (Rust: engine::JobRunner), through the one-line script
  // `__voxrun_job()` that Rust evaluates budgeted. A direct call (a bound function when
  // `this` matters), so a JS callback runs in the budgeted loop; its result or exception
  // goes back to the job.
  Object.defineProperty(globalThis, '__voxrun_job', {
    value: function __voxrun_job() {
      const j = op_job_take();
      if (!j) return undefined;
      const f = j[0];
      const g = j[1] === undefined ? f : bindThis(f, j[1]);
      switch (j.length) {
        case 2:
          return g();
        case 3:
          return g(j[2]);
        case 4:
          return g(j[2], j[3]);
        default:
          return g(j[2], j[3], ...j.slice(4));
      }
    },
    enumerable: false,
    writable: false,
    configurable: false,
  });
})
