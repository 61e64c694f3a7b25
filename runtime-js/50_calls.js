// 50_calls.js (loaded on first use): emulated calls (docs/telephony.md): the Call class, the
// VoxEngine call functions, and the delivery of call events (vox.callNotice, from the
// dispatcher). The emulator (src/telephony) keeps the state; ops act on it by call id.
(function (ops, vox) {
  'use strict';
  vox.load('55_tables.js');
  const {
    op_call_dial,
    op_call_info,
    op_call_answer,
    op_call_reject,
    op_call_ring,
    op_call_hangup,
    op_call_say,
    op_call_play,
    op_call_progress_tone,
    op_call_stop_playback,
    op_call_record,
    op_call_handle_tones,
    op_call_send_digits,
    op_call_send_message,
    op_call_send_info,
    op_call_not_emulated,
    op_media_send,
  } = ops;
  const T = vox.tables;
  const CallEvents = T.enums.CallEvents;
  const byId = new vox.Map();
  // The emulator's id of a call or media object (players, ASR, ...): sendMediaTo targets.
  const ids = new WeakMap();
  vox.mediaIds = ids;

  function str(v) {
    return v === undefined || v === null ? '' : String(v);
  }

  function headersOf(h) {
    const out = {};
    if (h && typeof h === 'object') {
      for (const k of Object.keys(h)) out[k] = str(h[k]);
    }
    return out;
  }

  // Throws, after logging and recording it, for an API voxrun does not emulate.
  vox.notEmulated = function (api) {
    op_call_not_emulated(api);
    throw new Error(api + ' is not emulated by voxrun');
  };

  // A listener list per object: addEventListener/removeEventListener/dispatch.
  vox.Listeners = class Listeners {
    constructor() {
      this.map = new vox.Map();
    }
    add(event, handler) {
      if (typeof handler !== 'function') throw new TypeError('addEventListener: the handler must be a function');
      const key = String(event);
      let list = this.map.get(key);
      if (!list) {
        list = [];
        this.map.set(key, list);
      }
      list.push(handler);
    }
    remove(event, handler) {
      const key = String(event);
      if (handler === undefined) {
        this.map.delete(key);
        return;
      }
      const list = this.map.get(key);
      if (!list) return;
      const i = list.indexOf(handler);
      if (i >= 0) list.splice(i, 1);
    }
    dispatch(ev, where) {
      const list = this.map.get(ev.name);
      if (!list) return;
      for (const handler of list.slice()) {
        try {
          handler(ev);
        } catch (e) {
          vox.uncaught(ev.name + ' handler' + where, e);
        }
      }
    }
  };

  // The voice name `say` records: a voice value, {voice}, {language} (older scripts pass
  // a Language value as the second argument itself), else the default voice.
  vox.voiceOf = function (params) {
    const direct = vox.voiceName(params);
    if (direct) return direct;
    if (params && typeof params === 'object') {
      for (const key of ['voice', 'language']) {
        const v = params[key];
        if (v !== undefined && v !== null) return vox.voiceName(v) || String(v);
      }
    }
    return vox.voiceName(vox.defaultVoice);
  };

  class Call {
    constructor(id) {
      ids.set(this, id);
      this._listeners = new vox.Listeners();
      this._customData = undefined;
      byId.set(id, this);
    }
    _info() {
      return op_call_info(ids.get(this));
    }
    id() {
      return ids.get(this);
    }
    state() {
      return this._info().state;
    }
    number() {
      return this._info().number;
    }
    callerid() {
      return this._info().callerid;
    }
    displayName() {
      return this._info().display_name;
    }
    incoming() {
      return this._info().incoming;
    }
    headers() {
      return this._info().headers;
    }
    customData(value) {
      if (value !== undefined) this._customData = String(value);
      if (this._customData !== undefined) return this._customData;
      const c = this._info().custom_data;
      return c === null || c === undefined ? '' : c;
    }
    vad() {
      return false;
    }
    clientType() {
      return this._info().incoming ? 'pstn' : 'pstn';
    }
    toString() {
      return 'Call ' + this.id() + ' (' + this.state() + ')';
    }
    answer() {
      op_call_answer(this.id());
    }
    answerDirect() {
      op_call_answer(this.id());
    }
    reject(code) {
      op_call_reject(this.id(), code === undefined ? 486 : Number(code));
    }
    decline(code) {
      op_call_reject(this.id(), code === undefined ? 603 : Number(code));
    }
    ring() {
      op_call_ring(this.id(), false);
    }
    startEarlyMedia() {
      op_call_ring(this.id(), true);
    }
    hangup() {
      op_call_hangup(this.id());
    }
    say(text, params) {
      op_call_say(this.id(), str(text), vox.voiceOf(params));
    }
    startPlayback(url, params) {
      const looped = !!(params && typeof params === 'object' && params.loop);
      op_call_play(this.id(), str(url), looped);
    }
    stopPlayback() {
      op_call_stop_playback(this.id());
    }
    playProgressTone(country) {
      op_call_progress_tone(this.id(), str(country));
    }
    record() {
      op_call_record(this.id());
    }
    handleTones(on) {
      op_call_handle_tones(this.id(), !!on);
    }
    sendDigits(digits) {
      op_call_send_digits(this.id(), str(digits));
    }
    sendMessage(text) {
      op_call_send_message(this.id(), str(text));
    }
    sendInfo(mime, body) {
      op_call_send_info(this.id(), str(mime), str(body));
    }
    sendMediaTo(target) {
      op_media_send(this.id(), vox.mediaId(target, 'Call.sendMediaTo'), true);
    }
    stopMediaTo(target) {
      op_media_send(this.id(), vox.mediaId(target, 'Call.stopMediaTo'), false);
    }
    addEventListener(event, handler) {
      this._listeners.add(event, handler);
    }
    removeEventListener(event, handler) {
      this._listeners.remove(event, handler);
    }
  }
  for (const name of T.methods.Call) {
    if (!(name in Call.prototype)) {
      Object.defineProperty(Call.prototype, name, {
        value: function () {
          vox.notEmulated('Call.' + name);
        },
        writable: true,
        configurable: true,
      });
    }
  }
  vox.define('Call', Call);

  vox.mediaId = function (target, api) {
    const id = target && typeof target === 'object' ? ids.get(target) : undefined;
    if (id === undefined) throw new TypeError(api + ': the target must be a call, player, recorder, ASR or conference');
    return id;
  };

  vox.callById = function (id) {
    return byId.get(id) || new Call(id);
  };

  function alerting(info) {
    const call = vox.callById(info.id);
    const ev = {
      name: 'Application.CallAlerting',
      call,
      callerid: info.callerid,
      destination: info.number,
      displayName: info.display_name,
      headers: info.headers,
      toURI: 'sip:' + info.number + '@voxrun.invalid',
      fromURI: 'sip:' + info.callerid + '@voxrun.invalid',
      scheme: 'pstn',
    };
    if (info.custom_data !== null && info.custom_data !== undefined) ev.customData = info.custom_data;
    vox.dispatch(ev);
  }

  // Delivers one notice of the emulator (src/telephony/emulator.rs Notice).
  vox.callNotice = function (n) {
    if (n.kind === 'alerting') return alerting(n.call);
    if (n.kind === 'call') {
      const call = vox.callById(n.call);
      const ev = Object.assign({ name: CallEvents[n.event], call, id: n.call }, n.fields);
      call._listeners.dispatch(ev, '');
      return;
    }
    vox.load('52_media.js');
    vox.objectNotice(n);
  };

  function dial(api, number, callerid, params) {
    const p = params && typeof params === 'object' ? params : {};
    const headers = headersOf(p.extraHeaders || p.headers);
    const id = op_call_dial(api, str(number), str(callerid), str(p.displayName), headers);
    return new Call(id);
  }

  // The VoxEngine call functions (installed on VoxEngine by 10_events.js on first use).
  const calls = {
    callPSTN(number, callerid, params) {
      return dial('VoxEngine.callPSTN', number, callerid, params);
    },
    callUser(params, callerid, video, extraHeaders) {
      if (params && typeof params === 'object') {
        return dial('VoxEngine.callUser', params.username, params.callerid, params);
      }
      return dial('VoxEngine.callUser', params, callerid, { extraHeaders });
    },
    callUserDirect(call, username, params) {
      const p = params && typeof params === 'object' ? params : {};
      return dial('VoxEngine.callUserDirect', username, p.callerid || (call ? call.callerid() : ''), p);
    },
    callSIP(uri, params, displayName, password, authUser, extraHeaders) {
      if (params && typeof params === 'object') {
        return dial('VoxEngine.callSIP', uri, params.callerid, params);
      }
      return dial('VoxEngine.callSIP', uri, params, { displayName, extraHeaders });
    },
    callConference(conferenceId, callerid, displayName, extraHeaders) {
      return dial('VoxEngine.callConference', conferenceId, callerid, { displayName, extraHeaders });
    },
    sendMediaBetween(a, b) {
      const ia = vox.mediaId(a, 'VoxEngine.sendMediaBetween');
      const ib = vox.mediaId(b, 'VoxEngine.sendMediaBetween');
      op_media_send(ia, ib, true);
      op_media_send(ib, ia, true);
    },
    stopMediaBetween(a, b) {
      const ia = vox.mediaId(a, 'VoxEngine.stopMediaBetween');
      const ib = vox.mediaId(b, 'VoxEngine.stopMediaBetween');
      op_media_send(ia, ib, false);
      op_media_send(ib, ia, false);
    },
  };
  Object.assign(vox.members, calls);
})
