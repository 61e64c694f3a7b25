const log = (s) => Logger.write(s + ' at ' + (Date.now() - start));
const start = Date.now();
VoxEngine.addEventListener(AppEvents.Started, () => {
  setTimeout((a, b) => log('timeout 500 args=' + a + ',' + b), 500, 'x', 'y');
  setTimeout(() => log('timeout 0'));
  const cancelled = setTimeout(() => log('never'), 300);
  clearTimeout(cancelled);
  let n = 0;
  const iv = setInterval(() => { n++; log('interval #' + n); if (n === 3) clearInterval(iv); }, 10);
  setTimeout(() => { log('timer throws'); throw new Error('from timer'); }, 700);
});
VoxEngine.addEventListener(AppEvents.HttpRequest, (e) => {
  if (e.content === 'many') {
    const ids = [];
    try { for (let i = 0; i < 101; i++) ids.push(setTimeout(() => {}, 100000)); }
    catch (err) { Logger.write('timer #' + (ids.length + 1) + ': ' + err); }
    ids.forEach((id) => clearTimeout(id));
    const again = setTimeout(() => log('after clearing, timers work again'), 50);
    return 'active before clearing: ' + ids.length;
  }
  return 'now ' + (Date.now() - start);
});
