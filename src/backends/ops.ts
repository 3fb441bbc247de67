// The op table: one declaration per kernel op, in the spirit of XNNPACK's kernel lists. From it
// come the wasm bindings (argument order and pointers), the thread splitter's argument layout,
// the argument checks of Backend.run, and the per-op tests and bench cases. Adding an op is a
// kernel in assembly/, a loop in js/kernels.ts with the same arguments, one line here, and the
// public method on Backend.
//
// A kernel's arguments are, in order: its size (`n` elements; `rows, cols`; or `n, first` where
// first is the index of the first element, so a range of a mask can be drawn on its own), then
// the scalars, then one pointer (wasm) or typed array (js) per operand. Sizes come from the first
// operand. Its wasm export is the op's name in snake case with the dtype: sigmoid_backward_f32.
// matmul has a table of its own (blocked, packed, tiled): it is not here.

/** What an operand is to the op. */
export type Role =
  /** read, the first operand's shape */
  | 'in'
  /** written, the first operand's shape; allocated when not given */
  | 'out'
  /** read and written in place, the first operand's shape */
  | 'inout'
  /** read, one row [1 × cols] applied to every row of the first operand */
  | 'row'
  /** written, one row [1 × cols] (a reduction over rows); allocated when not given */
  | 'outRow';

/** The size arguments that lead a kernel's arguments. */
export type Layout = 'n' | 'rows' | 'indexed';

/**
 * How an op's work splits across threads, so that every result has the same bits on any thread
 * count: ranges of elements, ranges of rows, fixed blocks whose sums are added in order, or not
 * at all (a reduction over the whole tensor keeps its one order).
 */
export type Split = 'elements' | 'rows' | 'blocks' | 'serial';

/** cheap: a few flops an element; costly: an exp or a divide (smaller ops are worth splitting). */
export type Cost = 'cheap' | 'costly';

/** An op's declaration, as written in the table. */
export interface OpDecl {
  readonly layout: Layout;
  readonly scalars: readonly string[];
  readonly operands: readonly (readonly [name: string, role: Role])[];
  readonly split: Split;
  readonly cost: Cost;
  /** a reduction that returns its value (a float64 sum) instead of writing an operand */
  readonly returns?: 'number';
}

/** An op's declaration with what is derived from it once: the hot path reads these, no strings. */
export interface OpSpec extends OpDecl {
  readonly name: OpName;
  /** its index in OP_LIST: bindings keep per-op state in arrays */
  readonly id: number;
  /** the kernel's export name without its dtype: sigmoidBackward → sigmoid_backward */
  readonly kernel: string;
  /** leading size arguments: 1 (n) or 2 (rows, cols; n, first) */
  readonly lead: number;
  /** the operand the op writes (the last one not only read); a reduction's first */
  readonly written: number;
  /** each operand's role as a ROLE code, for the hot path */
  readonly roles: readonly number[];
  /** operands passed in (read, or written in place); an output, if any, comes after them all */
  readonly given: number;
}

/** Role codes: the outputs (allocated when not given) are OUT and above. */
export const ROLE = { in: 0, inout: 1, row: 2, out: 3, outRow: 4 } as const satisfies Record<Role, number>;

const op = (layout: Layout, operands: string, split: Split, cost: Cost, scalars = '', returns?: 'number'): OpDecl => ({
  layout,
  scalars: scalars ? scalars.split(' ') : [],
  operands: operands.split(' ').map((o) => {
    const [name, role] = o.split(':');
    return [name, role as Role] as const;
  }),
  split,
  cost,
  ...(returns ? { returns } : {}),
});

// name: op(layout, operands as name:role, split, cost, scalars, returns)
const TABLE = {
  relu: op('n', 'x:in y:out', 'elements', 'cheap'),
  sigmoid: op('n', 'x:in y:out', 'elements', 'costly'),
  tanh: op('n', 'x:in y:out', 'elements', 'costly'),
  reluBackward: op('n', 'dy:in y:in dx:out', 'elements', 'cheap'),
  sigmoidBackward: op('n', 'dy:in y:in dx:out', 'elements', 'cheap'),
  tanhBackward: op('n', 'dy:in y:in dx:out', 'elements', 'cheap'),
  softmax: op('rows', 'x:in y:out', 'rows', 'costly'),
  softmaxBackward: op('rows', 'dy:in y:in dx:out', 'rows', 'costly'),
  addBias: op('rows', 'x:in bias:row y:out', 'rows', 'costly'),
  addBiasRelu: op('rows', 'x:in bias:row y:out', 'rows', 'costly'),
  addBiasSigmoid: op('rows', 'x:in bias:row y:out', 'rows', 'costly'),
  addBiasTanh: op('rows', 'x:in bias:row y:out', 'rows', 'costly'),
  sumCols: op('rows', 'x:in out:outRow', 'serial', 'cheap'),
  scale: op('n', 'x:in y:out', 'elements', 'cheap', 'alpha'),
  axpy: op('n', 'x:in y:inout', 'elements', 'cheap', 'alpha'),
  mul: op('n', 'a:in b:in y:out', 'elements', 'cheap'),
  sub: op('n', 'a:in b:in y:out', 'elements', 'cheap'),
  sumSquares: op('n', 'x:in', 'blocks', 'cheap', '', 'number'),
  sigmoidCrossEntropy: op('n', 'z:in y:in', 'serial', 'costly', '', 'number'),
  sumAbs: op('n', 'x:in', 'serial', 'cheap', '', 'number'),
  signAxpy: op('n', 'x:in y:inout', 'elements', 'cheap', 'alpha'),
  scaleShift: op('rows', 'x:in scale:row shift:row y:out', 'rows', 'cheap'),
  batchNormBackward: op('rows', 'dy:in xhat:in a:row b:row k:row dx:out', 'rows', 'cheap'),
  dropoutMask: op('indexed', 'out:out', 'elements', 'costly', 'key keep'),
  momentumUpdate: op('n', 'w:inout g:in v:inout', 'elements', 'cheap', 'lr beta'),
  rmspropUpdate: op('n', 'w:inout g:in s:inout', 'elements', 'costly', 'lr beta epsilon'),
  adagradUpdate: op('n', 'w:inout g:in s:inout', 'elements', 'costly', 'lr epsilon'),
  adamUpdate: op('n', 'w:inout g:in m:inout v:inout', 'elements', 'costly', 'lr beta1 beta2 epsilon c1 c2'),
};

export type OpName = keyof typeof TABLE;

/** Every op, with its derived fields, by name. */
export const OPS = Object.fromEntries(
  (Object.keys(TABLE) as OpName[]).map((name, id) => {
    const d: OpDecl = TABLE[name];
    let written = d.operands.length - 1;
    while (written > 0 && (d.operands[written][1] === 'in' || d.operands[written][1] === 'row')) written--;
    const kernel = name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    const roles = d.operands.map(([, role]) => ROLE[role]);
    const given = roles.filter((r) => r < ROLE.out).length;
    if (roles.slice(given).some((r) => r < ROLE.out)) throw new Error(`op table: ${name}'s output must come last`);
    // every spec has the same fields in the same order: one hidden class on the hot path
    const spec: OpSpec = {
      layout: d.layout,
      scalars: d.scalars,
      operands: d.operands,
      split: d.split,
      cost: d.cost,
      returns: d.returns,
      name,
      id,
      kernel,
      lead: d.layout === 'n' ? 1 : 2,
      written,
      roles,
      given,
    };
    return [name, spec];
  }),
) as Record<OpName, OpSpec>;

/** Every op in the table's order (OPS[name].id is its index). */
export const OP_LIST: readonly OpSpec[] = Object.values(OPS);
