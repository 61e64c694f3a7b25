// A later scenario redeclares some of those globals: a function declaration and `var`.
function clearInterval() { return 'my clearInterval'; }
var queueMicrotask;
var Modules;
Logger.write('redeclared: ' + clearInterval() + ' ' + typeof queueMicrotask + ' ' + later() + ' ' + later());
Logger.write('Modules: ' + typeof Modules + ' ' + Modules.ASR);
queueMicrotask(() => Logger.write('microtask'));
