// 57_constants.js (loaded on first use): the constant tables of 55_tables.js as globals
// (CallEvents, VoiceList, Language, ASRLanguage, ...). The names are listed in
// src/runtime/lazy.rs, so that reading any of them loads this file.
(function (ops, vox) {
  'use strict';
  vox.load('55_tables.js');
  const T = vox.tables;
  // Each table is read from 55_tables.js only when its global is first read (building all
  // of them at once costs milliseconds).
  const values = vox.lazyValues;
  for (const name of Object.keys(values)) {
    if (values[name] !== undefined) continue;
    const from = name in T.enums ? T.enums : name in T && name !== 'modules' ? T : null;
    if (!from) continue;
    Object.defineProperty(values, name, {
      get() {
        return from[name];
      },
      set(value) {
        Object.defineProperty(values, name, { value, writable: true, configurable: true });
      },
      configurable: true,
    });
  }
})
