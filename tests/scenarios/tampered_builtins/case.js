// A scenario that replaces the builtins the runtime's own answers use only changes its own
// code: replies are still serialized, awaited and reported as without the tampering.
JSON.stringify = () => ({});
Promise.prototype.then = function () { return this; };
Promise.resolve = () => ({ then() {} });
VoxEngine.addEventListener(AppEvents.HttpRequest, async (e) => {
  if (e.content === 'json') return { a: 1 };
  if (e.content === 'num') return 7;
  if (e.content === 'throw') throw new TypeError('bad');
  if (e.content === 'sym') throw Symbol('s');
  if (e.content === 'micro') {
    await new Promise((resolve) => queueMicrotask(resolve));
    return 'after a microtask';
  }
  return 'later';
});
String = () => 'tampered';
