// Runs after greeting.voxengine.js in the same session.
answeredBy.push('menu v1');
VoxEngine.addEventListener(AppEvents.HttpRequest, () => answeredBy.join(', '));
