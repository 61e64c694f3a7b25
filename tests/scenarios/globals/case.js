const out = (k, v) => Logger.write(k + ' = ' + (typeof v === 'string' ? v : JSON.stringify(v)));
out('AppEvents', AppEvents);
out('typeof VoxEngine.terminate', typeof VoxEngine.terminate);
out('typeof Net.httpRequestAsync', typeof Net.httpRequestAsync);
out('host leaks', [typeof process, typeof fs, typeof Deno, typeof window, typeof op_log_write, typeof Temporal]);
out('Date.now', Date.now());
out('new Date', new Date().toISOString());
out('timezone offset', new Date().getTimezoneOffset());
out('base64_encode(string)', base64_encode('héllo'));
out('base64_encode(bytes)', base64_encode([0, 1, 254, 255]));
out('base64_decode', base64_decode('aMOpbGxv'));
out('bytes2str(utf-8)', bytes2str(base64_decode('aMOpbGxv')));
out('str2bytes(utf-8)', str2bytes('é€'));
out('str2bytes(latin1)', str2bytes('é', 'latin1'));
out('bytes2str(latin1)', bytes2str([233], 'latin1'));
out('bytes2hex', bytes2hex([0, 15, 16, 255]));
out('bytes2hex upper', bytes2hex([171, 205], true));
out('hex2bytes', hex2bytes('00ff10'));
out('levenshtein_distance', levenshtein_distance('kitten', 'sitting'));
out('getLocalTime(+03:00)', getLocalTime('+03:00').toISOString());
out('getLocalTime(-5)', getLocalTime(-5, new Date(0)).toISOString());
try { getLocalTime('Europe/Moscow'); } catch (e) { out('getLocalTime(region)', String(e)); }
try { hex2bytes('zz'); } catch (e) { out('hex2bytes(zz)', String(e)); }
out('Modules.ASR', Modules.ASR);
try { require(Modules.ASR); } catch (e) { out('require(Modules.ASR)', String(e)); }
try { require('fs'); } catch (e) { out('require(fs)', String(e)); }
try { VoxEngine.addEventListener(AppEvents.Started, 'nope'); } catch (e) { out('addEventListener(non-function)', String(e)); }
console.log('console.log', 1, { a: [1] }, null);
console.info('console.info');
console.warn('console.warn');
console.error('console.error', new Error('boom'));
Logger.write('x'.repeat(14990) + 'ABCDEFGHIJKLMNOP');
queueMicrotask(() => Logger.write('microtask ran'));
Logger.write('sync end');

function first() { Logger.write('first listener'); }
function second() { Logger.write('second listener'); }
VoxEngine.addEventListener(AppEvents.HttpRequest, first);
VoxEngine.addEventListener(AppEvents.HttpRequest, second);
VoxEngine.addEventListener(AppEvents.HttpRequest, (e) => {
  if (e.content === 'remove-first') VoxEngine.removeEventListener(AppEvents.HttpRequest, first);
  if (e.content === 'remove-all') VoxEngine.removeEventListener(AppEvents.HttpRequest);
  return 'handled ' + e.content;
});
