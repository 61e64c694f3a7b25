// An IVR: greet the caller, offer a menu, and act on the digit pressed.
//   1: sales. Dial the sales line and bridge the caller to it.
//   2: support. It is closed: say so and hang up.
//   no digit within 8 seconds: repeat the menu once, then say goodbye.
// A control request `GET /status` answers how many callers chose each option.
const SALES = '+18005550199';
const MENU = 'Welcome to Acme. Press 1 for sales or 2 for support.';
const chosen = { sales: 0, support: 0 };

VoxEngine.addEventListener(AppEvents.CallAlerting, (e) => {
  const caller = e.call;
  let repeats = 0;
  /** @type {number | undefined} */
  let timer;

  function offerMenu() {
    caller.say(MENU);
    timer = setTimeout(() => {
      if (repeats++ < 1) offerMenu();
      else goodbye('We did not get your choice. Goodbye.');
    }, 8000);
  }

  /** @param {string} text */
  function goodbye(text) {
    clearTimeout(timer);
    caller.say(text);
    caller.addEventListener(CallEvents.PlaybackFinished, () => caller.hangup());
  }

  caller.addEventListener(CallEvents.Connected, () => {
    caller.handleTones(true);
    offerMenu();
  });

  caller.addEventListener(CallEvents.ToneReceived, (t) => {
    clearTimeout(timer);
    caller.handleTones(false);
    if (t.tone === '1') {
      chosen.sales++;
      caller.say('Connecting you to sales.');
      const sales = VoxEngine.callPSTN(SALES, e.destination);
      sales.addEventListener(CallEvents.Connected, () => VoxEngine.sendMediaBetween(caller, sales));
      sales.addEventListener(CallEvents.Failed, () => goodbye('Sales is busy. Please call again later.'));
      sales.addEventListener(CallEvents.Disconnected, () => caller.hangup());
    } else if (t.tone === '2') {
      chosen.support++;
      goodbye('Support is closed today. Goodbye.');
    } else {
      caller.handleTones(true);
      offerMenu();
    }
  });

  caller.addEventListener(CallEvents.Disconnected, () => VoxEngine.terminate());
  caller.answer();
});

VoxEngine.addEventListener(AppEvents.HttpRequest, (e) => {
  if (e.path.endsWith('/status')) return JSON.stringify(chosen);
  return JSON.stringify({ error: 'unknown path ' + e.path });
});
