// The second file of the list: it uses the first file's global lexical bindings.
const label = tag`a${1}b`;
const site = () => tag`same${counter}site`;
const firstSite = site;
VoxEngine.addEventListener(AppEvents.HttpRequest, (e) => {
  if (e.content === 'bump') {
    counter++;
    total += 10;
    seen.push(counter);
    globalThis.mark = (globalThis.mark || 0) + 1;
  }
  const later = new Function('tag', 'return tag`later${3}`;')(tag);
  return {
    counter, total, seen, label, later,
    box: new Box(counter).v,
    mark: globalThis.mark || 0,
    block: blockFn(),
    site: site(),
    sameSite: firstSite === site,
  };
});
