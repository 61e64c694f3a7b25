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

  // Runs the lazy prelude file `file`, once; it adds to `vox` or defines lazy globals.
  // (Plain objects rather than Map/Set here: this runs after scenario code, which may have
  // replaced their methods.)
  const loaded = Object.create(null);
  vox.load = function (file) {
    if (loaded[file]) return;
    loaded[file] = true;
    op_prelude_load(file, ops, vox);
  };

  // The globals of the lazy prelude files (see `lazyGlobals`), by name.
  const lazy = Object.create(null);

  // A global that scripts may overwrite but that does not show up when enumerating.
  vox.define = function (name, value) {
    const entry = lazy[name];
    if (entry) {
      entry.value = value;
      return;
    }
    Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
  };

  // `names`: the globals that prelude file `file` defines. Each is an accessor that runs the
  // file on first use, then reads or replaces the value the file defined. They stay
  // accessors for good: in Boa 0.22 a getter that changes the global object's shape (say, by
  // redefining its property as a data property) leaves a stale inline cache behind
  // (GetNameGlobal caches the shape seen after the getter with the slot found before it),
  // and the next read of that global fails with "not a callable function". Loading only
  // stores values here, so the global object keeps its shape.
  function lazyGlobals(file, names) {
    for (const name of names) {
      const entry = { value: undefined };
      lazy[name] = entry;
      Object.defineProperty(globalThis, name, {
        get() {
          vox.load(file);
          return entry.value;
        },
        set(value) {
          vox.load(file);
          entry.value = value;
        },
        enumerable: false,
        configurable: true,
      });
    }
  }

  // Members of prelude objects that a lazy file provides: `members` of `obj` are accessors
  // that load `file` (which stores them in vox.members) and return them from there.
  vox.members = Object.create(null);
  vox.lazyMembers = function (obj, file, members) {
    for (const name of members) {
      Object.defineProperty(obj, name, {
        get() {
          vox.load(file);
          return vox.members[name];
        },
        set(value) {
          vox.load(file);
          vox.members[name] = value;
        },
        enumerable: true,
        configurable: true,
      });
    }
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

  // The typings' constant tables (SPEC 10.1); events enums and voices.
  vox.constantGlobals = [
    'CallEvents',
    'PlayerEvents',
    'RecorderEvents',
    'ASREvents',
    'ConferenceEvents',
    'SequencePlayerEvents',
    'ASRLanguage',
    'ASRDictionary',
    'ASRModel',
    'ASRProfileList',
    'ASRModelList',
    'VoiceList',
    'Language',
    'DTMFType',
    'CallAudioQuality',
    'RecorderDirection',
    'RecorderProfile',
    'RecordExpireTime',
    'ConferenceDirection',
    'ConferenceMode',
    'TTSEffectsProfile',
    'TerminationStatus',
    'TranscriptionProvider',
    'URLPlayerRequestMethod',
  ];
  lazyGlobals('57_constants.js', vox.constantGlobals);
  lazyGlobals('50_calls.js', ['Call']);
  lazyGlobals('45_modules.js', ['Modules', 'require']);
  lazyGlobals('15_console.js', ['console']);
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
  ]);
})
