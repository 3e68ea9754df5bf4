// Issue 14: the app served by daily-papers-server carries a strict Content-Security-Policy
// (only the app's own scripts and its Trunk loader, by hash, may run), and the app still works
// under it: it starts, shows keywords, and fetches through /api/query, with no CSP violation
// reported by the page or in the console. /api/query answers carry a sandbox policy of their own.

import assert from 'node:assert/strict';
import { test, before, after } from 'node:test';
import { launchChromium, watchPage } from './support/session.mjs';
import { startFakeArxiv, feed } from './support/fake-arxiv.mjs';
import { startDailyPapersServer } from './support/daily-papers-server.mjs';
import {
  openApp, keywordList, clearKeywords, addKeywords, setSetting, fetchAll, waitForSection, markdown,
} from './support/app.mjs';

let browser;
let arxiv;
let server;

before(async () => {
  arxiv = await startFakeArxiv({ 'Software Testing': feed('search-10-entries.xml') });
  server = await startDailyPapersServer({ upstream: arxiv.url });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await arxiv?.close();
});

/** Records every CSP violation the page reports, from its very first script on. */
async function watchViolations(context, page) {
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sample})`);
    });
  });
  const consoleCsp = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) consoleCsp.push(`${m.type()}: ${m.text()}`);
  });
  return {
    console: consoleCsp,
    reported: () => page.evaluate(() => window.__cspViolations),
  };
}

test('the app runs under its Content-Security-Policy with no violation', { timeout: 120_000 }, async () => {
  const context = await browser.newContext({ timezoneId: 'UTC' });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const seen = watchPage(page);
  const violations = await watchViolations(context, page);
  const documents = [];
  const apiAnswers = [];
  page.on('response', (res) => {
    if (res.request().resourceType() === 'document') documents.push(res.headers());
    if (res.url().includes('/api/query')) apiAnswers.push(res.headers());
  });
  try {
    await openApp(page, server.url);

    const policy = documents[0]?.['content-security-policy'] ?? '';
    assert.match(policy, /^default-src 'none'; script-src 'self' 'wasm-unsafe-eval'( 'sha256-[A-Za-z0-9+/=]+')*;/, `the page's policy: ${policy}`);
    assert.doesNotMatch(policy.split(';')[1], /unsafe-inline|'unsafe-eval'/, 'no inline or eval scripts beyond the hashed loader');

    // The app started (it runs only if the loader and the wasm were allowed) and shows keywords.
    assert.ok((await keywordList(page)).length > 0, 'the first visit shows example keywords');
    await clearKeywords(page);
    await setSetting(page, 'settings-spacing', 1);
    await addKeywords(page, ['Software Testing']);
    assert.deepEqual(await keywordList(page), ['Software Testing']);

    // A fetch through the same-origin endpoint gives a table.
    await fetchAll(page);
    await waitForSection(page, 'Software Testing', 10);
    assert.ok((await markdown(page)).includes('## Software Testing\n| **Title**'), 'the README has the table');
    assert.equal(apiAnswers.length, 1);
    assert.equal(apiAnswers[0]['content-type'], 'application/atom+xml; charset=utf-8');
    assert.equal(apiAnswers[0]['content-security-policy'], "default-src 'none'; sandbox");
    await page.waitForLoadState('networkidle');

    assert.deepEqual(await violations.reported(), [], 'no securitypolicyviolation event');
    assert.deepEqual(violations.console, [], 'no CSP message in the console');
    assert.deepEqual(seen.pageErrors, []);
    assert.deepEqual(seen.consoleErrors, []);

    // The watch itself works: a script injected into the page is blocked and reported.
    const ran = await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__injectedRan = true;';
      document.head.append(script);
      return window.__injectedRan === true;
    });
    assert.equal(ran, false, 'an injected inline script does not run');
    await page.waitForFunction(() => window.__cspViolations.length > 0);
    assert.match((await violations.reported())[0], /script-src/);
  } catch (e) {
    e.message += `\n--- server log ---\n${server.log().slice(-4000)}`;
    throw e;
  } finally {
    await context.close();
  }
});
