// A URL player of 4 s paused for 10 s after 1 s finishes at 14 s; one created onPause
// starts when resumed at 20 s and finishes 2 s later.
const t0 = Date.now();
const at = () => (Date.now() - t0) / 1000;
const p = VoxEngine.createURLPlayer('http://example.com/a.mp3#duration=4');
p.addEventListener(PlayerEvents.PlaybackFinished, () => Logger.write('paused one finished at ' + at()));
setTimeout(() => p.pause(), 1000);
setTimeout(() => p.resume(), 11000);
const q = VoxEngine.createURLPlayer('http://example.com/b.mp3#duration=2', { onPause: true });
q.addEventListener(PlayerEvents.PlaybackFinished, () => Logger.write('onPause one finished at ' + at()));
setTimeout(() => q.resume(), 20000);
