// Third scenario: sees the `let` of case2.js; returns undefined, so case2.js's answer stands.
Logger.write('case3.js loaded; onlyHere = ' + onlyHere);
VoxEngine.addEventListener(AppEvents.HttpRequest, () => { Logger.write('case3 listener returns undefined'); });
