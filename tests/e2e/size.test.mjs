// The size budget (issue 5, point 3; raised by issue 8 for IndexedDB and serde_json, with room
// for the next features): every visitor downloads the whole app, so the gzipped wasm + JS + CSS
// + HTML of the release build must stay at most 180 KB. Reports the figure.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUDGET_BYTES, gzippedSizes } from './support/size.mjs';

test(`the release build is at most ${BUDGET_BYTES / 1000} KB gzipped (wasm + JS + CSS + HTML)`, (t) => {
  const sizes = gzippedSizes();
  assert.ok(sizes.some((s) => s.kind === 'wasm'), 'dist/ holds the wasm module');
  assert.ok(sizes.some((s) => s.kind === 'js'), 'dist/ holds the JS glue');
  for (const s of sizes) t.diagnostic(`${s.file}: ${s.bytes} bytes, ${s.gzipped} gzipped`);
  const total = sizes.reduce((sum, s) => sum + s.gzipped, 0);
  t.diagnostic(`total gzipped: ${total} bytes (${(total / 1000).toFixed(1)} kB, ${(total / 1024).toFixed(1)} KiB) of a ${BUDGET_BYTES}-byte (${BUDGET_BYTES / 1000} kB) budget`);
  assert.ok(total <= BUDGET_BYTES, `the app is ${total} bytes gzipped, over the ${BUDGET_BYTES}-byte budget`);
});
