// A scenario that replaces builtins before it first uses the prelude's timers, Net,
// utilities, console or HTTP replies: they work as if it had not.
Map = function () { throw new Error('user Map'); };
Set = function () { throw new Error('user Set'); };
Map.prototype.get = function () { throw new Error('user Map.prototype.get'); };
Object.freeze = (o) => { Logger.write('user Object.freeze called'); return o; };
Array.prototype[Symbol.iterator] = function () { throw new Error('user array iterator'); };
Logger.write('Net: ' + typeof Net.httpRequest + ' frozen=' + Object.isFrozen(Net));
Logger.write('Modules: ' + Modules.IVR + ' frozen=' + Object.isFrozen(Modules));
const id = setTimeout((x) => Logger.write('timer ' + x), 10, 'ran');
console.log('console', { a: 1 }, new TypeError('shown'));
VoxEngine.addEventListener(AppEvents.HttpRequest, (e) => ({ id, path: e.path }));
VoxEngine.addEventListener(AppEvents.Terminating, () => { throw new RangeError('at the end'); });
