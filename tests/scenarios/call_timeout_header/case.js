// VI-CallTimeout (seconds) gives up on a call that is not answered in time: 408, as on the
// platform. A far end that never answers, one that answers too late, and "no_answer" with a
// timeout shorter than its 30 s.
const t0 = Date.now();
let left = 3;
function dial(number, timeout) {
  const call = VoxEngine.callPSTN(number, '+18005550100', { extraHeaders: { 'VI-CallTimeout': String(timeout) } });
  call.addEventListener(CallEvents.Connected, () => Logger.write(number + ' connected at ' + (Date.now() - t0)));
  call.addEventListener(CallEvents.Failed, (e) => {
    Logger.write(number + ' failed: ' + e.code + ' at ' + (Date.now() - t0) + ' ms');
    if (--left === 0) VoxEngine.terminate();
  });
}
VoxEngine.addEventListener(AppEvents.Started, () => {
  dial('+15550000001', 12);
  dial('+15550000002', 15);
  dial('+15550000003', 20);
});
