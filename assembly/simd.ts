// Multiply-add on vectors, shared by matmul and the exp kernels.
// In the relaxed-SIMD build these are fused (one rounding instead of two, and fewer
// instructions), so results differ from the SIMD build in the last bits; elsewhere they are a
// multiply then an add, in exactly the order the scalar code uses.

/** c + a·b */
// @ts-ignore: decorator
@inline export function madd<T>(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return v128.relaxed_madd<T>(a, b, c);
  return v128.add<T>(c, v128.mul<T>(a, b));
}

/** c - a·b */
// @ts-ignore: decorator
@inline export function nmadd<T>(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return v128.relaxed_nmadd<T>(a, b, c);
  return v128.sub<T>(c, v128.mul<T>(a, b));
}
