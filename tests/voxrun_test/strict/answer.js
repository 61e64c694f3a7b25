// Answers an inbound call and waits.
VoxEngine.addEventListener(AppEvents.CallAlerting, (e) => e.call.answer());
