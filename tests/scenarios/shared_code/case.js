// Sessions that run the same scenario files on one thread share their compiled code
// (src/runtime/code_cache.rs). Each must still have its own globals: let, const, var,
// class private fields, tagged-template objects, Annex B block functions.
let counter = 0;
const seen = [];
var total = 100;
class Box {
  #v;
  constructor(v) { this.#v = v; }
  get v() { return this.#v; }
}
function tag(strings, ...values) { return strings.raw.join('|') + ':' + values.join(','); }
{ function blockFn() { return 'block'; } }
Logger.write('loaded: counter=' + counter + ' total=' + total + ' blockFn=' + typeof blockFn);
