// Answers and then does nothing but a slow timer: the caller never hears anything.
VoxEngine.addEventListener(AppEvents.CallAlerting, (e) => e.call.answer());
setInterval(() => {}, 600000);
