// Exceptions thrown in callees and caught by their callers, many times in one callback:
// each caught exception must give back the callee's stack (a leak once hit the stack size
// limit after about 15,000), and the caller's own values must be intact after the catch.
function inner(i) { const local = i * 2; if (local >= 0) throw new RangeError('at ' + local); return local; }
function middle(i) { const a = [i]; return inner(a[0]) + 1; }
function outer(i) { try { return middle(i); } finally { finallies++; } }
let finallies = 0;
VoxEngine.addEventListener(AppEvents.HttpRequest, (e) => {
  const before = 'kept';
  let caught = 0;
  let last = '';
  for (let i = 0; i < 50000; i++) {
    try { outer(i); } catch (err) { caught++; last = err.message; }
  }
  return [before, caught, finallies, last].join(' ');
});
