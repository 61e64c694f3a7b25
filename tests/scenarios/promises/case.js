const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
VoxEngine.addEventListener(AppEvents.HttpRequest, (e) => {
  switch (e.content) {
    case 'async': return (async () => { await sleep(200); return { waited: 200 }; })();
    case 'resolve': return Promise.resolve('resolved now');
    case 'reject': return Promise.reject(new RangeError('rejected'));
    case 'never': return new Promise(() => {});
    case 'order': {
      const seen = [];
      queueMicrotask(() => seen.push('microtask'));
      Promise.resolve().then(() => seen.push('then'));
      seen.push('sync');
      return Promise.resolve().then(() => Promise.resolve()).then(() => seen.join(','));
    }
  }
  return 'sync ' + e.content;
});
VoxEngine.addEventListener(AppEvents.HttpRequest, (e) => {
  if (e.content === 'second-throws') throw new Error('second listener failed');
  return undefined;
});
