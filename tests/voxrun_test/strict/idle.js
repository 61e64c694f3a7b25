// Does nothing: the session ends when it has been idle too long.
VoxEngine.addEventListener(AppEvents.Started, () => Logger.write('up'));
