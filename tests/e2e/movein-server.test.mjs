// The moving-in reader (yaml-reader/, a module Web Worker) under the project's server and its
// Content-Security-Policy (server/src/csp.rs): the worker's script, its module and its wasm are
// the app's own files, so the policy lets them run, and choosing cv-arxiv-daily's config.yaml
// gives the same report as anywhere else, with no violation in the console.

import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, before, after } from 'node:test';
import { launchChromium, watchPage } from './support/session.mjs';
import { startFakeArxiv } from './support/fake-arxiv.mjs';
import { startDailyPapersServer } from './support/daily-papers-server.mjs';
import { openApp, byTestId, waitFor } from './support/app.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const config = path.join(here, '..', '..', 'cli', 'tests', 'fixtures', 'moving_in', 'cv-arxiv-daily.config.yaml');

let browser;
let arxiv;
let server;

before(async () => {
  arxiv = await startFakeArxiv({});
  server = await startDailyPapersServer({ upstream: arxiv.url });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await arxiv?.close();
});

test('the moving-in reader runs under the server\'s Content-Security-Policy', { timeout: 120_000 }, async () => {
  const context = await browser.newContext({ timezoneId: 'UTC' });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const seen = watchPage(page);
  const csp = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) csp.push(m.text());
  });
  const workerAnswers = [];
  page.on('response', (res) => {
    if (/yaml-reader/.test(res.url())) workerAnswers.push({ url: res.url(), policy: res.headers()['content-security-policy'] ?? '' });
  });
  try {
    await openApp(page, server.url);
    await page.locator(byTestId('movein-files')).setInputFiles(config);
    const taken = await waitFor('the report', async () => {
      const lines = await page.locator(`${byTestId('movein-taken')} li`).allInnerTexts();
      return lines.length ? lines : null;
    }, { timeout: 30_000 });
    assert.ok(taken.includes('6 topics with 17 phrases from the keyword groups (searched in titles, where cv-arxiv-daily searched every field)'), taken.join('\n'));
    assert.ok(workerAnswers.some((a) => a.url.endsWith('.wasm')), JSON.stringify(workerAnswers));
    assert.ok(workerAnswers.every((a) => /script-src 'self' 'wasm-unsafe-eval'/.test(a.policy)), 'the worker\'s files carry the policy');
    assert.deepEqual(csp, [], 'no violation');
    assert.deepEqual(seen.pageErrors, []);
  } finally {
    await context.close();
  }
});
