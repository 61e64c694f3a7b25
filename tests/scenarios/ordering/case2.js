// Second scenario: same global scope, runs after case.js.
Logger.write('case2.js loaded; shared = ' + shared + '; ' + helper(2));
let onlyHere = 'let in case2';
VoxEngine.addEventListener(AppEvents.Started, () => Logger.write('Started listener from case2.js'));
VoxEngine.addEventListener(AppEvents.HttpRequest, () => 'from case2.js (last wins)');
