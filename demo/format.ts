// Numbers as a reader takes them in.

/** a number as a reader can take it in: 4 significant digits, exponents when small or large */
export function fmt(v: number): string {
  if (v === 0) return '0';
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a < 1e-3 || a >= 1e5 ? v.toExponential(2) : String(Number(v.toPrecision(4)));
}

/** a fraction 0…1 as a percentage with one decimal: 0.953 → '95.3%' */
export const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
