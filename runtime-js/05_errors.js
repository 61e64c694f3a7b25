// 05_errors.js (loaded on first use): the text of an error value, for logs.
(function (ops, vox) {
  'use strict';

  // `Name: message` and the stack of an error value.
  vox.errorTextOf = function (e) {
    try {
      if (e instanceof Error) {
        const head = vox.text(e.name || 'Error') + (e.message ? ': ' + vox.text(e.message) : '');
        const stack = typeof e.stack === 'string' ? userFrames(e.stack) : '';
        return stack ? head + '\n' + stack : head;
      }
      return 'Uncaught ' + vox.text(e);
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
})
