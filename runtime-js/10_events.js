// 10_events.js: AppEvents, VoxEngine and the listener lists.
(function (ops, vox) {
  'use strict';
  const { op_session_custom_data, op_session_terminate } = ops;

  const AppEvents = Object.freeze({
    Started: 'Application.Started',
    HttpRequest: 'Application.HttpRequest',
    Terminating: 'Application.Terminating',
    Terminated: 'Application.Terminated',
    CallAlerting: 'Application.CallAlerting',
  });

  // Event name → its listeners in registration order. A list is replaced, never changed,
  // so a dispatch runs the listeners there were when its event came without copying them
  // (a handler that adds or removes one changes the next event's list).
  const listeners = new Map();
  const NONE = Object.freeze([]);

  vox.listeners = function (name) {
    return listeners.get(name) || NONE;
  };
  // For 91_http.js, which reads its list without a call per request.
  vox.listenerLists = listeners;
  vox.noListeners = NONE;

  const VoxEngine = {
    customData(value) {
      if (arguments.length === 0 || value === undefined) return op_session_custom_data();
      op_session_custom_data(String(value));
    },
    addEventListener(event, handler) {
      if (typeof handler !== 'function') {
        throw new TypeError('VoxEngine.addEventListener: the handler must be a function');
      }
      const key = String(event);
      const old = listeners.get(key) || NONE;
      const list = [];
      for (let i = 0; i < old.length; i++) list[i] = old[i];
      list[old.length] = handler;
      listeners.set(key, list);
    },
    removeEventListener(event, handler) {
      const key = String(event);
      if (handler === undefined) {
        listeners.delete(key);
        return;
      }
      const old = listeners.get(key);
      if (!old) return;
      const list = [];
      let removed = false;
      for (let i = 0; i < old.length; i++) {
        if (!removed && old[i] === handler) removed = true;
        else list[list.length] = old[i];
      }
      listeners.set(key, list);
    },
    terminate() {
      op_session_terminate();
    },
  };

  // The call surface (docs/telephony.md#the-voxengine-surface) is added as lazy members (src/runtime/lazy.rs).
  vox.AppEvents = AppEvents;
  vox.VoxEngine = VoxEngine;
  vox.define('AppEvents', AppEvents);
  vox.define('VoxEngine', VoxEngine);
})
