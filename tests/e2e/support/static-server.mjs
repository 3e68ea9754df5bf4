// Serves the built app (dist/) on 127.0.0.1 with the MIME types a browser insists on
// (`application/wasm` for WebAssembly.instantiateStreaming), like any static host would.

import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, '../../..');

/** The built app under test: `$E2E_DIST`, else `dist/` at the repository root. */
export function distDir() {
  const dir = path.resolve(REPO, process.env.E2E_DIST ?? 'dist');
  if (!existsSync(path.join(dir, 'index.html'))) {
    throw new Error(`no built app in ${dir}: run \`trunk build --release\` first (or set E2E_DIST)`);
  }
  return dir;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/**
 * Serves `root` at `/`, and each of `mounts` (`{ '/prefix/': dir }`) under its prefix (the
 * benchmark adds its own module next to the app this way).
 */
export async function startStaticServer(root = distDir(), { mounts = {} } = {}) {
  const server = http.createServer(async (req, res) => {
    const { pathname } = new URL(req.url, 'http://127.0.0.1');
    let base = root;
    let rel = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
    for (const [prefix, dir] of Object.entries(mounts)) {
      if (rel.startsWith(prefix)) {
        base = dir;
        rel = '/' + rel.slice(prefix.length);
      }
    }
    const file = path.resolve(base, '.' + rel);
    if (!file.startsWith(path.resolve(base) + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'Cache-Control': 'no-store',
      });
      res.end(body);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`not found: ${pathname}`);
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    origin: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
