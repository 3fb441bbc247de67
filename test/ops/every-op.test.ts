// Every op has its test file here: the table's ops (src/backends/ops.ts) and the ones outside it.
import { existsSync } from 'node:fs';
import { expect, it } from 'vitest';
import { OP_LIST } from '../../src/backends/ops.js';

it('every op of the table, matmul, gatherRows and readInto has test/ops/<op>.test.ts', () => {
  const names = [...OP_LIST.map((o) => o.name), 'matmul', 'gatherRows', 'readInto'];
  expect(names.filter((n) => !existsSync(new URL(`./${n}.test.ts`, import.meta.url)))).toEqual([]);
});
