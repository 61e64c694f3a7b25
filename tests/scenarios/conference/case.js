VoxEngine.addEventListener(AppEvents.Started, (e) => Logger.write('conference_name = ' + e.conference_name));
