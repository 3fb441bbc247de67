// The layers and what each may import (npm run lint:deps). Type-only imports count: a cycle of
// types is still two files that cannot be understood apart.
//   core → backends → nn → diagnostics, io, datasets → api, search → index
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'no import cycles, type-only imports included',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-is-the-floor',
      severity: 'error',
      comment: 'core/ (matrices, options, random numbers, exact math) imports nothing of the package above it',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'backends-look-down',
      severity: 'error',
      comment: 'backends know nothing of models, formats, diagnostics, data sets or the api',
      from: { path: '^src/backends/' },
      to: { path: '^src/(nn|io|diagnostics|datasets|api)/' },
    },
    {
      name: 'abstract-backend-not-implementations',
      severity: 'error',
      comment:
        'the Backend, Tensor and the kernel contract import no implementation; only the factory (backends/index.ts) picks one',
      from: { path: '^src/backends/[^/]+[.]ts$', pathNot: '^src/backends/index[.]ts$' },
      to: { path: '^src/backends/(js|wasm)/' },
    },
    {
      name: 'js-and-wasm-apart',
      severity: 'error',
      comment: 'one backend implementation does not import the other',
      from: { path: '^src/backends/js/' },
      to: { path: '^src/backends/wasm/' },
    },
    {
      name: 'wasm-and-js-apart',
      severity: 'error',
      from: { path: '^src/backends/wasm/' },
      to: { path: '^src/backends/js/' },
    },
    {
      name: 'nn-looks-down',
      severity: 'error',
      comment: 'models know nothing of formats, diagnostics, data sets or the api',
      from: { path: '^src/nn/' },
      to: { path: '^src/(io|diagnostics|datasets|api)/' },
    },
    {
      name: 'nn-uses-the-backend-contract',
      severity: 'error',
      comment: 'models use the Backend, not an implementation',
      from: { path: '^src/nn/' },
      to: { path: '^src/backends/(js|wasm)/' },
    },
    {
      name: 'formats-apart-from-diagnostics',
      severity: 'error',
      from: { path: '^src/(io|datasets)/' },
      to: { path: '^src/(diagnostics|api)/' },
    },
    {
      name: 'diagnostics-apart-from-formats',
      severity: 'error',
      from: { path: '^src/(diagnostics|datasets)/' },
      to: { path: '^src/(io|api)/' },
    },
    {
      name: 'datasets-need-only-core',
      severity: 'error',
      from: { path: '^src/datasets/' },
      to: { path: '^src/', pathNot: '^src/(core|datasets)/' },
    },
    {
      name: 'search-sits-on-top',
      severity: 'error',
      comment: 'random search trains models: nothing below it imports it',
      from: { path: '^src/(core|backends|nn|io|diagnostics|datasets|api)/' },
      to: { path: '^src/search/' },
    },
    {
      name: 'nothing-imports-the-entry',
      severity: 'error',
      comment: 'index.ts is the public entry; modules import what they need directly',
      from: { path: '^src/', pathNot: '^src/index[.]ts$' },
      to: { path: '^src/index[.]ts$' },
    },
    {
      name: 'src-is-self-contained',
      severity: 'error',
      comment: 'the package imports no test, bench, demo or example code',
      from: { path: '^src/' },
      to: { path: '^(test|bench|demo|examples|scripts)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '[.]generated[.]ts$' },
  },
};
