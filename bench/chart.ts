// A self-contained SVG bar chart of the float32 speed-ups over TF.js's wasm backend: a bar for
// the default (SIMD) build and, where it ran, a thinner one for the opt-in relaxed-SIMD build.

interface Row {
  dtype: string;
  case: string;
  wasmOverTfjsWasm?: number;
  relaxedOverTfjsWasm?: number;
  wasmOverJs?: number;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

export function chart(rows: Row[], info: { machine: Record<string, unknown>; tfjs: string }): string {
  const data = rows.filter((r) => r.dtype === 'float32' && r.wasmOverTfjsWasm !== undefined);
  const barH = 18,
    gap = 8,
    left = 300,
    width = 900,
    top = 76;
  const max = Math.max(2, ...data.map((r) => Math.max(r.wasmOverTfjsWasm!, r.relaxedOverTfjsWasm ?? 0)));
  // log scale, so 0.5× and 20× both read
  const lo = Math.log10(0.25),
    hi = Math.log10(max * 1.3);
  const x = (v: number) => left + ((Math.log10(v) - lo) / (hi - lo)) * (width - left - 80);
  const height = top + data.length * (barH + gap) + 40;
  const ticks = [0.25, 0.5, 1, 2, 5, 10, 20, 50, 100].filter((t) => Math.log10(t) <= hi);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    '<rect width="100%" height="100%" fill="#fff"/>',
    `<text x="10" y="22" font-size="15" font-weight="bold">dl-fundamentals wasm backend: speed-up over TensorFlow.js ${esc(info.tfjs)} wasm (float32, one core)</text>`,
    `<text x="10" y="42" fill="#555">${esc(String(info.machine.cpu))}, Node ${esc(String(info.machine.node))}, ${esc(String(info.machine.date).slice(0, 10))}; medians of per-round ratios</text>`,
    `<rect x="10" y="52" width="14" height="11" fill="#2a7ab9"/><text x="30" y="62">SIMD build (the default)</text>`,
    `<rect x="200" y="56" width="14" height="6" fill="#8fbfe0"/><text x="220" y="62">relaxed-SIMD build (opt-in)</text>`,
  ];
  for (const t of ticks) {
    out.push(
      `<line x1="${x(t)}" x2="${x(t)}" y1="${top - 5}" y2="${height - 30}" stroke="${t === 1 ? '#333' : '#ddd'}"/>`,
    );
    out.push(`<text x="${x(t)}" y="${height - 15}" text-anchor="middle" fill="#555">${t}×</text>`);
  }
  data.forEach((r, i) => {
    const y = top + i * (barH + gap);
    const v = r.wasmOverTfjsWasm!;
    const color = v >= 1 ? '#2a7ab9' : '#c8553d';
    out.push(`<text x="${left - 8}" y="${y + barH - 5}" text-anchor="end">${esc(r.case)}</text>`);
    const mainH = r.relaxedOverTfjsWasm === undefined ? barH : 12;
    out.push(
      `<rect x="${x(0.25)}" y="${y}" width="${Math.max(1, x(v) - x(0.25))}" height="${mainH}" fill="${color}"/>`,
    );
    out.push(`<text x="${x(v) + 5}" y="${y + 11}">${v.toFixed(2)}×</text>`);
    if (r.relaxedOverTfjsWasm !== undefined) {
      const w = r.relaxedOverTfjsWasm;
      out.push(`<rect x="${x(0.25)}" y="${y + 12}" width="${Math.max(1, x(w) - x(0.25))}" height="6" fill="#8fbfe0"/>`);
      out.push(
        `<text x="${Math.max(x(v), x(w)) + 48}" y="${y + 11}" fill="#6a9cc0" font-size="11">${w.toFixed(2)}×</text>`,
      );
    }
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** A bar chart of each float32 case's speed-up on N threads over one (linear scale, 1× marked). */
export function threadsChart(
  rows: (Row & { threadSpeedup?: Record<string, number>; twoJobs?: number })[],
  info: { machine: Record<string, unknown> },
): string {
  const data = rows.filter((r) => r.dtype === 'float32' && r.threadSpeedup && Object.keys(r.threadSpeedup).length);
  const counts = data.length ? Object.keys(data[0].threadSpeedup!).map(Number) : [];
  const barH = 18,
    gap = 8,
    left = 300,
    width = 900,
    top = 76;
  const max = Math.max(2, ...data.flatMap((r) => [...Object.values(r.threadSpeedup!), r.twoJobs ?? 0]));
  const x = (v: number) => left + (v / (max * 1.15)) * (width - left - 60);
  const height = top + data.length * (barH + gap) + 40;
  const colors = ['#2a7ab9', '#5aa05a', '#c8a03d', '#8a5ab9', '#c8553d', '#3db9b0', '#777'];
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    '<rect width="100%" height="100%" fill="#fff"/>',
    `<text x="10" y="22" font-size="15" font-weight="bold">dl-fundamentals wasm backend: speed-up on N threads over one (float32, the same bits)</text>`,
    `<text x="10" y="42" fill="#555">${esc(String(info.machine.cpu))}, ${esc(String(info.machine.cores ?? ''))} cores, Node ${esc(String(info.machine.node))}, ${esc(String(info.machine.date).slice(0, 10))}; medians of per-round ratios</text>`,
    ...counts.map(
      (t, i) =>
        `<rect x="${10 + i * 110}" y="52" width="14" height="11" fill="${colors[i % colors.length]}"/><text x="${30 + i * 110}" y="62">${t} threads</text>`,
    ),
    `<rect x="${14 + counts.length * 110}" y="50" width="3" height="15" fill="#000"/><text x="${30 + counts.length * 110}" y="62">2 independent one-thread jobs at once, over one alone (the most 2 threads could give then)</text>`,
  ];
  for (let t = 0; t <= max * 1.15; t += max > 4 ? 1 : 0.5) {
    out.push(
      `<line x1="${x(t)}" x2="${x(t)}" y1="${top - 5}" y2="${height - 30}" stroke="${t === 1 ? '#333' : '#ddd'}"/>`,
    );
    out.push(`<text x="${x(t)}" y="${height - 15}" text-anchor="middle" fill="#555">${t}×</text>`);
  }
  data.forEach((r, i) => {
    const y = top + i * (barH + gap);
    out.push(`<text x="${left - 8}" y="${y + barH - 5}" text-anchor="end">${esc(r.case)}</text>`);
    const h = barH / counts.length;
    counts.forEach((t, j) => {
      const v = r.threadSpeedup![t];
      out.push(
        `<rect x="${x(0)}" y="${y + j * h}" width="${Math.max(1, x(v) - x(0))}" height="${h - 1}" fill="${colors[j % colors.length]}"/>`,
      );
      out.push(
        `<text x="${x(v) + 5}" y="${y + j * h + h - 2}" font-size="${Math.min(12, h + 1)}">${v.toFixed(2)}×</text>`,
      );
    });
    if (r.twoJobs)
      out.push(
        `<rect x="${x(r.twoJobs) - 1.5}" y="${y - 2}" width="3" height="${barH + 4}" fill="#000"><title>2 jobs: ${r.twoJobs.toFixed(2)}×</title></rect>`,
      );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** The browser bench: ours on N threads over TF.js (threaded) and over jax-js, per case (log scale). */
export function browserChart(
  rows: { case: string; oursNOverTfjs: number; oursNOverJax: number; threadsOverOne: number }[],
  info: { browser: string; threads: number; date: string },
): string {
  const barH = 24,
    gap = 10,
    left = 300,
    width = 900,
    top = 76;
  const vals = rows.flatMap((r) => [r.oursNOverTfjs, r.oursNOverJax, r.threadsOverOne]);
  const lo = Math.log10(0.25),
    hi = Math.log10(Math.max(2, ...vals) * 1.3);
  const x = (v: number) => left + ((Math.log10(v) - lo) / (hi - lo)) * (width - left - 80);
  const height = top + rows.length * (barH + gap) + 40;
  const series = [
    ['oursNOverJax', '#2a7ab9', 'over jax-js'],
    ['oursNOverTfjs', '#5aa05a', 'over TF.js wasm (threaded)'],
    ['threadsOverOne', '#c8a03d', `${info.threads} threads over 1`],
  ] as const;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    '<rect width="100%" height="100%" fill="#fff"/>',
    `<text x="10" y="22" font-size="15" font-weight="bold">dl-fundamentals on ${info.threads} threads in a cross-origin-isolated page: speed-up (float32)</text>`,
    `<text x="10" y="42" fill="#555">${esc(info.browser)}, ${esc(info.date.slice(0, 10))}; every library on ${info.threads} threads; medians of per-round ratios</text>`,
    ...series.map(
      ([, c, label], i) =>
        `<rect x="${10 + i * 230}" y="52" width="14" height="11" fill="${c}"/><text x="${30 + i * 230}" y="62">${esc(label)}</text>`,
    ),
  ];
  for (const t of [0.25, 0.5, 1, 2, 5, 10, 20, 50].filter((t) => Math.log10(t) <= hi)) {
    out.push(
      `<line x1="${x(t)}" x2="${x(t)}" y1="${top - 5}" y2="${height - 30}" stroke="${t === 1 ? '#333' : '#ddd'}"/>`,
    );
    out.push(`<text x="${x(t)}" y="${height - 15}" text-anchor="middle" fill="#555">${t}×</text>`);
  }
  rows.forEach((r, i) => {
    const y = top + i * (barH + gap);
    out.push(`<text x="${left - 8}" y="${y + barH / 2 + 4}" text-anchor="end">${esc(r.case)}</text>`);
    series.forEach(([key, color], j) => {
      const v = r[key],
        h = barH / series.length;
      out.push(
        `<rect x="${x(0.25)}" y="${y + j * h}" width="${Math.max(1, x(v) - x(0.25))}" height="${h - 1}" fill="${color}"/>`,
      );
      out.push(`<text x="${x(v) + 4}" y="${y + j * h + h - 1}" font-size="9">${v.toFixed(2)}×</text>`);
    });
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
