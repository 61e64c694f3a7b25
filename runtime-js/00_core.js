// 00_core.js: shared helpers, Logger and console.
// Every prelude file evaluates to `function (ops, vox)`: `ops` holds the native functions
// (op_<area>_<verb>), `vox` is private state shared between prelude files. Neither is global.
(function (ops, vox) {
  'use strict';
  const { op_log_write, op_log_uncaught, op_prelude_load } = ops;
  const MAX_CHARS = 15000;

  // The globals of the prelude files loaded on first use (see `lazyGlobals`), by name.
  const lazy = new Map();

  // A global that scripts may overwrite but that does not show up when enumerating.
  vox.define = function (name, value) {
    const entry = lazy.get(name);
    if (entry) {
      entry.value = value;
      return;
    }
    Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
  };

  // `names`: the globals that prelude file `file` defines (prelude.rs LAZY). Each is an
  // accessor that runs the file on first use (op_prelude_load), then reads or replaces the
  // value the file defined. They stay accessors for good: in Boa 0.22 a getter that changes
  // the global object's shape (say, by redefining its property as a data property) leaves a
  // stale inline cache behind (GetNameGlobal caches the shape seen after the getter with
  // the slot found before it), and the next read of that global fails with "not a callable
  // function". Loading only stores values here, so the global object keeps its shape.
  function lazyGlobals(file, names) {
    let loaded = false;
    const load = () => {
      if (loaded) return;
      loaded = true;
      op_prelude_load(file, ops, vox);
    };
    for (const name of names) {
      const entry = { value: undefined };
      lazy.set(name, entry);
      Object.defineProperty(globalThis, name, {
        get() {
          load();
          return entry.value;
        },
        set(value) {
          load();
          entry.value = value;
        },
        enumerable: false,
        configurable: true,
      });
    }
  }

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

  lazyGlobals('20_timers.js', ['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'queueMicrotask']);
  lazyGlobals('30_net.js', ['Net']);
  lazyGlobals('40_utils.js', [
    'base64_encode',
    'base64_decode',
    'str2bytes',
    'bytes2str',
    'bytes2hex',
    'hex2bytes',
    'levenshtein_distance',
    'getLocalTime',
    'Modules',
    'require',
  ]);
})
