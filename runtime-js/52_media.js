// 52_media.js (loaded on first use): players, recorders, ASR and conferences (docs/telephony.md#the-voxengine-surface),
// the easyProcess family of helpers, and the delivery of their events.
(function (ops, vox) {
  'use strict';
  const NOT_EMULATED = [
    'allowWebSocketConnections',
    'callWhatsappUser',
    'createStreamingAgent',
    'createWebSocket',
    'disableStatisticsForIncomingWebsockets',
    'disableTraceForIncomingWebsockets',
    'enableStatisticsForIncomingWebsockets',
    'enableTraceForIncomingWebsockets',
    'enqueueACDRequest',
    'enqueueTask',
  ];
  vox.load('50_calls.js');
  const {
    op_player_create,
    op_player_stop,
    op_player_pause,
    op_player_resume,
    op_recorder_create,
    op_recorder_stop,
    op_asr_create,
    op_asr_stop,
    op_conference_create,
    op_conference_add,
    op_conference_stop,
    op_media_send,
  } = ops;
  const T = vox.tables;
  const ids = vox.mediaIds;
  const objects = new vox.Map();

  function str(v) {
    return v === undefined || v === null ? '' : String(v);
  }

  // What every media object has: an id, listeners, and media routing.
  class MediaObject {
    constructor(id, kind) {
      ids.set(this, id);
      this._kind = kind;
      this._listeners = new vox.Listeners();
      objects.set(id, this);
    }
    id() {
      return ids.get(this);
    }
    addEventListener(event, handler) {
      this._listeners.add(event, handler);
    }
    removeEventListener(event, handler) {
      this._listeners.remove(event, handler);
    }
    sendMediaTo(target) {
      op_media_send(this.id(), vox.mediaId(target, this._kind + '.sendMediaTo'), true);
    }
    stopMediaTo(target) {
      op_media_send(this.id(), vox.mediaId(target, this._kind + '.stopMediaTo'), false);
    }
  }

  // Methods of the typings' class `kind` that voxrun does not emulate throw, naming
  // themselves.
  function stubRest(cls, kind) {
    for (const name of T.methods[kind] || []) {
      if (!(name in cls.prototype)) {
        Object.defineProperty(cls.prototype, name, {
          value: function () {
            vox.notEmulated(kind + '.' + name);
          },
          writable: true,
          configurable: true,
        });
      }
    }
  }

  class Player extends MediaObject {
    stop() {
      op_player_stop(this.id());
    }
    pause() {
      op_player_pause(this.id());
    }
    resume() {
      op_player_resume(this.id());
    }
  }
  stubRest(Player, 'Player');

  class Recorder extends MediaObject {
    constructor(id, url) {
      super(id, 'Recorder');
      this.url = url;
    }
    stop() {
      op_recorder_stop(this.id());
    }
  }
  stubRest(Recorder, 'Recorder');

  class ASR extends MediaObject {
    stop() {
      op_asr_stop(this.id());
    }
  }
  stubRest(ASR, 'ASR');

  class Endpoint {
    constructor(id, call) {
      this._id = id;
      this._call = call;
    }
    id() {
      return this._id;
    }
    getCall() {
      return this._call;
    }
  }

  class Conference extends MediaObject {
    constructor(id) {
      super(id, 'Conference');
      this._endpoints = new vox.Map();
    }
    add(params) {
      const call = params && typeof params === 'object' ? params.call : undefined;
      const callId = vox.mediaId(call, 'Conference.add');
      const epId = op_conference_add(this.id(), callId);
      const ep = new Endpoint(epId, call);
      this._endpoints.set(epId, ep);
      return ep;
    }
    get(id) {
      return this._endpoints.get(String(id));
    }
    getList() {
      return Array.from(this._endpoints.values());
    }
    stop() {
      op_conference_stop(this.id());
    }
  }
  stubRest(Conference, 'Conference');

  const enumOf = { player: 'PlayerEvents', recorder: 'RecorderEvents', asr: 'ASREvents', conference: 'ConferenceEvents' };
  const fieldOf = { player: 'player', recorder: 'recorder', asr: 'asr', conference: 'conference' };

  // Delivers a notice for a media object (src/telephony/emulator.rs Notice::Object).
  vox.objectNotice = function (n) {
    const obj = objects.get(n.object);
    if (!obj) return;
    const kind = n.object.slice(0, n.object.indexOf('-'));
    const names = T.enums[enumOf[kind]] || {};
    const ev = Object.assign({ name: names[n.event] || n.event }, n.fields);
    ev[fieldOf[kind]] = obj;
    if (kind === 'conference' && typeof ev.call === 'string') {
      ev.call = vox.callById(ev.call);
      ev.endpoint = obj.get(ev.endpoint) || ev.endpoint;
    }
    obj._listeners.dispatch(ev, '');
  };

  function loopOf(params) {
    return !!(params && typeof params === 'object' && params.loop);
  }
  function onPauseOf(params) {
    return !!(params && typeof params === 'object' && params.onPause);
  }

  const media = {
    createTTSPlayer(text, params) {
      return new Player(op_player_create('tts', str(text), vox.voiceOf(params), loopOf(params), onPauseOf(params)), 'Player');
    },
    createURLPlayer(request, params) {
      const url = request && typeof request === 'object' ? request.url : request;
      return new Player(op_player_create('url', str(url), '', loopOf(params), onPauseOf(params)), 'Player');
    },
    // `params`: ToneScriptPlayerParameters, or the older boolean `loop`.
    createToneScriptPlayer(script, params) {
      const looped = params === true || loopOf(params);
      return new Player(op_player_create('tones', str(script), '', looped, onPauseOf(params)), 'Player');
    },
    createSequencePlayer(params) {
      const segments = params && typeof params === 'object' && Array.isArray(params.segments) ? params.segments : [];
      const text = segments.map((s) => str(s && (s.text || s.url))).join(' ');
      return new Player(op_player_create('tts', text, vox.voiceOf(params), false), 'Player');
    },
    createRecorder() {
      const [id, url] = op_recorder_create();
      return new Recorder(id, url);
    },
    createASR() {
      return new ASR(op_asr_create(), 'ASR');
    },
    createConference() {
      return new Conference(op_conference_create());
    },
    destroyConference(conf) {
      if (!(conf instanceof Conference)) return;
      try {
        conf.stop();
      } catch (_) {
        // Already stopped: there is nothing left to destroy.
      }
    },
    // Bridges an inbound call to a new outbound one, as the platform's helper does: the
    // caller hears the ringing, both are connected on answer, and each side's end ends the
    // other and the session.
    easyProcess(call1, call2, onEstablished, direct) {
      call2.addEventListener(T.enums.CallEvents.Ringing, () => call1.ring());
      call2.addEventListener(T.enums.CallEvents.Connected, () => {
        if (direct) call1.answerDirect();
        else call1.answer();
        vox.members.sendMediaBetween(call1, call2);
        if (typeof onEstablished === 'function') onEstablished(call1, call2);
      });
      call2.addEventListener(T.enums.CallEvents.Failed, (e) => {
        call1.reject(e.code);
        vox.VoxEngine.terminate();
      });
      call2.addEventListener(T.enums.CallEvents.Disconnected, () => {
        call1.hangup();
        vox.VoxEngine.terminate();
      });
      call1.addEventListener(T.enums.CallEvents.Disconnected, () => {
        call2.hangup();
        vox.VoxEngine.terminate();
      });
    },
    forwardCallToPSTN(numberTransform, onEstablished, options) {
      vox.VoxEngine.addEventListener(vox.AppEvents.CallAlerting, (e) => {
        const to = typeof numberTransform === 'function' ? numberTransform(e.destination) : e.destination;
        const callerid = options && options.callerid ? options.callerid : e.callerid;
        media.easyProcess(e.call, vox.members.callPSTN(to, callerid), onEstablished);
      });
    },
    forwardCallToUser(onEstablished) {
      vox.VoxEngine.addEventListener(vox.AppEvents.CallAlerting, (e) => {
        const out = vox.members.callUser({ username: e.destination, callerid: e.callerid, displayName: e.displayName });
        media.easyProcess(e.call, out, onEstablished);
      });
    },
    forwardCallToUserDirect(onEstablished) {
      vox.VoxEngine.addEventListener(vox.AppEvents.CallAlerting, (e) => {
        const out = vox.members.callUserDirect(e.call, e.destination, { callerid: e.callerid });
        media.easyProcess(e.call, out, onEstablished, true);
      });
    },
    forwardCallToSIP(onEstablished) {
      vox.VoxEngine.addEventListener(vox.AppEvents.CallAlerting, (e) => {
        const out = vox.members.callSIP(e.toURI, { callerid: e.callerid });
        media.easyProcess(e.call, out, onEstablished);
      });
    },
    playSoundAndHangup(url) {
      vox.VoxEngine.addEventListener(vox.AppEvents.CallAlerting, (e) => {
        const call = e.call;
        call.addEventListener(T.enums.CallEvents.Connected, () => call.startPlayback(url));
        call.addEventListener(T.enums.CallEvents.PlaybackFinished, () => call.hangup());
        call.addEventListener(T.enums.CallEvents.Disconnected, () => vox.VoxEngine.terminate());
        call.addEventListener(T.enums.CallEvents.Failed, () => vox.VoxEngine.terminate());
        call.answer();
      });
    },
  };
  // The typings' VoxEngine functions that nothing emulates (src/runtime/lazy.rs lists them
  // with this file) throw, naming themselves.
  for (const name of NOT_EMULATED) {
    media[name] = function () {
      vox.notEmulated('VoxEngine.' + name);
    };
  }
  Object.assign(vox.members, media);
  vox.classes = { Player, Recorder, ASR, Conference, Endpoint };
})
