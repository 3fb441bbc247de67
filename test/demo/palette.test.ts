// The page's colours against WCAG 2's contrast (the formula of the standard, computed here on its
// own): marks 3:1 on white, text 4.5:1; the diverging scale white at 0 and its ends the classes'.
import { describe, expect, it } from 'vitest';
import { CLASS_RGB, INK, LAYER_COLORS, TEST_COLOR, TRAIN_COLOR, diverging, hex } from '../../demo/palette.js';

/** WCAG 2 relative luminance and contrast, written from the standard's definition */
function ratio(a: string, b: string): number {
  const L = (h: string) => {
    const lin = (i: number) => {
      const c = Number.parseInt(h.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * lin(1) + 0.7152 * lin(3) + 0.0722 * lin(5);
  };
  const [hi, lo] = [L(a), L(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

describe('the palette', () => {
  it('every class, curve and layer colour is a mark of 3:1 or more on white; text colours 4.5:1', () => {
    for (const c of [...CLASS_RGB.map(hex), TRAIN_COLOR, TEST_COLOR, ...LAYER_COLORS, INK])
      expect(ratio(c, '#ffffff'), c).toBeGreaterThanOrEqual(3);
    // used for text: the class keys, the train and test keys, the axes' labels
    for (const c of [...CLASS_RGB.slice(0, 2).map(hex), TRAIN_COLOR, TEST_COLOR, INK])
      expect(ratio(c, '#ffffff'), c).toBeGreaterThanOrEqual(4.5);
  });

  it('the diverging scale is white at 0 and the classes at its ends: class 1 is the output unit high', () => {
    expect(diverging(0)).toEqual([255, 255, 255]);
    expect(diverging(-1)).toEqual(CLASS_RGB[0]);
    expect(diverging(1)).toEqual(CLASS_RGB[1]);
    expect(diverging(5)).toEqual(CLASS_RGB[1]);
  });

  it('no colour means two things: the curves and the layers use none of the class colours', () => {
    const classes = new Set(CLASS_RGB.map(hex));
    for (const c of [TRAIN_COLOR, TEST_COLOR, ...LAYER_COLORS]) expect(classes.has(c), c).toBe(false);
    expect(new Set(LAYER_COLORS).size).toBe(LAYER_COLORS.length);
  });
});
