// 15_console.js (loaded on first use): console.
(function (ops, vox) {
  'use strict';

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

  // Without iterating: a scenario may have replaced Array.prototype[Symbol.iterator].
  function level() {
    return function () {
      vox.write(format(arguments));
    };
  }
  const console = { log: level(), info: level(), warn: level(), error: level(), debug: level() };
  vox.define('console', console);
})
