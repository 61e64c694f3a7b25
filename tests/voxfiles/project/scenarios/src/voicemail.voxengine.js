VoxEngine.addEventListener(AppEvents.HttpRequest, () => 'voicemail v1');
