// One headless Chromium and one static server per test file; a fresh browser context (empty
// storage, no cookies), a fresh fake arXiv and fresh error watchers per test. `appTest` wraps
// node:test's `test` so that every test also fails on an uncaught error or a dialog in the page.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { startStaticServer } from './static-server.mjs';
import { startFakeArxiv } from './fake-arxiv.mjs';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Headless Chromium with [`CHROMIUM_ARGS`] and any `extraArgs` (the benchmark's V8 flags). */
export async function launchChromium(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
}

let browser;
let site;

/** Registers the per-file browser and static server. Called once per test file, at top level. */
function ensureHooks() {
  if (ensureHooks.done) return;
  ensureHooks.done = true;
  before(async () => {
    browser = await launchChromium();
    site = await startStaticServer();
  });
  after(async () => {
    await browser?.close();
    await site?.close();
  });
}

/**
 * Everything a page did that a user would see as broken: uncaught exceptions (a Rust panic shows
 * up here), console errors, and dialogs (an `alert` means injected script ran).
 */
export function watchPage(page) {
  const seen = { pageErrors: [], consoleErrors: [], dialogs: [] };
  page.on('pageerror', (e) => seen.pageErrors.push(String(e?.stack ?? e)));
  page.on('console', (m) => {
    if (m.type() === 'error') seen.consoleErrors.push(m.text());
  });
  page.on('dialog', async (d) => {
    seen.dialogs.push(`${d.type()}: ${d.message()}`);
    await d.dismiss().catch(() => {});
  });
  return seen;
}

/**
 * A browser test against the built app. The body gets `{ page, arxiv, site, context, seen, newPage }`:
 * the fake arXiv is fresh for the test; `site.url` is the app. `newPage()` opens another tab in
 * the same context (same storage), for reload-like checks with a clean request log.
 */
export function appTest(name, body, { timeout = 90_000, script = {}, viewport } = {}) {
  ensureHooks();
  test(name, { timeout }, async () => {
    const arxiv = await startFakeArxiv(script);
    const context = await browser.newContext({
      timezoneId: 'UTC',
      locale: 'en-US',
      acceptDownloads: true,
      viewport: viewport ?? { width: 1280, height: 900 },
    });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.origin });
    const seens = [];
    const newPage = async () => {
      const p = await context.newPage();
      p.setDefaultTimeout(20_000);
      seens.push(watchPage(p));
      return p;
    };
    const page = await newPage();
    try {
      await body({ page, arxiv, site, context, seen: seens[0], newPage });
      const pageErrors = seens.flatMap((s) => s.pageErrors);
      const dialogs = seens.flatMap((s) => s.dialogs);
      assert.deepEqual(pageErrors, [], 'the page threw an uncaught error (a panic?)');
      assert.deepEqual(dialogs, [], 'the page opened a dialog');
    } finally {
      await context.close().catch(() => {});
      await arxiv.close();
    }
  });
}
