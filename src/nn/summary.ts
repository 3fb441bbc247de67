// model.summary(): a table of the layers, their output shapes and parameter counts.
import type { Layer } from './layer.js';

/** The table: one row per layer ([batch, width] and its parameters), then the total. */
export function summaryTable(layers: readonly Layer[], widths: readonly number[]): string {
  const rows = [['layer', 'output', 'params']];
  let total = 0;
  layers.forEach((layer, i) => {
    // what trains: running statistics are state, not parameters (as Keras counts them apart)
    const n = layer.params().reduce((s, p) => s + (p.trainable === false ? 0 : p.value.size), 0);
    total += n;
    rows.push([layer.name, `[batch, ${widths[i]}]`, String(n)]);
  });
  rows.push(['total', '', String(total)]);
  const w = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => `${r[0].padEnd(w[0])}  ${r[1].padEnd(w[1])}  ${r[2].padStart(w[2])}`).join('\n');
}
