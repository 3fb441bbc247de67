// The lessons: each a page state (settings over the defaults), the words that explain the
// mechanism beside the picture, and the measured figure those words cite, computed from the run
// (and from runs beside it, on the same data from the same seed, where the lesson is a contrast)
// or drawn by a figure of its own (demo/extras). In the course's order.
import { BASICS } from './basics.ts';
import type { Lesson } from './common.ts';
import { OPTIMIZATION } from './optimization.ts';

export type { Lesson, Measured } from './common.ts';

export const LESSONS: Lesson[] = [...BASICS, ...OPTIMIZATION];

export const lessonById = (id: string): Lesson | undefined => LESSONS.find((l) => l.id === id);
