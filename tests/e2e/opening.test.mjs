// Issue 24: opening the page every morning. Served by the project's own server, the page keeps
// itself with a service worker: it opens offline with its topics and papers (and says it is
// offline; Fetch waits instead of failing), a new deployment is offered and runs alone once the
// user reloads, it is installable, and on a phone it opens on the papers with the topics and
// settings one tap away.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test, before, after } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, launchChromium, watchPage } from './support/session.mjs';
import { startFakeArxiv, feed } from './support/fake-arxiv.mjs';
import { freePort } from './support/daily-papers-server.mjs';
import { distDir, REPO } from './support/static-server.mjs';
import {
  openApp, reload, keywordList, clearKeywords, addKeywords, setSetting, fetchAll, waitForSection, rows,
  section, byTestId, waitFor, axeViolations, documentWidth,
} from './support/app.mjs';
import { offlineBuild } from '../../scripts/offline-build.mjs';

const TOPIC = 'Software Testing';

let browser;
let arxiv;
const cleanups = [];

before(async () => {
  arxiv = await startFakeArxiv();
  browser = await launchChromium();
});

after(async () => {
  for (const clean of cleanups.reverse()) await clean();
  await browser?.close();
  await arxiv?.close();
});

/**
 * daily-papers-server serving `dist` on `port` in front of the fake arXiv: a fixed port, so that
 * a second deployment can be served at the same origin once the first server is stopped.
 */
async function serve(dist, port) {
  const bin = process.env.E2E_SERVER_BIN ?? path.join(REPO, 'target/server/daily-papers-server');
  const flags = ['--listen', `127.0.0.1:${port}`, '--dist', dist, '--upstream', arxiv.url, '--spacing-ms', '200'];
  const [cmd, args] = existsSync(bin)
    ? [bin, flags]
    : ['cargo', ['run', '--quiet', '--profile', 'server', '-p', 'daily-papers-server', '--', ...flags]];
  const child = spawn(cmd, args, { cwd: REPO, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  let exited = null;
  child.on('exit', (code) => { exited = code; });
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 300_000;
  for (;;) {
    if (exited !== null) throw new Error(`daily-papers-server exited (${exited}):\n${log}`);
    try {
      if ((await fetch(url)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`daily-papers-server did not answer at ${url}:\n${log}`);
    await sleep(200);
  }
  const stop = async () => {
    if (exited !== null) return;
    const done = new Promise((resolve) => child.on('exit', resolve));
    process.kill(-child.pid, 'SIGTERM');
    await Promise.race([done, sleep(10_000)]);
    if (exited === null) process.kill(-child.pid, 'SIGKILL');
  };
  cleanups.push(stop);
  return { url, stop };
}

/** A fresh browser context and page (watched for errors) on a server of `dist`. */
async function open(dist = distDir(), { viewport = { width: 1280, height: 900 }, bypassCSP = false } = {}) {
  const port = await freePort();
  const server = await serve(dist, port);
  const context = await browser.newContext({ timezoneId: 'UTC', locale: 'en-US', viewport, bypassCSP });
  cleanups.push(() => context.close().catch(() => {}));
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const seen = watchPage(page);
  return { server, port, context, page, seen };
}

/** Waits until the page's service worker controls it and has kept its build. */
async function waitForWorker(page) {
  await waitFor('the service worker to control the page', () => page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    return Boolean(navigator.serviceWorker.controller && registration?.active?.state === 'activated');
  }));
}

/** The version the page's service worker keeps (it says so when asked). */
function workerVersion(page) {
  return page.evaluate(() => new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (e) => resolve(e.data);
    navigator.serviceWorker.controller.postMessage('version', [channel.port2]);
  }));
}

/** Every URL the service worker's caches hold, by cache name. */
function keptFiles(page) {
  return page.evaluate(async () => {
    const kept = {};
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      kept[name] = (await cache.keys()).map((r) => r.url);
    }
    return kept;
  });
}

function assertNoErrors(seen) {
  assert.deepEqual(seen.pageErrors, [], 'the page threw an uncaught error (a panic?)');
  assert.deepEqual(seen.dialogs, [], 'the page opened a dialog');
}

test('offline, the page opens with its topics and papers, says so, searches, and Fetch waits for the network', { timeout: 180_000 }, async () => {
  arxiv.answer(TOPIC, feed('search-10-entries.xml'));
  const { page, context, server, seen } = await open();
  await openApp(page, server.url);
  await waitForWorker(page);
  await clearKeywords(page);
  await setSetting(page, 'settings-spacing', 1);
  await addKeywords(page, [TOPIC]);
  await fetchAll(page);
  await waitForSection(page, TOPIC, 10);
  await waitFor('the run to end', () => page.locator(byTestId('fetch-all')).isEnabled());
  const titles = await rows(page, TOPIC).locator('.title').allInnerTexts();
  assert.equal(await page.locator(byTestId('offline-notice')).isVisible(), false, 'online: no offline line');

  // The worker keeps this origin's build and nothing else: no other origin, no /api/ answer.
  const kept = Object.values(await keptFiles(page)).flat();
  assert.ok(kept.some((u) => u.endsWith('.wasm')), `the wasm is kept: ${kept}`);
  assert.ok(kept.some((u) => u.endsWith('/index.html')), 'the page is kept');
  assert.deepEqual(kept.filter((u) => !u.startsWith(server.url) || u.includes('/api/')), [], 'only the build is kept');

  await context.setOffline(true);
  await reload(page);
  assert.deepEqual(await keywordList(page), [TOPIC], 'the same topics');
  await waitForSection(page, TOPIC, 10);
  assert.deepEqual(await rows(page, TOPIC).locator('.title').allInnerTexts(), titles, 'the same papers');
  const notice = page.locator(byTestId('offline-notice'));
  await notice.waitFor({ state: 'visible' });
  assert.match(await notice.innerText(), /You are offline/);

  // Search works on what the page keeps.
  await page.locator(byTestId('search-papers')).fill('gotlieb');
  await waitFor('the search to filter', async () => (await rows(page, TOPIC).count()) === 1);
  assert.match(await rows(page, TOPIC).first().innerText(), /Gotlieb/);
  await page.locator(byTestId('search-papers')).fill('');
  await waitForSection(page, TOPIC, 10);

  // Fetch waits, saying why, rather than failing the topic.
  const queries = [];
  page.on('request', (r) => { if (new URL(r.url()).pathname === '/api/query') queries.push(r.url()); });
  const asked = arxiv.requests().length;
  await fetchAll(page);
  await waitFor('the run to say it waits for the network', async () => /offline: waiting for the network/.test(await page.locator('body').innerText()));
  await sleep(1500);
  assert.equal(await section(page, TOPIC).locator(byTestId('keyword-error')).count(), 0, 'no failure while offline');
  assert.equal(arxiv.requests().length, asked, 'nothing asked of arXiv offline');
  assert.deepEqual(queries, [], 'nothing asked of the endpoint offline');
  await context.setOffline(false);
  await waitFor('the line to go', async () => !(await notice.isVisible()));
  await waitFor('the run to end', () => page.locator(byTestId('fetch-all')).isEnabled(), { timeout: 30_000 });
  // (Answered from the server's own cache: the same query a minute ago.)
  assert.equal(queries.length, 1, 'the run went on once online');
  assert.equal(await section(page, TOPIC).locator(byTestId('keyword-error')).count(), 0);
  assertNoErrors(seen);
});

/**
 * A second deployment made from the first: every hashed file under a new name (as a rebuild with
 * changed code gives) and a mark in index.html, then the offline step of the build run again.
 */
function secondBuild(first) {
  const dir = mkdtempSync(path.join(tmpdir(), 'daily-papers-second-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(first, dir, { recursive: true });
  let html = readFileSync(path.join(dir, 'index.html'), 'utf8');
  const renamed = {};
  for (const name of readdirSync(dir)) {
    const hash = name.match(/-([0-9a-f]{12,16})(?=[._])/)?.[1];
    if (!hash) continue;
    const newName = name.replace(hash, [...hash].reverse().join(''));
    renameSync(path.join(dir, name), path.join(dir, newName));
    html = html.replaceAll(name, newName);
    renamed[name] = newName;
  }
  html = html.replace('</head>', '<meta name="deployment" content="second"></head>');
  writeFileSync(path.join(dir, 'index.html'), html);
  return { dir, renamed };
}

test('a new deployment is offered, and after Reload the page runs the new build only', { timeout: 240_000 }, async () => {
  const first = distDir();
  const { dir, renamed } = secondBuild(first);
  const secondVersion = await offlineBuild(dir);
  assert.ok(Object.keys(renamed).some((n) => n.endsWith('.wasm')) && Object.keys(renamed).some((n) => n.endsWith('.js')));

  const { page, context, server, port, seen } = await open(first);
  await openApp(page, server.url);
  await waitForWorker(page);
  const firstVersion = await workerVersion(page);
  assert.notEqual(firstVersion, secondVersion);
  await clearKeywords(page);
  await addKeywords(page, ['Kept Across Deployments']);

  // The second build replaces the first on the same origin; the browser looks for a new worker
  // (as it does when the page comes back to the front, or hourly).
  await server.stop();
  const second = await serve(dir, port);
  await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
  const offer = page.locator(byTestId('update-offer'));
  await offer.waitFor({ state: 'visible', timeout: 30_000 });
  assert.match(await offer.innerText(), /A new version is ready/);
  // Until the user says so, the page stays as it is: still the first build, still its worker.
  assert.equal(await page.locator('meta[name="deployment"]').count(), 0);
  assert.equal(await workerVersion(page), firstVersion);
  assert.deepEqual(await keywordList(page), ['Kept Across Deployments']);

  const loaded = [];
  page.on('request', (r) => loaded.push(new URL(r.url()).pathname.slice(1)));
  await Promise.all([
    page.waitForEvent('load'),
    page.locator(byTestId('update-reload')).click(),
  ]);
  await page.locator(byTestId('keyword-input')).waitFor({ state: 'visible' });
  assert.equal(await page.locator('meta[name="deployment"]').getAttribute('content'), 'second', 'the new index.html');
  const resources = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname.slice(1)));
  const all = [...loaded, ...resources];
  assert.deepEqual(all.filter((f) => renamed[f]), [], 'no file of the first build after Reload');
  for (const newName of Object.values(renamed).filter((n) => /\.(js|wasm)$/.test(n))) {
    assert.ok(all.includes(newName), `${newName} of the second build is loaded (${all})`);
  }
  await waitForWorker(page);
  assert.equal(await workerVersion(page), secondVersion, 'the second build\'s worker controls the page');
  assert.deepEqual(Object.keys(await keptFiles(page)), [`daily-papers-${secondVersion}`], 'the first build\'s copy is gone');
  assert.equal(await page.locator(byTestId('update-offer')).count(), 0, 'no offer after the switch');
  assert.deepEqual(await keywordList(page), ['Kept Across Deployments'], 'the topics are kept');
  await second.stop();
  void context;
  assertNoErrors(seen);
});

/** The width and height of a PNG, from its header. */
function pngSize(bytes) {
  assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

test('the page is installable: manifest, icons, theme colours, a service worker in control', { timeout: 120_000 }, async () => {
  // A profile of its own rather than a test context: Chromium never installs from an
  // incognito one, and says only that.
  const server = await serve(distDir(), await freePort());
  const profile = mkdtempSync(path.join(tmpdir(), 'daily-papers-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
  });
  cleanups.push(async () => {
    await context.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  });
  const page = context.pages()[0] ?? await context.newPage();
  page.setDefaultTimeout(20_000);
  const seen = watchPage(page);
  await openApp(page, server.url);
  await waitForWorker(page);

  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  const answer = await fetch(new URL(href, server.url));
  assert.equal(answer.status, 200);
  assert.equal(answer.headers.get('content-type'), 'application/manifest+json');
  const manifest = await answer.json();
  assert.equal(manifest.name, 'Daily Papers');
  assert.equal(manifest.display, 'standalone');
  assert.equal(manifest.start_url, '/');
  assert.match(manifest.theme_color, /^#[0-9a-f]{6}$/i);
  assert.match(manifest.background_color, /^#[0-9a-f]{6}$/i);
  const sizes = new Set();
  for (const icon of manifest.icons) {
    const res = await fetch(new URL(icon.src, server.url));
    assert.equal(res.status, 200, `${icon.src} is reachable`);
    assert.equal(res.headers.get('content-type'), icon.type, icon.src);
    if (icon.type === 'image/png') {
      const [w, h] = pngSize(Buffer.from(await res.arrayBuffer()));
      assert.equal(`${w}x${h}`, icon.sizes, `${icon.src} is as large as it says`);
      sizes.add(icon.sizes);
    }
  }
  assert.ok(sizes.has('192x192') && sizes.has('512x512'), 'a 192 and a 512 px icon');
  assert.ok(manifest.icons.some((i) => i.purpose === 'maskable'), 'a maskable icon');

  const themes = await page.locator('meta[name="theme-color"]').evaluateAll((metas) => metas.map((m) => m.media));
  assert.deepEqual(themes.sort(), ['(prefers-color-scheme: dark)', '(prefers-color-scheme: light)']);

  // The worker: this origin's /sw.js, checked on every visit (a new deployment is seen at once).
  const script = await page.evaluate(() => navigator.serviceWorker.controller.scriptURL);
  assert.equal(script, new URL('/sw.js', server.url).href);
  const worker = await fetch(script);
  assert.equal(worker.headers.get('cache-control'), 'no-cache');

  // Chromium's own installability checks.
  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  assert.deepEqual(installabilityErrors, [], 'Chromium finds the page installable');
  assertNoErrors(seen);
});

test('on a phone the page opens on the papers, the topics and settings one tap away, remembered', { timeout: 180_000 }, async () => {
  arxiv.answer(TOPIC, feed('search-10-entries.xml'));
  // (bypassCSP: the server's policy would not let axe-core be injected.)
  const { page, server, seen } = await open(distDir(), { viewport: { width: 390, height: 844 }, bypassCSP: true });
  // A first visit: nothing to read yet, so the panel is open on the topics.
  await openApp(page, server.url);
  const toggle = page.locator(byTestId('panel-toggle'));
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  await clearKeywords(page);
  await setSetting(page, 'settings-spacing', 1);
  await addKeywords(page, [TOPIC]);
  await fetchAll(page);
  await waitForSection(page, TOPIC, 10);
  await waitFor('the run to end', () => page.locator(byTestId('fetch-all')).isEnabled());

  // The next morning: the papers first.
  await page.reload();
  await section(page, TOPIC).waitFor({ state: 'visible' });
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false', 'the panel is closed');
  assert.equal(await page.locator(byTestId('keyword-input')).isVisible(), false, 'the topic editor is one tap away');
  await waitForSection(page, TOPIC, 10);
  await page.evaluate(() => window.scrollTo(0, 0));
  const firstRowTop = await rows(page, TOPIC).first().evaluate((el) => el.getBoundingClientRect().top);
  assert.ok(firstRowTop < 844, `the first paper is on the first screen (at ${firstRowTop} px)`);
  let { scrollWidth, innerWidth } = await documentWidth(page);
  assert.ok(scrollWidth <= innerWidth, `closed: ${scrollWidth} px wide on a ${innerWidth} px screen`);
  assert.deepEqual(await axeViolations(page), [], 'axe, the panel closed');

  // The way back to the top.
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  assert.ok(await page.evaluate(() => window.scrollY > 0));
  await page.locator(byTestId('back-to-top')).click();
  await waitFor('the page to be at the top', () => page.evaluate(() => window.scrollY === 0));

  await toggle.click();
  await page.locator(byTestId('keyword-input')).waitFor({ state: 'visible' });
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  ({ scrollWidth, innerWidth } = await documentWidth(page));
  assert.ok(scrollWidth <= innerWidth, `open: ${scrollWidth} px wide on a ${innerWidth} px screen`);
  assert.deepEqual(await axeViolations(page), [], 'axe, the panel open');

  // Remembered: open again after a reload.
  await reload(page);
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  assertNoErrors(seen);
});

test('a first visit paints the outline before it asks for the module, and the app keeps the outline\'s header', { timeout: 120_000 }, async () => {
  const { page, server, seen } = await open(distDir(), { viewport: { width: 412, height: 823 } });
  // The outline's header marked before the app starts: the app is to keep that very element
  // (its tagline is the page's largest paint, made before the module came).
  await page.addInitScript(() => {
    document.addEventListener('DOMContentLoaded', () => { document.getElementById('top').dataset.outline = 'kept'; });
  });
  await openApp(page, server.url);
  // Not while the stylesheet, which the first paint waits for, is still on its way: the module
  // is asked for once it has come and a frame has been drawn (Trunk's preloads asked at once).
  const seenTimes = await page.evaluate(() => {
    const files = performance.getEntriesByType('resource');
    return {
      stylesheet: files.find((r) => /\/main-[^/]*\.css$/.test(r.name))?.responseEnd ?? null,
      module: files
        .filter((r) => /\/daily-papers-app-[^/]*\.(js|wasm)$/.test(r.name))
        .map((r) => ({ name: r.name.replace(/.*\//, ''), start: r.startTime })),
    };
  });
  assert.notEqual(seenTimes.stylesheet, null, 'the stylesheet is fetched');
  assert.equal(seenTimes.module.length, 2, `the glue and the wasm are fetched: ${JSON.stringify(seenTimes.module)}`);
  for (const { name, start } of seenTimes.module) {
    assert.ok(start > seenTimes.stylesheet, `${name} asked for at ${start.toFixed(1)} ms, before the stylesheet had come (${seenTimes.stylesheet.toFixed(1)} ms)`);
  }
  assert.equal(await page.locator('.site-header').count(), 1, 'one page header');
  assert.equal(await page.locator('header#top').getAttribute('data-outline'), 'kept', "the outline's header, kept by the app");
  assert.equal(await page.locator(byTestId('shell')).count(), 0, 'the outline is gone');
  assertNoErrors(seen);
});

test('a README of real size (about 190 kB, the largest seen) is shown whole in the preview, not cut at 100 kB', { timeout: 120_000 }, async () => {
  // The start of a real Daily Papers README, cut after a table row just past 190 kB: the size of
  // the largest READMEs users keep (116 to 189 kB).
  const text = readFileSync(path.join(REPO, 'core/tests/fixtures/readmes/dailyarxiv/README.md'), 'utf8');
  const readme = text.slice(0, text.indexOf('\n', 190_000) + 1);
  const { page, server, seen } = await open();
  await openApp(page, server.url);
  await clearKeywords(page);
  await page.locator(byTestId('import-open')).click();
  await page.locator(byTestId('import-text')).fill(readme);
  await page.locator(byTestId('import-apply')).click();
  const preview = page.locator(byTestId('markdown-output'));
  const lastRow = readme.trimEnd().split('\n').at(-1).slice(0, 60);
  const shown = await waitFor('the README in the preview', async () => {
    const t = await preview.textContent();
    return t.includes(lastRow) ? t : null;
  });
  assert.ok(readme.length > 190_000 && shown.length >= readme.length - 1_000, `the preview holds ${shown.length} of the README's ${readme.length} characters`);
  assert.equal(await page.locator(byTestId('readme-preview-cut')).isVisible(), false, 'no "first kB" note');
  assert.ok(shown.endsWith('\n'));
  assertNoErrors(seen);
});

test('a development build (trunk serve) gets no worker: the registration comes from the release build step only', async () => {
  const { execFileSync } = await import('node:child_process');
  const staging = mkdtempSync(path.join(tmpdir(), 'daily-papers-staging-'));
  cleanups.push(() => rmSync(staging, { recursive: true, force: true }));
  cpSync(path.join(REPO, 'index.html'), path.join(staging, 'index.html'));
  cpSync(path.join(REPO, 'static/sw.js'), path.join(staging, 'sw.js'));
  const run = (profile) => execFileSync('node', [path.join(REPO, 'scripts/minify-js.mjs')], {
    env: { ...process.env, TRUNK_PROFILE: profile, TRUNK_STAGING_DIR: staging },
  });
  run('debug');
  assert.doesNotMatch(readFileSync(path.join(staging, 'index.html'), 'utf8'), /data-service-worker|serviceWorker/);
  assert.match(readFileSync(path.join(staging, 'sw.js'), 'utf8'), /const VERSION = 'development';/, 'the worker is left unfilled');
  run('release');
  const html = readFileSync(path.join(staging, 'index.html'), 'utf8');
  assert.equal(html.match(/data-service-worker/g)?.length, 1, 'the release build registers the worker once');
  run('release');
  assert.equal(readFileSync(path.join(staging, 'index.html'), 'utf8').match(/data-service-worker/g)?.length, 1, 'and once only when run again');
});
