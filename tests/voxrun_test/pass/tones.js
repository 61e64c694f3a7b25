// Tone-script players: one of two cadence sections (10 s and 2.5 s), one that plays until
// stopped (`*`). Each logs when it finishes, in seconds since the start.
const t0 = Date.now();
const finite = VoxEngine.createToneScriptPlayer('350@-19,440@-19;10(*/0/1+2);2.5(.5/.5/1)');
finite.addEventListener(PlayerEvents.PlaybackFinished, () => Logger.write('finite finished at ' + (Date.now() - t0) / 1000));
const endless = VoxEngine.createToneScriptPlayer('440@-19,480@-19;*(2/4/1+2)');
endless.addEventListener(PlayerEvents.PlaybackFinished, () => Logger.write('endless finished at ' + (Date.now() - t0) / 1000));
