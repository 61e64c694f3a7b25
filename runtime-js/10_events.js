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

  const listeners = new Map();

  // A copy of the listeners of `name`, in registration order.
  vox.listeners = function (name) {
    const list = listeners.get(name);
    return list ? list.slice() : [];
  };

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
      let list = listeners.get(key);
      if (!list) {
        list = [];
        listeners.set(key, list);
      }
      list.push(handler);
    },
    removeEventListener(event, handler) {
      const key = String(event);
      if (handler === undefined) {
        listeners.delete(key);
        return;
      }
      const list = listeners.get(key);
      if (!list) return;
      const i = list.indexOf(handler);
      if (i >= 0) list.splice(i, 1);
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
