// dropout_mask: the inverted-dropout mask, from a counter-based generator. Element i of a
// layer's mask at a step is a hash of (seed, step, layer, i), so it needs no state, both
// backends draw the same mask, and any slice of it can be drawn on its own.
// The hash is Wellons' lowbias32 integer mixer: key = mix(mix(mix(seed ^ 0x9e3779b9) ^ step) ^ layer),
// computed by the caller, then u_i = (mix(key ^ i) >>> 8) / 2^24.
// mask = u < keep ? 1/keep : 0.

// @ts-ignore: decorator
@inline function mix(h: u32): u32 {
  h ^= h >>> 16;
  h *= 0x7feb352d;
  h ^= h >>> 15;
  h *= 0x846ca68b;
  h ^= h >>> 16;
  return h;
}

// @ts-ignore: decorator
@inline function mixV(h: v128): v128 {
  h = v128.xor(h, i32x4.shr_u(h, 16));
  h = i32x4.mul(h, i32x4.splat(0x7feb352d));
  h = v128.xor(h, i32x4.shr_u(h, 15));
  h = i32x4.mul(h, i32x4.splat(<i32>0x846ca68b));
  return v128.xor(h, i32x4.shr_u(h, 16));
}

// @ts-ignore: decorator
@inline function dropoutMask<T>(n: i32, first: i32, key: u32, keep: T, out: usize): void {
  const S = <usize>sizeof<T>();
  const scale = <T>1 / keep;
  // u < keep  <=>  top24 < keep·2^24 (u = top24 / 2^24 is exact in f32 and f64)
  const limit = <f64>keep * 16777216.0;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    // four hashes at a time; f32 compares them as one vector, f64 as two pairs
    const kv = i32x4.splat(<i32>key);
    const lim = v128.splat<T>(<T>limit);
    const sv = v128.splat<T>(scale);
    let idx = i32x4.add(i32x4.splat(first), i32x4(0, 1, 2, 3));
    for (; i + 4 <= n; i += 4) {
      const top = i32x4.shr_u(mixV(v128.xor(kv, idx)), 8);
      const o = out + <usize>i * S;
      if (sizeof<T>() == 4) {
        v128.store(o, v128.and(sv, f32x4.lt(f32x4.convert_i32x4_u(top), lim)));
      } else {
        const hi = i32x4.shuffle(top, top, 2, 3, 2, 3);
        v128.store(o, v128.and(sv, f64x2.lt(f64x2.convert_low_i32x4_u(top), lim)));
        v128.store(o, v128.and(sv, f64x2.lt(f64x2.convert_low_i32x4_u(hi), lim)), 16);
      }
      idx = i32x4.add(idx, i32x4.splat(4));
    }
  }
  for (; i < n; i++) {
    const u = <f64>(mix(key ^ <u32>(first + i)) >>> 8);
    store<T>(out + <usize>i * S, u < limit ? scale : <T>0);
  }
}

/** Elements first … first+n-1 of a mask (`out` points at element `first`): a thread's part. */
export function dropout_mask_f32(n: i32, first: i32, key: u32, keep: f32, out: usize): void { dropoutMask<f32>(n, first, key, keep, out); }
export function dropout_mask_f64(n: i32, first: i32, key: u32, keep: f64, out: usize): void { dropoutMask<f64>(n, first, key, keep, out); }
