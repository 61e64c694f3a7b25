// 00_core.js: shared helpers, Logger, and the loading of the prelude files that run on first
// use (src/runtime/prelude.rs LAZY).
// Every prelude file evaluates to `function (ops, vox)`: `ops` holds the native functions
// (op_<area>_<verb>), `vox` is private state shared between prelude files. Neither is global.
(function (ops, vox) {
  'use strict';
  const { op_log_write, op_log_uncaught, op_prelude_load } = ops;
  const MAX_CHARS = 15000;

  // The builtins the lazy files use while they load, as they were before any scenario ran
  // (a scenario may have replaced or shadowed them by the time a lazy file loads).
  vox.Map = Map;
  vox.freeze = Object.freeze;
  // For the runtime's own answers and jobs: a scenario that replaces JSON.stringify or
  // Promise.prototype.then must not change what the runtime itself sends or awaits.
  vox.stringify = JSON.stringify;
  vox.resolve = Promise.resolve.bind(Promise);
  vox.then = Function.prototype.call.bind(Promise.prototype.then);
  // String(v) without the global String (a scenario may have replaced it).
  vox.text = function (v) {
    if (typeof v !== 'symbol') return '' + v;
    return 'Symbol(' + (v.description === undefined ? '' : v.description) + ')';
  };

  // Runs the lazy prelude file `file`, once; it adds to `vox` or defines lazy globals.
  // (Plain objects rather than Map/Set here: this runs after scenario code, which may have
  // replaced their methods.)
  const loaded = Object.create(null);
  vox.load = function (file) {
    if (loaded[file]) return;
    loaded[file] = true;
    op_prelude_load(file, ops, vox);
  };

  // A global that scripts may overwrite but that does not show up when enumerating. The
  // globals of the lazy files are native accessors (src/runtime/lazy.rs) over
  // vox.lazyValues: defining one stores its value there.
  vox.define = function (name, value) {
    const values = vox.lazyValues;
    if (name in values) {
      values[name] = value;
      return;
    }
    Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
  };

  // `Name: message` and the stack of an error value (05_errors.js).
  vox.errorText = function (e) {
    vox.load('05_errors.js');
    return vox.errorTextOf(e);
  };

  // Logs an error that no script code caught.
  vox.uncaught = function (where, e) {
    op_log_uncaught('JS error in ' + where + ': ' + vox.errorText(e));
  };

  vox.write = function (text) {
    op_log_write(String(text).slice(0, MAX_CHARS));
  };

  vox.define('Logger', {
    write(message) {
      vox.write(message);
    },
  });

})
