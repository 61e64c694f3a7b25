// First scenario: defines a helper and a listener.
var shared = 'from case.js';
function helper(x) { return 'helper(' + x + ')'; }
Logger.write('case.js loaded');
VoxEngine.addEventListener(AppEvents.Started, () => Logger.write('Started listener from case.js'));
VoxEngine.addEventListener(AppEvents.HttpRequest, () => 'from case.js');
