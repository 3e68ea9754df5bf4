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
writeFileSync(htmlPath, html);

// Then the service worker and its registration, over the minified files (scripts/offline-build.mjs).
const { offlineBuild } = await import('./offline-build.mjs');
await offlineBuild(staging);
