Logger.write('first scenario loads');
VoxEngine.addEventListener(AppEvents.Terminating, (e) => Logger.write('terminating ' + JSON.stringify(e)));
