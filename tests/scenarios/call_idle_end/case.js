// Answered, and then nothing: no timer, no step, no media. Under the virtual clock the
// session ends at once as idle.
VoxEngine.addEventListener(AppEvents.CallAlerting, (e) => e.call.answer());
