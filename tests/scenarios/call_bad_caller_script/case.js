VoxEngine.addEventListener(AppEvents.CallAlerting, (e) => e.call.answer());
