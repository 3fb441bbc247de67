// matmul: C (=|+=) op(A) · op(B), row-major, in the three forms training needs:
//   A·Bᵀ (forward, Z = X·Wᵀ), A·B (dX = dZ·W), Aᵀ·B (dW = dZᵀ·X).
// All forms share one packed, register-blocked path (Goto's scheme): a KC×NC block of op(B) is
// packed into NR-wide column panels and an MC×KC block of op(A) into MR-tall row panels; the
// transposes happen while packing, so one micro-kernel serves every form at full speed.
// Packed panels are zero-padded; at C's edges the micro-kernel runs in a smaller instance
// (fewer rows, one vector: see gemmTile). With one or two column panels, A is read in place.
import { madd } from "./simd";

// Micro-tile rows: 4 (8 accumulators), or 6 (12) in the relaxed-SIMD build, where a fused
// multiply-add's latency wants more chains in flight: Chromium 153 ran a 6×8 f32 FMA tile on
// L1-resident panels at 39.7–43.5 GFLOPS against 4×8's 32.9–36.9, side by side in one page.
// Whole products, one thread, 6 rows over 4: Chromium 153 1.03–1.16×, Deno 2.9 1.13–1.15×,
// Bun 1.4 1.05–1.07×; Node 20's V8 spills it (0.72–0.76×), but runs this build only behind a flag.
// @ts-ignore: decorator
@inline const MR: i32 = ASC_FEATURE_RELAXED_SIMD ? 6 : 4;
// @ts-ignore: decorator
@inline const KC: i32 = 256;  // k-block: a packed B panel (KC×NR) stays in L1
// @ts-ignore: decorator
@inline const MC: i32 = ASC_FEATURE_RELAXED_SIMD ? 66 : 64;   // m-block (whole micro-tiles): a packed A block (MC×KC) stays in L2
// @ts-ignore: decorator
@inline const NC: i32 = 512;  // n-block: a packed B block (KC×NC) stays in L2/L3

// Micro-tile width: two vectors, 8 f32 or 4 f64 (4 rows × 2 vectors = 8 accumulators, the
// most Node 20's V8 holds in its 15 vector registers without spilling once the loads are counted).
// @ts-ignore: decorator
@inline function nr<T>(): i32 { return 32 / sizeof<T>(); }

/** Rows of the micro-tile (the splitter cuts C's rows in multiples of it). */
export function matmul_mr(): i32 { return MR; }

/** Bytes of scratch `matmul_*` needs: packed A, packed B, one edge tile. */
export function matmul_scratch_bytes(elementBytes: i32): i32 {
  const nrT = 32 / elementBytes;
  return (MC * KC + KC * NC + MR * nrT) * elementBytes;
}

// Four rows s0..s3 of a vector of k-steps each (4 f32 or 2 f64), written transposed: k-step q's
// four values, one from each row, go to d + q*dstride (f32: one vector; f64: two).
// @ts-ignore: decorator
@inline function transpose4<T>(s0: usize, s1: usize, s2: usize, s3: usize, d: usize, dstride: usize): void {
  const v0 = v128.load(s0), v1 = v128.load(s1), v2 = v128.load(s2), v3 = v128.load(s3);
  if (sizeof<T>() == 8) {
    v128.store(d, i64x2.shuffle(v0, v1, 0, 2));
    v128.store(d, i64x2.shuffle(v2, v3, 0, 2), 16);
    v128.store(d + dstride, i64x2.shuffle(v0, v1, 1, 3));
    v128.store(d + dstride, i64x2.shuffle(v2, v3, 1, 3), 16);
    return;
  }
  const lo01 = i32x4.shuffle(v0, v1, 0, 4, 1, 5), lo23 = i32x4.shuffle(v2, v3, 0, 4, 1, 5);
  const hi01 = i32x4.shuffle(v0, v1, 2, 6, 3, 7), hi23 = i32x4.shuffle(v2, v3, 2, 6, 3, 7);
  v128.store(d, i64x2.shuffle(lo01, lo23, 0, 2));
  v128.store(d + dstride, i64x2.shuffle(lo01, lo23, 1, 3));
  v128.store(d + 2 * dstride, i64x2.shuffle(hi01, hi23, 0, 2));
  v128.store(d + 3 * dstride, i64x2.shuffle(hi01, hi23, 1, 3));
}

// Pack op(A)[mc × kc] (element (i, p) at a + (i*rs + p*cs)*S) into MR-row panels: panel q holds
// rows q*MR.., element (r, p) at p*MR + r. Rows past mc are zero.
// @ts-ignore: decorator
@inline function packA<T>(mc: i32, kc: i32, a: usize, rs: i32, cs: i32, ap: usize): void {
  const S = <usize>sizeof<T>();
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const rows = min(MR, mc - i0);
    const panel = ap + <usize>(i0 * kc) * S;
    if (rows == MR && cs == 1) {
      // rows contiguous in p: walk the rows side by side, a vector of k-steps at a time, the
      // first four transposed in registers (rows 4 and 5 of a 6-row panel one by one), then
      // single k-steps
      const r0 = a + <usize>(i0 * rs) * S;
      const rstride = <usize>rs * S;
      const r1 = r0 + rstride, r2 = r1 + rstride, r3 = r2 + rstride;
      let p = 0;
      if (ASC_FEATURE_SIMD) {
        const L = 16 / sizeof<T>();
        for (; p + L <= kc; p += L) {
          const o = <usize>p * S;
          const d = panel + <usize>(p * MR) * S;
          transpose4<T>(r0 + o, r1 + o, r2 + o, r3 + o, d, <usize>MR * S);
          if (MR > 4) {
            for (let q = 0; q < L; q++) {
              const e = d + <usize>(q * MR) * S, f = o + <usize>q * S;
              store<T>(e + 4 * S, load<T>(r3 + rstride + f));
              store<T>(e + 5 * S, load<T>(r3 + 2 * rstride + f));
            }
          }
        }
      }
      for (; p < kc; p++) {
        const o = <usize>p * S;
        const d = panel + <usize>(p * MR) * S;
        for (let r = 0; r < MR; r++) store<T>(d + <usize>r * S, load<T>(r0 + <usize>r * rstride + o));
      }
    } else if (rows == MR && rs == 1) {
      // Aᵀ form: the MR rows of a k-step are adjacent in memory (16, 24, 32 or 48 bytes)
      for (let p = 0; p < kc; p++) {
        const s = a + <usize>(i0 + p * cs) * S;
        const d = panel + <usize>(p * MR) * S;
        if (ASC_FEATURE_SIMD) {
          const bytes = MR * sizeof<T>();
          v128.store(d, v128.load(s));
          if (bytes == 24) store<u64>(d + 16, load<u64>(s + 16));
          if (bytes >= 32) v128.store(d, v128.load(s, 16), 16);
          if (bytes == 48) v128.store(d, v128.load(s, 32), 32);
        } else {
          for (let r = 0; r < MR; r++) store<T>(d + <usize>r * S, load<T>(s + <usize>r * S));
        }
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const d = panel + <usize>(p * MR) * S;
        for (let r = 0; r < MR; r++) {
          store<T>(d + <usize>r * S, r < rows ? load<T>(a + <usize>((i0 + r) * rs + p * cs) * S) : <T>0);
        }
      }
    }
  }
}

// Pack op(B)[kc × nc] (element (p, j) at b + (p*rs + j*cs)*S) into NR-column panels: panel q
// holds columns q*NR.., element (p, c) at p*NR + c. Columns past nc are zero.
// @ts-ignore: decorator
@inline function packB<T>(kc: i32, nc: i32, b: usize, rs: i32, cs: i32, bp: usize): void {
  const S = <usize>sizeof<T>();
  const NR = nr<T>();
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const cols = min(NR, nc - j0);
    const panel = bp + <usize>(j0 * kc) * S;
    if (cols == NR && cs == 1) {
      // plain B: a k-step's NR columns are adjacent (two vectors)
      for (let p = 0; p < kc; p++) {
        const s = b + <usize>(p * rs + j0) * S;
        const d = panel + <usize>(p * NR) * S;
        if (ASC_FEATURE_SIMD) {
          v128.store(d, v128.load(s));
          v128.store(d, v128.load(s, 16), 16);
        } else {
          for (let c = 0; c < NR; c++) store<T>(d + <usize>c * S, load<T>(s + <usize>c * S));
        }
      }
    } else if (cols == NR && rs == 1) {
      // Bᵀ form: each column is contiguous in p; four columns and a vector of k-steps at a
      // time transposed in registers, then the rest column by column
      let p0 = 0;
      if (ASC_FEATURE_SIMD) {
        const L = 16 / sizeof<T>();
        for (; p0 + L <= kc; p0 += L) {
          for (let c = 0; c < NR; c += 4) {
            const s = b + <usize>((j0 + c) * cs + p0) * S;
            const cstride = <usize>cs * S;
            transpose4<T>(s, s + cstride, s + 2 * cstride, s + 3 * cstride,
              panel + <usize>(p0 * NR + c) * S, <usize>NR * S);
          }
        }
      }
      for (let c = 0; c < NR; c++) {
        const s = b + <usize>((j0 + c) * cs) * S;
        const d = panel + <usize>c * S;
        for (let p = p0; p < kc; p++) store<T>(d + <usize>(p * NR) * S, load<T>(s + <usize>p * S));
      }
    } else {
      // a last partial panel: each k-step's row zeroed, then its columns
      for (let p = 0; p < kc; p++) {
        const d = panel + <usize>(p * NR) * S;
        if (ASC_FEATURE_SIMD) {
          v128.store(d, v128.splat<T>(<T>0));
          v128.store(d, v128.splat<T>(<T>0), 16);
        } else {
          for (let c = cols; c < NR; c++) store<T>(d + <usize>c * S, <T>0);
        }
        for (let c = 0; c < cols; c++) store<T>(d + <usize>c * S, load<T>(b + <usize>(p * rs + (j0 + c) * cs) * S));
      }
    }
  }
}

// The micro-kernel: an R × (V vectors) tile of C, R = 1..MR rows, V = 1..2 vectors (up to 4 × 8
// f32 or 4 × 4 f64; 6 rows in the relaxed build), from kc steps of a packed B panel and of A,
// whose element (r, p) is at ap + r*ars + p*acs: a packed panel (ars = S, acs = MR*S) or A in
// place, when packing would cost more than it saves. R and V are constants at every call (see gemmTile), so each instance
// keeps only its own accumulators: an edge tile of 1 row or 1 column does that much work, not
// a whole 4 × 8's. gemm_f32_4x8_simd and gemm_f64_4x4_simd are the main instances
// (gemm_f32_6x8_relaxedsimd and gemm_f64_6x4_relaxedsimd in that build); the edges use the
// smaller ones. Each element of C gets the same multiply-adds in the same order whatever the
// tile's height, so the 6-row build gives the 4-row one's bits.
// @ts-ignore: decorator
@inline function gemmTileSimd<T>(R: i32, V: i32, kc: i32, ap: usize, ars: usize, acs: usize, bp: usize,
  c: usize, ldc: i32, acc: bool, ncols: i32, tile: usize): void {
  const S = <usize>sizeof<T>();
  const NR = nr<T>();
  let c00 = v128.splat<T>(<T>0), c01 = c00, c10 = c00, c11 = c00;
  let c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  let c40 = c00, c41 = c00, c50 = c00, c51 = c00;
  // one pointer into A and the row offsets in registers, folded into the loads' addresses
  const ars2 = ars << 1, ars3 = ars * 3, ars4 = ars << 2, ars5 = ars * 5;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = V > 1 ? v128.load(bp, 16) : b0;
    let a = v128.load_splat<T>(ap);
    c00 = madd<T>(a, b0, c00);
    if (V > 1) c01 = madd<T>(a, b1, c01);
    if (R > 1) {
      a = v128.load_splat<T>(ap + ars);
      c10 = madd<T>(a, b0, c10);
      if (V > 1) c11 = madd<T>(a, b1, c11);
    }
    if (R > 2) {
      a = v128.load_splat<T>(ap + ars2);
      c20 = madd<T>(a, b0, c20);
      if (V > 1) c21 = madd<T>(a, b1, c21);
    }
    if (R > 3) {
      a = v128.load_splat<T>(ap + ars3);
      c30 = madd<T>(a, b0, c30);
      if (V > 1) c31 = madd<T>(a, b1, c31);
    }
    if (R > 4) {
      a = v128.load_splat<T>(ap + ars4);
      c40 = madd<T>(a, b0, c40);
      if (V > 1) c41 = madd<T>(a, b1, c41);
    }
    if (R > 5) {
      a = v128.load_splat<T>(ap + ars5);
      c50 = madd<T>(a, b0, c50);
      if (V > 1) c51 = madd<T>(a, b1, c51);
    }
    ap += acs;
    bp += <usize>NR * S;
  }
  const ld = <usize>ldc * S;
  // The whole 4 × 2-vector tile, written out on its own: the general code below does the same,
  // but with it alone V8 compiled matmul 7–10% slower (256³, 1024³ A/B runs).
  if (R == MR && V == 2 && ncols == NR) {
    if (acc) {
      c00 = v128.add<T>(c00, v128.load(c)); c01 = v128.add<T>(c01, v128.load(c, 16));
      c10 = v128.add<T>(c10, v128.load(c + ld)); c11 = v128.add<T>(c11, v128.load(c + ld, 16));
      c20 = v128.add<T>(c20, v128.load(c + 2 * ld)); c21 = v128.add<T>(c21, v128.load(c + 2 * ld, 16));
      c30 = v128.add<T>(c30, v128.load(c + 3 * ld)); c31 = v128.add<T>(c31, v128.load(c + 3 * ld, 16));
      if (MR > 4) {
        c40 = v128.add<T>(c40, v128.load(c + 4 * ld)); c41 = v128.add<T>(c41, v128.load(c + 4 * ld, 16));
        c50 = v128.add<T>(c50, v128.load(c + 5 * ld)); c51 = v128.add<T>(c51, v128.load(c + 5 * ld, 16));
      }
    }
    v128.store(c, c00); v128.store(c, c01, 16);
    v128.store(c + ld, c10); v128.store(c + ld, c11, 16);
    v128.store(c + 2 * ld, c20); v128.store(c + 2 * ld, c21, 16);
    v128.store(c + 3 * ld, c30); v128.store(c + 3 * ld, c31, 16);
    if (MR > 4) {
      v128.store(c + 4 * ld, c40); v128.store(c + 4 * ld, c41, 16);
      v128.store(c + 5 * ld, c50); v128.store(c + 5 * ld, c51, 16);
    }
    return;
  }
  // the vectors whose columns are all in C go straight there
  const VL = NR / 2;
  const whole = min(V, ncols / VL);
  if (acc) {
    if (whole > 0) {
      c00 = v128.add<T>(c00, v128.load(c));
      if (R > 1) c10 = v128.add<T>(c10, v128.load(c + ld));
      if (R > 2) c20 = v128.add<T>(c20, v128.load(c + 2 * ld));
      if (R > 3) c30 = v128.add<T>(c30, v128.load(c + 3 * ld));
      if (R > 4) c40 = v128.add<T>(c40, v128.load(c + 4 * ld));
      if (R > 5) c50 = v128.add<T>(c50, v128.load(c + 5 * ld));
    }
    if (V > 1 && whole > 1) {
      c01 = v128.add<T>(c01, v128.load(c, 16));
      if (R > 1) c11 = v128.add<T>(c11, v128.load(c + ld, 16));
      if (R > 2) c21 = v128.add<T>(c21, v128.load(c + 2 * ld, 16));
      if (R > 3) c31 = v128.add<T>(c31, v128.load(c + 3 * ld, 16));
      if (R > 4) c41 = v128.add<T>(c41, v128.load(c + 4 * ld, 16));
      if (R > 5) c51 = v128.add<T>(c51, v128.load(c + 5 * ld, 16));
    }
  }
  if (whole > 0) {
    v128.store(c, c00);
    if (R > 1) v128.store(c + ld, c10);
    if (R > 2) v128.store(c + 2 * ld, c20);
    if (R > 3) v128.store(c + 3 * ld, c30);
    if (R > 4) v128.store(c + 4 * ld, c40);
    if (R > 5) v128.store(c + 5 * ld, c50);
  }
  if (V > 1 && whole > 1) {
    v128.store(c, c01, 16);
    if (R > 1) v128.store(c + ld, c11, 16);
    if (R > 2) v128.store(c + 2 * ld, c21, 16);
    if (R > 3) v128.store(c + 3 * ld, c31, 16);
    if (R > 4) v128.store(c + 4 * ld, c41, 16);
    if (R > 5) v128.store(c + 5 * ld, c51, 16);
  }
  if (whole * VL == ncols) return;
  // a last vector with columns past C's edge: through `tile`, then its valid columns
  const t = <usize>NR * S;
  const last = V > 1 && whole == 1;
  v128.store(tile, last ? c01 : c00);
  if (R > 1) v128.store(tile + t, last ? c11 : c10);
  if (R > 2) v128.store(tile + 2 * t, last ? c21 : c20);
  if (R > 3) v128.store(tile + 3 * t, last ? c31 : c30);
  if (R > 4) v128.store(tile + 4 * t, last ? c41 : c40);
  if (R > 5) v128.store(tile + 5 * t, last ? c51 : c50);
  const from = whole * VL;
  storeEdge<T>(tile - <usize>from * S, c, ld, acc, R, from, ncols);
}

// The tile for `rows` × `ncols`: dispatched to the instance that computes just that (constant
// R and V at each call).
// @ts-ignore: decorator
@inline function gemmTile<T>(rows: i32, ncols: i32, kc: i32, ap: usize, ars: usize, acs: usize, bp: usize,
  c: usize, ldc: i32, acc: bool, tile: usize): void {
  if (ncols > nr<T>() / 2) {
    if (MR > 4 && rows == 6) gemmTileSimd<T>(6, 2, kc, ap, ars, acs, bp, c, ldc, acc, ncols, tile);
    else if (MR > 4 && rows == 5) gemmTileSimd<T>(5, 2, kc, ap, ars, acs, bp, c, ldc, acc, ncols, tile);
    else if (rows == 4) gemmTileSimd<T>(4, 2, kc, ap, ars, acs, bp, c, ldc, acc, ncols, tile);
    else if (rows == 3) gemmTileSimd<T>(3, 2, kc, ap, ars, acs, bp, c, ldc, acc, ncols, tile);
    else if (rows == 2) gemmTileSimd<T>(2, 2, kc, ap, ars, acs, bp, c, ldc, acc, ncols, tile);
    else gemmTileSimd<T>(1, 2, kc, ap, ars, acs, bp, c, ldc, acc, ncols, tile);
  } else {
    if (MR > 4 && rows == 6) gemmTileSimd<T>(6, 1, kc, ap, ars, acs, bp, c, ldc, acc, ncols, tile);
    else if (MR > 4 && rows == 5) gemmTileSimd<T>(5, 1, kc, ap, ars, acs, bp, c, ldc, acc, ncols, tile);
    else if (rows == 4) gemmTileSimd<T>(4, 1, kc, ap, ars, acs, bp, c, ldc, acc, ncols, tile);
    else if (rows == 3) gemmTileSimd<T>(3, 1, kc, ap, ars, acs, bp, c, ldc, acc, ncols, tile);
    else if (rows == 2) gemmTileSimd<T>(2, 1, kc, ap, ars, acs, bp, c, ldc, acc, ncols, tile);
    else gemmTileSimd<T>(1, 1, kc, ap, ars, acs, bp, c, ldc, acc, ncols, tile);
  }
}

// Scalar build: the same tile, accumulated in `tile`.
// @ts-ignore: decorator
@inline function gemmTileScalar<T>(kc: i32, ap: usize, bp: usize, c: usize, ldc: i32,
  acc: bool, mr: i32, ncols: i32, tile: usize): void {
  const S = <usize>sizeof<T>();
  const NR = nr<T>();
  memory.fill(tile, 0, <usize>(MR * NR) * S);
  for (let p = 0; p < kc; p++) {
    for (let r = 0; r < MR; r++) {
      const a = load<T>(ap + <usize>r * S);
      const t = tile + <usize>(r * NR) * S;
      for (let j = 0; j < NR; j++) {
        store<T>(t + <usize>j * S, load<T>(t + <usize>j * S) + a * load<T>(bp + <usize>j * S));
      }
    }
    ap += <usize>MR * S;
    bp += <usize>NR * S;
  }
  storeEdge<T>(tile, c, <usize>ldc * S, acc, mr, 0, ncols);
}

// Columns from..ncols of the first mr rows of an NR-wide tile, into C.
// @ts-ignore: decorator
@inline function storeEdge<T>(tile: usize, c: usize, ld: usize, acc: bool, mr: i32, from: i32, ncols: i32): void {
  const S = <usize>sizeof<T>();
  const NR = nr<T>();
  for (let r = 0; r < mr; r++) {
    const t = tile + <usize>(r * NR) * S;
    const d = c + <usize>r * ld;
    for (let j = from; j < ncols; j++) {
      const o = <usize>j * S;
      store<T>(d + o, acc ? load<T>(d + o) + load<T>(t + o) : load<T>(t + o));
    }
  }
}

// @ts-ignore: decorator
@inline function matmul<T>(transA: bool, transB: bool, M: i32, N: i32, K: i32,
  a: usize, b: usize, c: usize, accumulate: bool, scratch: usize, i0: i32, i1: i32, j0: i32, j1: i32, packed: i32): void {
  const S = <usize>sizeof<T>();
  const NR = nr<T>();
  // op(A)(i, p) = a[i*rsA + p*csA], op(B)(p, j) = b[p*rsB + j*csB]
  const rsA = transA ? 1 : K, csA = transA ? M : 1;
  const rsB = transB ? 1 : N, csB = transB ? K : 1;
  const ap = scratch;
  const bp = ap + <usize>(MC * KC) * S;
  const tile = bp + <usize>(KC * NC) * S;
  // `a` (packed 1) or `b` (packed 2) already holds the whole of op(A) or op(B) packed, as
  // matmul_pack_a / matmul_pack_b lay it out: threads that each take a block of C then share one
  // packing of the other operand instead of each repeating it
  const packedA = packed == 1, packedB = packed == 2;
  const Mp = roundUp(M, MR), Np = roundUp(N, NR);
  // only C's rows i0..i1 and columns j0..j1: each element's sum runs over the same k-blocks in
  // the same order whatever the range, so any split of C across threads gives the same bits
  for (let jc = j0; jc < j1; jc += NC) {
    const nc = min(NC, j1 - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      const acc = accumulate || pc > 0;
      const bblock = packedB ? b + <usize>(pc * Np + jc * kc) * S : bp;
      if (!packedB) packB<T>(kc, nc, b + <usize>(pc * rsB + jc * csB) * S, rsB, csB, bp);
      for (let ic = i0; ic < i1; ic += MC) {
        const mc = min(MC, i1 - ic);
        const ablock = a + <usize>(ic * rsA + pc * csA) * S;
        // With one or two column panels, A is read too few times to repay packing it, and a
        // block of 16 KB or less stays in L1 as it is: the micro-kernel reads A in place (a
        // last partial row panel too: its tile reads only the rows there are). Either way each
        // element of C gets the same multiply-adds in the same order.
        const direct = !packedA && ASC_FEATURE_SIMD && (nc <= 2 * NR || mc * kc * <i32>S <= 16384);
        const apacked = packedA ? a + <usize>(pc * Mp + ic * kc) * S : ap;
        if (!direct && !packedA) packA<T>(mc, kc, ablock, rsA, csA, ap);
        for (let jr = 0; jr < nc; jr += NR) {
          const bpanel = bblock + <usize>(jr * kc) * S;
          const ncols = min(NR, nc - jr);
          for (let ir = 0; ir < mc; ir += MR) {
            const cptr = c + <usize>((ic + ir) * N + jc + jr) * S;
            const apanel = apacked + <usize>(ir * kc) * S;
            if (ASC_FEATURE_SIMD) {
              if (direct) {
                gemmTile<T>(min(MR, mc - ir), ncols, kc, ablock + <usize>(ir * rsA) * S, <usize>rsA * S, <usize>csA * S, bpanel, cptr, N, acc, tile);
              } else {
                gemmTile<T>(min(MR, mc - ir), ncols, kc, apanel, S, <usize>MR * S, bpanel, cptr, N, acc, tile);
              }
            } else {
              gemmTileScalar<T>(kc, apanel, bpanel, cptr, N, acc, min(MR, mc - ir), ncols, tile);
            }
          }
        }
      }
    }
  }
}

/** C[M×N] = op(A)·op(B) (or += when accumulate), for C's rows [i0, i1) and columns [j0, j1)
 *  (0, M, 0, N for all of it; a part is one thread's share); A is [M×K] or, transposed, [K×M];
 *  B is [K×N] or, transposed, [N×K]. `scratch` holds matmul_scratch_bytes(4) bytes, 16-aligned.
 *  `packed`: 0, or 1 when `a` is op(A) packed by matmul_pack_a, or 2 when `b` is op(B) packed
 *  by matmul_pack_b (the same bits: packing moves values, it does not change them). */
export function matmul_f32(transA: bool, transB: bool, M: i32, N: i32, K: i32,
  a: usize, b: usize, c: usize, accumulate: bool, scratch: usize, i0: i32, i1: i32, j0: i32, j1: i32, packed: i32): void {
  matmul<f32>(transA, transB, M, N, K, a, b, c, accumulate, scratch, i0, i1, j0, j1, packed);
}

export function matmul_f64(transA: bool, transB: bool, M: i32, N: i32, K: i32,
  a: usize, b: usize, c: usize, accumulate: bool, scratch: usize, i0: i32, i1: i32, j0: i32, j1: i32, packed: i32): void {
  matmul<f64>(transA, transB, M, N, K, a, b, c, accumulate, scratch, i0, i1, j0, j1, packed);
}

// Whole operands packed once, for threads that share them. op(A)'s layout: for each k-block
// (KC deep, from pc), all of its rows in MR-row panels (rows past M zero), the block at
// pc * roundUp(M, MR) elements; op(B)'s: for each k-block, all of its columns in NR-column
// panels, at pc * roundUp(N, NR). A range of rows (or columns), starting at a multiple of MR
// (or NR), packs just that part, so the packing itself can be split.
// @ts-ignore: decorator
@inline function packWholeA<T>(transA: bool, M: i32, K: i32, a: usize, dst: usize, i0: i32, i1: i32): void {
  const S = <usize>sizeof<T>();
  const rs = transA ? 1 : K, cs = transA ? M : 1;
  const Mp = roundUp(M, MR);
  for (let pc = 0; pc < K; pc += KC) {
    const kc = min(KC, K - pc);
    packA<T>(i1 - i0, kc, a + <usize>(i0 * rs + pc * cs) * S, rs, cs, dst + <usize>(pc * Mp + i0 * kc) * S);
  }
}

// @ts-ignore: decorator
@inline function packWholeB<T>(transB: bool, N: i32, K: i32, b: usize, dst: usize, j0: i32, j1: i32): void {
  const S = <usize>sizeof<T>();
  const rs = transB ? 1 : N, cs = transB ? K : 1;
  const Np = roundUp(N, nr<T>());
  for (let pc = 0; pc < K; pc += KC) {
    const kc = min(KC, K - pc);
    packB<T>(kc, j1 - j0, b + <usize>(pc * rs + j0 * cs) * S, rs, cs, dst + <usize>(pc * Np + j0 * kc) * S);
  }
}

/** Packs rows [i0, i1) of op(A) (A is [M×K], or [K×M] transposed) for matmul's `packed` 1. */
export function matmul_pack_a_f32(transA: bool, M: i32, K: i32, a: usize, dst: usize, i0: i32, i1: i32): void {
  packWholeA<f32>(transA, M, K, a, dst, i0, i1);
}

export function matmul_pack_a_f64(transA: bool, M: i32, K: i32, a: usize, dst: usize, i0: i32, i1: i32): void {
  packWholeA<f64>(transA, M, K, a, dst, i0, i1);
}

/** Packs columns [j0, j1) of op(B) (B is [K×N], or [N×K] transposed) for matmul's `packed` 2. */
export function matmul_pack_b_f32(transB: bool, N: i32, K: i32, b: usize, dst: usize, j0: i32, j1: i32): void {
  packWholeB<f32>(transB, N, K, b, dst, j0, j1);
}

export function matmul_pack_b_f64(transB: bool, N: i32, K: i32, b: usize, dst: usize, j0: i32, j1: i32): void {
  packWholeB<f64>(transB, N, K, b, dst, j0, j1);
}

/** Bytes matmul_pack_a (whole: 1) or matmul_pack_b (2) writes for an M×K op(A) or K×N op(B). */
export function matmul_packed_bytes(which: i32, rowsOrCols: i32, K: i32, elementBytes: i32): i32 {
  const unit = which == 1 ? MR : 32 / elementBytes;
  return roundUp(rowsOrCols, unit) * K * elementBytes;
}

// @ts-ignore: decorator
@inline function roundUp(n: i32, m: i32): i32 { return (n + m - 1) / m * m; }
