// Starts the project's own server (daily-papers-server) on a free port in front of a fake arXiv,
// serving the built app, for tests that load the app from it.

import { spawn } from 'node:child_process';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { distDir, REPO } from './static-server.mjs';

/** A port nobody listens on right now. */
export async function freePort() {
  const probe = net.createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * Starts daily-papers-server with `--dist` the built app and `--upstream` the given fake (asked
 * at most once every `spacingMs`), plus `flags`: `$E2E_SERVER_BIN` if set, else through cargo
 * (`make test` builds it beforehand, so this does not compile). Returns its base URL, its log so
 * far, and a way to stop it.
 */
export async function startDailyPapersServer({ upstream, flags = [], spacingMs = 200 }) {
  const port = await freePort();
  const all = ['--listen', `127.0.0.1:${port}`, '--dist', distDir(), '--upstream', upstream, '--spacing-ms', String(spacingMs), ...flags];
  const [cmd, args] = process.env.E2E_SERVER_BIN
    ? [process.env.E2E_SERVER_BIN, all]
    : ['cargo', ['run', '--quiet', '--profile', 'server', '-p', 'daily-papers-server', '--', ...all]];
  const child = spawn(cmd, args, { cwd: REPO, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  let exited = null;
  child.on('exit', (code) => { exited = code; });

  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 300_000; // a first build through cargo may take minutes
  for (;;) {
    if (exited !== null) throw new Error(`daily-papers-server exited (${exited}):\n${log}`);
    try {
      const res = await fetch(url);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`daily-papers-server did not answer at ${url}:\n${log}`);
    await sleep(200);
  }
  return {
    url,
    log: () => log,
    async stop() {
      if (exited !== null) return;
      const done = new Promise((resolve) => child.on('exit', resolve));
      process.kill(-child.pid, 'SIGTERM'); // the group: cargo and the server it started
      await Promise.race([done, sleep(10_000)]);
      if (exited === null) process.kill(-child.pid, 'SIGKILL');
    },
  };
}
