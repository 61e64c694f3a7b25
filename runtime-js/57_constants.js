// 57_constants.js (loaded on first use): the constant tables of 55_tables.js as globals
// (CallEvents, VoiceList, Language, ASRLanguage, ...). The names are listed in 00_core.js
// (lazyGlobals), so that reading any of them loads this file.
(function (ops, vox) {
  'use strict';
  vox.load('55_tables.js');
  const T = vox.tables;
  for (const name of vox.constantGlobals) {
    if (name in T.enums) vox.define(name, T.enums[name]);
    else if (name in T) vox.define(name, T[name]);
  }
})
