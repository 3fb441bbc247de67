import { Governor, keyOf } from './src/backends/wasm/threads/adapt.ts';
const [warmN, warmX, kinds] = process.argv.slice(2).map(Number);
const bad: number[] = [];
for (let start = 0; start < 300; start += 3) {
  const g = new Governor(2, 0);
  const seen = new Array(kinds).fill(0);
  let t = start, i = 0;
  while (t < start + 1000) {
    const kind = i++ % kinds, level = g.choose(t);
    const ms = (g.levels[level] === 2 ? 0.3 : 0.5) * (seen[kind]++ < warmN ? warmX : 1);
    g.record(level, keyOf(kind, 50000), 50000, t, t + ms);
    t += ms;
  }
  if (g.stats().changes) bad.push(start);
}
console.log(warmN, warmX, kinds, 'starts with changes:', bad.length, bad.slice(0, 20).join(' '));
