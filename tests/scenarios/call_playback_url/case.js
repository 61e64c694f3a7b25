// URL playback: 3 s by default, #duration=S when given; a loop plays until stopped.
const t0 = Date.now();
VoxEngine.addEventListener(AppEvents.CallAlerting, (e) => {
  const call = e.call;
  let n = 0;
  call.addEventListener(CallEvents.Connected, () => call.startPlayback('https://example.com/hello.mp3'));
  call.addEventListener(CallEvents.PlaybackFinished, () => {
    n++;
    Logger.write('playback ' + n + ' finished at ' + (Date.now() - t0));
    if (n === 1) call.startPlayback('https://example.com/menu.mp3#duration=4.5');
    if (n === 2) {
      call.startPlayback('https://example.com/music.mp3', { loop: true });
      setTimeout(() => call.stopPlayback(), 8000);
    }
  });
  call.addEventListener(CallEvents.Disconnected, () => VoxEngine.terminate());
  call.answer();
});
