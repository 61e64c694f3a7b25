// 55_tables.js: the VoxEngine constant tables. Loaded on first use (src/runtime/prelude.rs
// LAZY); sets `vox.tables`, `vox.voiceName` and `vox.defaultVoice`, defines no globals.
// Member names and values are those of the official VoxEngine typings (typings/voxengine.d.ts
// of voximplant/voxengine-ci), in voxrun's own compact encoding, kept in 55_tables.data.json
// (op_prelude_tables); `Language` comes from elsewhere (see there).
// Boa builds objects slowly (all of it at once took ~75 ms), so each table, enum and voice
// provider is built the first time it is read: containers are frozen objects of getters.
// Building uses String.prototype.split/indexOf/slice, as loading does.
(function (ops, vox) {
  'use strict';
  const freeze = vox.freeze;
  // Used at load and while building only; captured in case a scenario replaces them later.
  const defineProperty = Object.defineProperty;
  const TypeErr = TypeError;
  // The tables' data (55_tables.data.json), handed over by an op: a JSON document is read
  // far faster than the same strings parsed as script (≈ 4 ms of a call session's start).
  const DATA = ops.op_prelude_tables();

  // A frozen object whose property `name` (for each of `names`) is build(name), built on its
  // first read. Getters that only fill a closure never change any object's shape.
  function lazy(names, build) {
    const out = {};
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      let value;
      let built = false;
      defineProperty(out, name, {
        get() {
          if (!built) {
            value = build(name);
            built = true;
          }
          return value;
        },
        enumerable: true,
      });
    }
    return freeze(out);
  }

  // `list` holds records of `size` items, the first one a name: the names, and where each
  // record starts.
  function index(list, size) {
    const names = [];
    const at = {};
    for (let i = 0; i < list.length; i += size) {
      names.push(list[i]);
      at[list[i]] = i;
    }
    return { names, at };
  }
  // The items of a spec: one string, or a list of strings (for a long one), of items
  // separated by `sep`.
  function items(spec, sep) {
    if (typeof spec === 'string') return spec === '' ? [] : spec.split(sep);
    const out = [];
    for (let p = 0; p < spec.length; p++) {
      const part = spec[p].split(sep);
      for (let i = 0; i < part.length; i++) out.push(part[i]);
    }
    return out;
  }

  // A voice value: an opaque frozen object, marked with its dotted path
  // ('VoiceList.Google.en_US_Standard_A') under a symbol only this file holds. The mark is set
  // in the literal: a private class field or a non-enumerable property makes Boa 3-5 times
  // slower, and one provider has 1,442 voices. Object.keys, for-in and JSON.stringify do not
  // see it; a copy made with spread or Object.assign names the same voice.
  const PATH = Symbol('voxrun.voice');
  function voice(path) {
    return freeze({ [PATH]: path });
  }
  function voiceName(v) {
    if (typeof v !== 'object' || v === null) return undefined;
    const path = v[PATH];
    return typeof path === 'string' ? path : undefined;
  }

  // Enum members, comma-separated (a list of strings for a long one): 'Member' (value:
  // prefix + 'Member'), 'Member=string value' or 'Member#number'.
  function members(prefix, spec) {
    const out = {};
    const list = items(spec, ',');
    for (let i = 0; i < list.length; i++) {
      const item = list[i];
      const eq = item.indexOf('=');
      const hash = item.indexOf('#');
      if (eq >= 0) out[item.slice(0, eq)] = item.slice(eq + 1);
      else if (hash >= 0) out[item.slice(0, hash)] = +item.slice(hash + 1);
      else out[item] = prefix + item;
    }
    return freeze(out);
  }
  // Records of name, prefix, members.
  function enumTable(list) {
    const { names, at } = index(list, 3);
    return lazy(names, (name) => members(list[at[name] + 1], list[at[name] + 2]));
  }

  // Every top-level `declare enum` of the typings, by name.
  const ENUMS = DATA.ENUMS;

  // The enums declared inside namespaces, by dotted path.
  const NS_ENUMS = DATA.NS_ENUMS;

  // ASRProfileList / ASRModelList: provider -> members. The typings give the members no
  // values, so each value is its own dotted path ('ASRProfileList.Google.en_US').
  function pathTable(root, list) {
    const { names, at } = index(list, 2);
    return lazy(names, (name) => members(root + '.' + name + '.', list[at[name] + 1]));
  }
  const ASR_PROFILES = DATA.ASR_PROFILES;
  const ASR_MODELS = DATA.ASR_MODELS;

  // VoiceList: provider -> voices; 'Provider.Sub' records hold a sub-namespace. Voices are
  // space-separated: 'locale:a,b' stands for locale_a and locale_b, a bare name for itself,
  // and an item ending in '*' for that prefix followed by each name of CHIRP3 (the set most
  // Google locales share).
  const CHIRP3 = items([
    'Achernar,Achird,Algenib,Algieba,Alnilam,Aoede,Autonoe,Callirrhoe,Charon,Despina,Enceladus,Erinome,Fenrir,Gacrux,Iapetus,Kore,Laomedeia,Leda,Orus,Puck,Pulcherrima,Rasalgethi,Sadachbia',
    'Sadaltager,Schedar,Sulafat,Umbriel,Vindemiatrix,Zephyr,Zubenelgenubi',
  ], ',');
  const VOICES = DATA.VOICES;
  // The providers whose namespace also has createBrandVoice(name).
  const BRAND = ['ElevenLabs', 'SaluteSpeech'];
  function addVoices(at, base, spec) {
    const groups = items(spec, ' ');
    for (let g = 0; g < groups.length; g++) {
      const colon = groups[g].indexOf(':');
      if (colon < 0) {
        at[groups[g]] = voice(base + groups[g]);
        continue;
      }
      const locale = groups[g].slice(0, colon) + '_';
      const list = groups[g].slice(colon + 1).split(',');
      for (let k = 0; k < list.length; k++) {
        const item = list[k];
        if (item[item.length - 1] !== '*') {
          at[locale + item] = voice(base + locale + item);
          continue;
        }
        const stem = locale + item.slice(0, -1);
        for (let c = 0; c < CHIRP3.length; c++) at[stem + CHIRP3[c]] = voice(base + stem + CHIRP3[c]);
      }
    }
  }
  function brandVoice(where) {
    return function createBrandVoice(name) {
      if (typeof name !== 'string' || name === '') throw new TypeErr(where + ': name must be a non-empty string');
      return voice(where + "('" + name + "')");
    };
  }
  function voiceProvider(name) {
    const out = {};
    for (let i = 0; i < VOICES.length; i += 2) {
      const path = VOICES[i];
      if (path === name) addVoices(out, 'VoiceList.' + path + '.', VOICES[i + 1]);
      else if (path.slice(0, name.length + 1) === name + '.') {
        const sub = {};
        addVoices(sub, 'VoiceList.' + path + '.', VOICES[i + 1]);
        out[path.slice(name.length + 1)] = freeze(sub);
      }
    }
    if (BRAND.indexOf(name) >= 0) out.createBrandVoice = brandVoice('VoiceList.' + name + '.createBrandVoice');
    return freeze(out);
  }
  function voiceList() {
    const names = [];
    for (let i = 0; i < VOICES.length; i += 2) {
      const name = VOICES[i].split('.')[0];
      if (names.indexOf(name) < 0) names.push(name);
    }
    return lazy(names, voiceProvider);
  }

  // Language: the voice table older scenarios use (call.say(text, Language.US_ENGLISH_FEMALE)),
  // gone from the current typings. Members as Voximplant's reference listed them
  // (https://voximplant.com/docs/references/voxengine/language), taken from the typings
  // https://github.com/ama-team/ts-voxengine/blob/master/src/Language.d.ts, which mirror it.
  const LANGUAGE = DATA.LANGUAGE;
  const PREMIUM = DATA.PREMIUM;
  function language() {
    const out = {};
    addVoices(out, 'Language.', LANGUAGE);
    const premium = {};
    addVoices(premium, 'Language.Premium.', PREMIUM);
    out.Premium = freeze(premium);
    return freeze(out);
  }

  // For each member of Modules: its value; `globals`, the namespaces it provides -> their
  // functions (a dotted key is a sub-namespace, [] a namespace of constants only; a key that
  // already exists, like VoxEngine, gets these functions added); `classes`, the classes whose
  // instances those functions return -> their methods; `enums`, paths into enums / nsEnums.
  // From the typings' "require(Modules.X)" notes, and namespaces named like the module.
  // Records of name, globals, classes, enums.
  const MODULES = DATA.MODULES;
  function pairs(spec) {
    const out = {};
    const list = items(spec, ' ');
    for (let i = 0; i < list.length; i++) {
      const colon = list[i].indexOf(':');
      const names = list[i].slice(colon + 1);
      out[list[i].slice(0, colon)] = freeze(names === '' ? [] : names.split(','));
    }
    return freeze(out);
  }
  function modules(tables) {
    const out = {};
    for (let i = 0; i < MODULES.length; i += 4) {
      out[MODULES[i]] = freeze({
        value: tables.enums.Modules[MODULES[i]],
        globals: pairs(MODULES[i + 1]),
        classes: pairs(MODULES[i + 2]),
        enums: freeze(items(MODULES[i + 3], ' ')),
      });
    }
    return freeze(out);
  }

  // Method names (sorted, inherited ones included) of the classes and namespace the emulation
  // implements, so it can tell which of them it leaves out. Records of name, methods.
  const METHODS = DATA.METHODS;
  function methods() {
    const out = {};
    for (let i = 0; i < METHODS.length; i += 2) out[METHODS[i]] = freeze(items(METHODS[i + 1], ' '));
    return freeze(out);
  }

  // Field names of each event's typings interface, by event name ('Call.Connected'). Records
  // of the enum, the fields all its events share, then 'Member:own,fields' (or 'Member').
  const EVENTS = DATA.EVENTS;
  function events(tables) {
    const out = {};
    for (let r = 0; r < EVENTS.length; r += 3) {
      const e = tables.enums[EVENTS[r]];
      const shared = EVENTS[r + 1];
      const list = items(EVENTS[r + 2], ' ');
      for (let i = 0; i < list.length; i++) {
        const colon = list[i].indexOf(':');
        const own = colon < 0 ? '' : list[i].slice(colon + 1);
        const all = own === '' ? shared : shared + ',' + own;
        out[e[colon < 0 ? list[i] : list[i].slice(0, colon)]] = freeze(all === '' ? [] : all.split(','));
      }
    }
    return freeze(out);
  }

  const build = {
    enums: () => enumTable(ENUMS),
    nsEnums: () => enumTable(NS_ENUMS),
    ASRProfileList: () => pathTable('ASRProfileList', ASR_PROFILES),
    ASRModelList: () => pathTable('ASRModelList', ASR_MODELS),
    VoiceList: voiceList,
    Language: language,
    modules: () => modules(tables),
    methods,
    events: () => events(tables),
  };
  const tables = lazy(['enums', 'nsEnums', 'ASRProfileList', 'ASRModelList', 'VoiceList', 'Language', 'modules', 'methods', 'events'], (name) => build[name]());
  vox.tables = tables;
  vox.voiceName = voiceName;
  // The typings give this as the default of CallSayParameters.voice. A getter, so that reading
  // it builds only the Amazon voices.
  defineProperty(vox, 'defaultVoice', { get: () => tables.VoiceList.Amazon.en_US_Joanna, enumerable: true });
})
