VoxEngine.addEventListener(AppEvents.HttpRequest, () => 'invoice v1');
