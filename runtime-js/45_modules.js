// 45_modules.js (loaded on first use): Modules and require.
(function (ops, vox) {
  'use strict';
  // Modules and require (SPEC 10.1). The modules voxrun emulates are installed (their
  // globals load on first use anyway); for any other, require succeeds and installs its
  // globals as stubs whose functions throw an Error naming them, so that a scenario loads
  // and runs until it really needs that module.
  const EMULATED = ['ApplicationStorage', 'ASR', 'Conference', 'Player', 'Recorder'];
  function tables() {
    vox.load('55_tables.js');
    return vox.tables;
  }
  vox.define('Modules', tables().enums.Modules);

  function stubModule(key, info) {
    const T = tables();
    for (const name of Object.keys(info.globals || {})) {
      if (globalThis[name] !== undefined) continue;
      const ns = {};
      for (const fn of info.globals[name]) {
        ns[fn] = function () {
          vox.notEmulated('Modules.' + key + ': ' + (name === key ? '' : name + '.') + fn);
        };
      }
      vox.define(name, ns);
    }
    for (const path of info.enums || []) {
      const dot = path.indexOf('.');
      const value = T.nsEnums[path] || T.enums[path];
      if (value === undefined) continue;
      if (dot < 0) {
        if (globalThis[path] === undefined) vox.define(path, value);
        continue;
      }
      const owner = globalThis[path.slice(0, dot)];
      if (owner && typeof owner === 'object' && owner[path.slice(dot + 1)] === undefined) {
        owner[path.slice(dot + 1)] = value;
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
