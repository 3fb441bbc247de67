// The kernel module's exports: every op in f32 and f64 on pointers into this memory.
export * from "./matmul";
export * from "./activations";
export * from "./elementwise";
export * from "./optimizers";
export * from "./dropout";

/** First byte past the module's static data: the JS heap starts at or after it. */
export function heap_base(): usize { return __heap_base; }

/** 1 in the SIMD builds, 0 in the scalar one. */
export function simd_build(): bool { return ASC_FEATURE_SIMD; }

/** 1 in the relaxed-SIMD build (fused multiply-add in matmul). */
export function relaxed_simd_build(): bool { return ASC_FEATURE_RELAXED_SIMD; }
