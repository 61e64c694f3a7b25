// 00_core.js: shared helpers, Logger and console.
// Every prelude file evaluates to `function (ops, vox)`: `ops` holds the native functions
// (op_<area>_<verb>), `vox` is private state shared between prelude files. Neither is global.
(function (ops, vox) {
  'use strict';
  const { op_log_write, op_log_uncaught } = ops;
  const MAX_CHARS = 15000;

  // A global that scripts may overwrite but that does not show up when enumerating.
  vox.define = function (name, value) {
    Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
  };

  // `Name: message` and the stack of an error value.
  vox.errorText = function (e) {
    try {
      if (e instanceof Error) {
        const head = String(e.name || 'Error') + (e.message ? ': ' + String(e.message) : '');
        const stack = typeof e.stack === 'string' ? userFrames(e.stack) : '';
        return stack ? head + '\n' + stack : head;
      }
      return 'Uncaught ' + String(e);
    } catch (_) {
      return 'Uncaught exception';
    }
  };

  // The stack lines that point into scenario code (not the prelude, the dispatch scripts or
  // native frames; engine.rs `user_frames` applies the same filter).
  function userFrames(stack) {
    const out = [];
    const lines = stack.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i].trim();
      if (!line || line.indexOf('voxrun:prelude/') >= 0 || line.indexOf('(unknown at') >= 0 || line.indexOf('(native)') >= 0) continue;
      out.push('    ' + line);
    }
    return out.join('\n');
  }

  // Logs an error that no script code caught.
  vox.uncaught = function (where, e) {
    op_log_uncaught('JS error in ' + where + ': ' + vox.errorText(e));
  };

  vox.write = function (text) {
    op_log_write(String(text).slice(0, MAX_CHARS));
  };

  function format(args) {
    const parts = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (typeof a === 'string') {
        parts.push(a);
        continue;
      }
      if (a instanceof Error) {
        parts.push(vox.errorText(a));
        continue;
      }
      let s;
      try {
        s = JSON.stringify(a);
      } catch (_) {
        s = undefined;
      }
      parts.push(s === undefined ? String(a) : s);
    }
    return parts.join(' ');
  }

  vox.define('Logger', {
    write(message) {
      vox.write(message);
    },
  });

  const console = {};
  for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
    console[level] = function () {
      vox.write(format(arguments));
    };
  }
  vox.define('console', console);
})
