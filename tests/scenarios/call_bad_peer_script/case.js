VoxEngine.addEventListener(AppEvents.Started, () => VoxEngine.callPSTN('+15550000004', '+1'));
