// Runs in the page: a matmul on the wasm backend compared with the js backend.
export async function check(dl) {
  const wasm = await dl.createBackend('wasm');
  const js = await dl.createBackend('js');
  const M = 67, K = 35, N = 19;
  const a = { rows: M, cols: K, data: Float32Array.from({ length: M * K }, (_, i) => Math.sin(i)) };
  const b = { rows: N, cols: K, data: Float32Array.from({ length: N * K }, (_, i) => Math.cos(i)) };
  const cw = wasm.matmul(a, b, { transB: true });
  const cj = js.matmul(a, b, { transB: true });
  let d = 0, n = 0;
  for (let i = 0; i < cj.data.length; i++) { d += (cw.data[i] - cj.data[i]) ** 2; n += cj.data[i] ** 2; }
  const relaxed = await dl.createBackend('wasm', { relaxedSimd: true });
  const cr = relaxed.matmul(a, b, { transB: true });
  let dr = 0;
  for (let i = 0; i < cj.data.length; i++) dr += (cr.data[i] - cj.data[i]) ** 2;
  return {
    variant: wasm.variant, rows: cw.rows, cols: cw.cols, relError: Math.sqrt(d / n), simd: dl.simdSupported(),
    relaxedVariant: relaxed.variant, relaxedRelError: Math.sqrt(dr / n),
  };
}
