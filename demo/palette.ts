// One visual language for the whole page. Values (a unit's output, a weight) use one diverging
// scale centred at 0: orange below, white at 0, blue above. Classes take the same ends, so the
// output unit's blue is class 1's blue: class 0 orange, class 1 blue (a third class green). The
// curves of a run are black (train) and purple, dashed (test); layers, in the views where no class
// or value colour appears, take an ordered set of dark colours. Every colour drawn as a mark has a
// contrast of 3:1 or more on white, every one used for text 4.5:1 (test/demo/palette.test.ts).

export type RGB = [number, number, number];

export const NEGATIVE: RGB = [179, 88, 6]; // #b35806
export const POSITIVE: RGB = [31, 95, 153]; // #1f5f99
export const CLASS_RGB: RGB[] = [NEGATIVE, POSITIVE, [27, 120, 55]];
export const TRAIN_COLOR = '#222222';
export const TEST_COLOR = '#6a2c91';
export const LAYER_COLORS = [
  '#1b4f72',
  '#1e8449',
  '#7d3c98',
  '#a04000',
  '#117864',
  '#922b21',
  '#2e4053',
  '#7e5109',
  '#4a235a',
  '#0e6251',
  '#78281f',
];
/** the grey of axes, labels and histogram bars */
export const INK = '#444444';

export const hex = (c: RGB) => `#${c.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;

/** A value t in [−1, 1] on the diverging scale: −1 orange, 0 white, 1 blue. */
export function diverging(t: number): RGB {
  const a = Math.min(1, Math.abs(t));
  const end = t < 0 ? NEGATIVE : POSITIVE;
  return [255 - a * (255 - end[0]), 255 - a * (255 - end[1]), 255 - a * (255 - end[2])];
}
