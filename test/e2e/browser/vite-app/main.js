// An app that imports the package by name, as a user's would; Vite bundles it.
import * as dl from 'dl-fundamentals';
import { check } from '../check.js';

check(dl).then(
  (r) => {
    window.__result = r;
    document.getElementById('out').textContent = JSON.stringify(r);
  },
  (e) => {
    window.__result = { error: String(e?.stack || e) };
  },
);
