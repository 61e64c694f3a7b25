// The globals of the prelude files loaded on first use behave like plain globals: read
// before and after loading from the same code, assigned before first use, captured,
// redeclared by a later scenario, deleted.
const names = ['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'queueMicrotask', 'Net',
  'base64_encode', 'base64_decode', 'str2bytes', 'bytes2str', 'bytes2hex', 'hex2bytes',
  'levenshtein_distance', 'getLocalTime', 'Modules', 'require'];
Logger.write('enumerable: ' + names.filter((n) => Object.keys(globalThis).includes(n)).join(','));
Logger.write('in globalThis: ' + names.filter((n) => n in globalThis).length);

// The same read sites, before and after the files load (inline caches).
function kinds() {
  return [typeof setTimeout, typeof setInterval, typeof clearTimeout, typeof clearInterval,
    typeof queueMicrotask, typeof Net, typeof base64_encode, typeof base64_decode,
    typeof str2bytes, typeof bytes2str, typeof bytes2hex, typeof hex2bytes,
    typeof levenshtein_distance, typeof getLocalTime, typeof Modules, typeof require].join(' ');
}
function viaGlobalThis() {
  return names.map((n) => typeof globalThis[n]).join(' ');
}
function probeNet() {
  return typeof Net + ' ' + typeof Net.httpRequestAsync + ' ' + Object.isFrozen(Net);
}
for (let i = 0; i < 3; i++) Logger.write('kinds #' + i + ': ' + kinds());
for (let i = 0; i < 3; i++) Logger.write('globalThis #' + i + ': ' + viaGlobalThis());
for (let i = 0; i < 3; i++) Logger.write('probeNet #' + i + ': ' + probeNet());

// Assigned before anything else of its file was used; the file's other globals still work.
bytes2hex = (b) => 'mine:' + b.length;
Logger.write('assigned: ' + bytes2hex([1, 2]) + ' ' + hex2bytes('0aff') + ' ' + globalThis.bytes2hex([1]));
globalThis.levenshtein_distance = 7;
Logger.write('assigned via globalThis: ' + levenshtein_distance);

const capturedNet = Net;
const capturedSetTimeout = setTimeout;
Logger.write('captured: ' + (capturedNet === Net) + ' ' + (capturedSetTimeout === setTimeout));

delete globalThis.require;
Logger.write('deleted require: ' + typeof require + ' ' + ('require' in globalThis));
try { require('x'); } catch (e) { Logger.write('calling it: ' + e.name); }

// A read site that first runs inside a handler, later than the load.
function later() {
  return typeof clearInterval + ' ' + typeof queueMicrotask;
}
VoxEngine.addEventListener(AppEvents.HttpRequest, (e) => {
  const r = [later(), later(), kinds(), probeNet()];
  capturedSetTimeout(() => Logger.write('captured setTimeout fired'), 10);
  return r.join(' | ');
});
