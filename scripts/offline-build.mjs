#!/usr/bin/env node
// The offline part of a release build (called by the Trunk post-build hook, scripts/minify-js.mjs,
// after the JS is minified; the end-to-end tests call it too, to make a second deployment):
//
// - writes the build's version and file list into the service worker (static/sw.js → sw.js), so
//   that every deployment is a new worker that keeps exactly its own files;
// - puts the worker's registration (static/sw-register.js) into index.html, inline (one request
//   fewer; the server's Content-Security-Policy names it by its hash). Development builds
//   (`trunk serve`) never get it, so they never run a worker.
//
// It can run again on its own output: the registration it put in before is replaced.

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { minify } from 'terser';

const SOURCES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../static');
/** Marks the registration script in index.html (so a second run replaces it). */
const MARK = 'data-service-worker';
const REGISTRATION = new RegExp(`<script type="module" ${MARK}>[\\s\\S]*?</script>`);

/** The build in `dir` as it will be served: index.html without a registration, every other file. */
function buildFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath ?? e.path, e.name)).split(path.sep).join('/'))
    .filter((f) => f !== 'sw.js' && !f.split('/').some((part) => part.startsWith('.')))
    .sort();
}

/** Makes `dir` (a built app) work offline; returns the build's version. */
export async function offlineBuild(dir) {
  const htmlPath = path.join(dir, 'index.html');
  const html = readFileSync(htmlPath, 'utf8').replace(REGISTRATION, '');
  const files = buildFiles(dir);
  const hash = createHash('sha256');
  for (const f of files) {
    hash.update(f).update('\0');
    hash.update(f === 'index.html' ? html : readFileSync(path.join(dir, f))).update('\0');
  }
  const version = hash.digest('hex').slice(0, 16);
  const kept = files.filter((f) => f !== 'index.html');

  const worker = readFileSync(path.join(SOURCES, 'sw.js'), 'utf8')
    .replace("const VERSION = 'development';", `const VERSION = ${JSON.stringify(version)};`)
    .replace('const FILES = [];', `const FILES = ${JSON.stringify(kept)};`);
  if (!worker.includes(version)) throw new Error('static/sw.js: no VERSION line to fill in');
  writeFileSync(path.join(dir, 'sw.js'), await minified(worker, false));

  const register = readFileSync(path.join(SOURCES, 'sw-register.js'), 'utf8')
    .replace("const BUILD = 'development';", `const BUILD = ${JSON.stringify(version)};`);
  if (!register.includes(version)) throw new Error('static/sw-register.js: no BUILD line to fill in');
  const tag = `<script type="module" ${MARK}>${await minified(register, true)}</script>`;
  if (!html.includes('</head>')) throw new Error('index.html has no </head>');
  writeFileSync(htmlPath, html.replace('</head>', `${tag}</head>`));
  return version;
}

async function minified(source, module) {
  const { code } = await minify(source, { module, compress: true, mangle: true });
  if (!code) throw new Error('terser returned nothing');
  return code;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: offline-build.mjs <built app folder>');
  console.log(await offlineBuild(dir));
}
