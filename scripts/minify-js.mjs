#!/usr/bin/env node
// Trunk post-build hook (Trunk.toml): minifies the wasm-bindgen JS glue of a release build.
// Trunk's own minifier gives up on the glue's `export { ... as default }` and ships it as is
// (57 KB); terser makes it less than half that. Trunk has already written the file's
// Subresource Integrity hash into index.html, so the hash is replaced by the new file's.

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { minify } from 'terser';

const staging = process.env.TRUNK_STAGING_DIR;
if (process.env.TRUNK_PROFILE !== 'release' || !staging) process.exit(0);

const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
const htmlPath = path.join(staging, 'index.html');
let html = readFileSync(htmlPath, 'utf8');
for (const file of readdirSync(staging).filter((f) => f.endsWith('.js'))) {
  const jsPath = path.join(staging, file);
  const source = readFileSync(jsPath, 'utf8');
  const { code } = await minify(source, { module: true, compress: true, mangle: true });
  if (!code) throw new Error(`terser returned nothing for ${file}`);
  const [before, after] = [sri(Buffer.from(source)), sri(Buffer.from(code))];
  if (html.includes(before)) html = html.replaceAll(before, after);
  writeFileSync(jsPath, code);
}
writeFileSync(htmlPath, startAfterFirstPaint(html));

/**
 * On a first visit the module is asked for once the page's outline (index.html) is on screen,
 * not while the browser still waits for the stylesheet: Trunk's preloads of the glue and the
 * wasm go, and its start-up script imports the glue after the first frame (or 200 ms, for a tab
 * in the background, which draws no frames). On a slow line the 330 kB module then no longer
 * competes with the stylesheet for the first paint, and the largest paint is the outline's
 * tagline (docs/performance.md, "Opening the page"). A page the service worker serves (every
 * visit after the first) has its files at hand and starts at once.
 */
function startAfterFirstPaint(page) {
  const preloads = /<link\b[^>]*\brel=["']?(?:modulepreload|preload)["']?[^>]*>/g;
  const start = /import init, \* as bindings from (['"][^'"]+['"]);/;
  const wasm = /module_or_path: (['"][^'"]+['"])/;
  // Nothing to do on a page without Trunk's start-up script (or with it already rewritten); the
  // end-to-end test of opening checks that the built page asks for the module after its paint.
  if (!start.test(page) || !wasm.test(page)) return page;
  const afterPaint = 'if (!navigator.serviceWorker?.controller) await new Promise((go) => { requestAnimationFrame(() => setTimeout(go)); setTimeout(go, 200); });';
  // The glue and the module asked for together, as the preloads did.
  const wasmFile = page.match(wasm)[1];
  return page
    .replace(preloads, (link) => (link.includes('daily-papers-app-') ? '' : link))
    .replace(wasm, 'module_or_path: wasmFile')
    .replace(start, `${afterPaint}\nconst wasmFile = fetch(${wasmFile});\nconst bindings = await import($1);\nconst init = bindings.default;`);
}

// Then the service worker and its registration, over the minified files (scripts/offline-build.mjs).
const { offlineBuild } = await import('./offline-build.mjs');
await offlineBuild(staging);
