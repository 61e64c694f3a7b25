// 45_modules.js (loaded on first use): Modules and require.
(function (ops, vox) {
  'use strict';
  // Modules and require (docs/telephony.md#the-voxengine-surface). The modules voxrun emulates are installed (their
  // globals load on first use anyway); for any other, require succeeds and installs its
  // globals as stubs whose functions throw an Error naming them, so that a scenario loads
  // and runs until it really needs that module.
  const EMULATED = ['ApplicationStorage', 'ASR', 'Conference', 'Player', 'Recorder'];
  function tables() {
    vox.load('55_tables.js');
    return vox.tables;
  }
  vox.define('Modules', tables().enums.Modules);

  // The object at a dotted path (`OpenAI.Beta`), made as an empty namespace where missing.
  function namespace(path) {
    const parts = path.split('.');
    let obj = null;
    for (let i = 0; i < parts.length; i++) {
      const k = parts[i];
      let next = i === 0 ? globalThis[k] : obj[k];
      if (next === undefined || next === null) {
        next = {};
        if (i === 0) vox.define(k, next);
        else obj[k] = next;
      }
      obj = next;
    }
    return obj;
  }

  // Sets obj[key] unless it is there (frozen objects are left alone).
  function fill(obj, key, value) {
    try {
      if (obj[key] === undefined) obj[key] = value;
    } catch (_) {}
  }

  function stubModule(key, info) {
    const T = tables();
    for (const name of Object.keys(info.globals || {})) {
      const ns = namespace(name);
      for (const fn of info.globals[name]) {
        fill(ns, fn, function () {
          vox.notEmulated('Modules.' + key + ': ' + (name === key ? '' : name + '.') + fn);
        });
      }
    }
    for (const path of info.enums || []) {
      const value = T.nsEnums[path] || T.enums[path];
      if (value === undefined) continue;
      const dot = path.lastIndexOf('.');
      if (dot < 0) {
        if (globalThis[path] === undefined) vox.define(path, value);
      } else {
        fill(namespace(path.slice(0, dot)), path.slice(dot + 1), value);
      }
    }
  }

  vox.define('require', function require(module) {
    const T = tables();
    const key = Object.keys(T.modules).find((k) => T.modules[k].value === module || k === module);
    if (key === undefined) throw new Error('require: unknown module ' + String(module));
    if (EMULATED.indexOf(key) >= 0) {
      if (key === 'ApplicationStorage') vox.load('60_storage.js');
      return;
    }
    vox.load('50_calls.js');
    stubModule(key, T.modules[key]);
  });
})
