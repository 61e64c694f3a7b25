// 20_timers.js: setTimeout/setInterval/clear*, queueMicrotask.
// Rust keeps the deadlines (op_timer_start/op_timer_stop); the callbacks stay here by id.
(function (ops, vox) {
  'use strict';
  const { op_timer_start, op_timer_stop } = ops;
  const MIN_INTERVAL = 100;
  const callbacks = new vox.Map();

  function start(fn, ms, args, repeat) {
    if (typeof fn !== 'function') throw new TypeError('the timer callback must be a function');
    let delay = Number(ms);
    if (!(delay >= 0)) delay = 0;
    if (repeat && delay < MIN_INTERVAL) delay = MIN_INTERVAL;
    const id = op_timer_start(delay, repeat);
    if (id > 0) callbacks.set(id, { fn, args });
    return id;
  }

  function clear(id) {
    const key = Number(id);
    if (callbacks.delete(key)) op_timer_stop(key);
  }

  vox.define('setTimeout', function setTimeout(fn, ms, ...args) {
    return start(fn, ms, args, false);
  });
  vox.define('setInterval', function setInterval(fn, ms, ...args) {
    return start(fn, ms, args, true);
  });
  vox.define('clearTimeout', function clearTimeout(id) {
    clear(id);
  });
  vox.define('clearInterval', function clearInterval(id) {
    clear(id);
  });
  vox.define('queueMicrotask', function queueMicrotask(fn) {
    if (typeof fn !== 'function') throw new TypeError('queueMicrotask: the callback must be a function');
    vox.then(vox.resolve(), () => {
      try {
        fn();
      } catch (e) {
        vox.uncaught('queueMicrotask callback', e);
      }
    });
  });

  // Called by the dispatcher when timer `id` is due; `done`: it will not run again.
  vox.fireTimer = function (id, done) {
    const t = callbacks.get(id);
    if (!t) return;
    if (done) callbacks.delete(id);
    const fn = t.fn;
    try {
      fn(...t.args); // a direct call, so the budgeted dispatcher can interrupt it
    } catch (e) {
      vox.uncaught('timer callback', e);
    }
  };
})
