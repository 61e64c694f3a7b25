VoxEngine.addEventListener(AppEvents.Started, async () => {
  await null;
  throw new Error('boom after await in Started');
});
VoxEngine.addEventListener(AppEvents.HttpRequest, (e) => {
  if (e.content === 'reject') {
    Promise.reject(new TypeError('nobody catches this'));
    return 'rejected';
  }
  if (e.content === 'then') {
    Promise.resolve(1).then(() => {
      throw new RangeError('thrown in a then callback');
    });
    return 'then';
  }
  if (e.content === 'value') {
    Promise.reject('a plain string');
    return 'value';
  }
  if (e.content === 'handled') {
    const p = Promise.reject(new Error('handled in the same turn'));
    Promise.resolve().then(() => p.catch((err) => Logger.write('caught: ' + err.message)));
    return 'handled';
  }
  return 'alive';
});
