// The demo page, bundled by Vite. It imports the built package by its name, as an app would.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // relative asset paths: the built page works from any static server, under any sub-path
  base: './',
  resolve: { alias: { 'dl-fundamentals': fileURLToPath(new URL('../dist/index.js', import.meta.url)) } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  // cross-origin isolation, which threads need (SharedArrayBuffer): the dev server and preview
  // send these; a static host must send the same two headers (see the README)
  server: { headers: ISOLATION },
  preview: { headers: ISOLATION },
});
