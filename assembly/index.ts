// The kernel module's exports: every op in f32 and f64 on pointers into this memory.
export * from "./matmul";
export * from "./activations";
// (named: elementwise.ts also exports the generic scale<T>, used by softmax)
export {
  sum_cols_f32, sum_cols_f64, scale_f32, scale_f64, axpy_f32, axpy_f64,
  mul_f32, mul_f64, sub_f32, sub_f64, sum_squares_f32, sum_squares_f64,
  sum_squares_blocks_f32, sum_squares_blocks_f64, sum_block,
} from "./elementwise";
export * from "./optimizers";
export * from "./dropout";
export * from "./losses";
export * from "./regularizers";
export * from "./normalization";

/** First byte past the module's static data: the JS heap starts at or after it. */
export function heap_base(): usize { return __heap_base; }

/** 1 in the SIMD builds, 0 in the scalar one. */
export function simd_build(): bool { return ASC_FEATURE_SIMD; }

/** 1 in the relaxed-SIMD build (fused multiply-add in matmul). */
export function relaxed_simd_build(): bool { return ASC_FEATURE_RELAXED_SIMD; }
