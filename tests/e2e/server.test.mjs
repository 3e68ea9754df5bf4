// Issue 4: the project's own server serves the built app at / and answers /api/query by
// forwarding to arXiv (here the fake one). The app, with its default same-origin endpoint,
// fetches through it; a second fetch is answered from the server's cache.

import assert from 'node:assert/strict';
import { test, before, after } from 'node:test';
import { launchChromium, watchPage } from './support/session.mjs';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFakeArxiv, feed, httpError } from './support/fake-arxiv.mjs';
import { startDailyPapersServer } from './support/daily-papers-server.mjs';
import {
  openApp, clearKeywords, addKeywords, setSetting, fetchAll, waitForSection, markdown, settingValue,
  section, waitFor,
} from './support/app.mjs';

let browser;
let arxiv;
let server;

before(async () => {
  arxiv = await startFakeArxiv({
    'Software Testing': feed('search-10-entries.xml'),
    Graphs: feed('legacy-layout-cs.xml'),
  });
  server = await startDailyPapersServer({ upstream: arxiv.url });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await arxiv?.close();
});

/** A fresh browser profile on the server's page, with every /api/query answer recorded. */
async function openUser() {
  const context = await browser.newContext({ timezoneId: 'UTC' });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const seen = watchPage(page);
  const answers = [];
  page.on('response', (res) => {
    if (res.url().includes('/api/query')) answers.push({ url: res.url(), status: res.status(), cache: res.headers()['x-cache'] });
  });
  await openApp(page, server.url);
  return { context, page, seen, answers };
}

/** A user's fetch of the two keywords through the default, same-origin endpoint. */
async function fetchTwoKeywords(page) {
  await clearKeywords(page);
  await setSetting(page, 'settings-spacing', 1);
  await addKeywords(page, ['Software Testing', 'Graphs']);
  await fetchAll(page);
  await waitForSection(page, 'Software Testing', 10);
  await waitForSection(page, 'Graphs', 1);
}

test('the app served by daily-papers-server loads and fetches through its /api/query', { timeout: 120_000 }, async () => {
  const first = await openUser();
  let second;
  try {
    await first.page.waitForLoadState('networkidle');
    assert.deepEqual(first.seen.consoleErrors, [], 'no console errors when served by the server');
    assert.equal(await settingValue(first.page, 'settings-endpoint'), '/api/query', 'the default endpoint is same-origin');

    await fetchTwoKeywords(first.page);
    assert.ok((await markdown(first.page)).includes('## Graphs\n| **Title**'), 'the markdown has the fetched tables');
    assert.equal(first.answers.length, 2, 'one /api/query answer per keyword');
    for (const a of first.answers) {
      assert.ok(a.url.startsWith(server.url + 'api/query?'), `same origin as the page: ${a.url}`);
      assert.equal(a.status, 200);
    }
    assert.deepEqual(first.answers.map((a) => a.cache), ['MISS', 'MISS'], 'first answers come from upstream');
    assert.deepEqual(arxiv.requests().map((r) => r.keyword), ['Software Testing', 'Graphs'], 'the server forwarded each query once');

    // Another user (another browser profile) asking the same is answered from the server's cache.
    second = await openUser();
    await fetchTwoKeywords(second.page);
    assert.deepEqual(second.answers.map((a) => a.cache), ['HIT', 'HIT'], 'the second user gets cached answers');
    assert.equal(arxiv.requests().length, 2, 'cached answers make no upstream request');
    assert.equal(await markdown(second.page), await markdown(first.page), 'both users get the same README');
    assert.deepEqual([...first.seen.pageErrors, ...second.seen.pageErrors], []);
  } catch (e) {
    e.message += `\n--- server log ---\n${server.log().slice(-4000)}`;
    throw e;
  } finally {
    await first.context.close();
    await second?.context.close();
  }
});

test('"Subscribe in a feed reader" gives the list\'s feed on the server, answered from what the page fetched', { timeout: 120_000 }, async () => {
  const user = await openUser();
  try {
    await user.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url.replace(/\/$/, '') });
    await fetchTwoKeywords(user.page);
    const before = arxiv.requests().length;
    await user.page.locator('[data-testid="share-feed"]').click();
    await user.page.locator('[data-testid="share-status"]').filter({ hasText: 'Feed address copied' }).waitFor();
    const address = await user.page.evaluate(() => navigator.clipboard.readText());
    assert.ok(address.startsWith(`${server.url}feed?list=`), address);
    const response = await user.page.request.get(address);
    assert.equal(response.status(), 200);
    assert.match(response.headers()['content-type'], /atom/);
    const body = await response.text();
    const titles = [...body.matchAll(/<entry>[\s\S]*?<title[^>]*>([^<]*)<\/title>/g)].map((m) => m[1]);
    assert.ok(titles.length >= 11, `every fetched paper has an entry: ${titles.length}`);
    assert.equal(arxiv.requests().length, before, 'the feed is answered from the server\'s cache, no request to arXiv');
  } catch (e) {
    e.message += `\n--- server log ---\n${server.log().slice(-4000)}`;
    throw e;
  } finally {
    await user.context.close();
  }
});

test('while arXiv fails, the server\'s stale answer is shown with its real time and leaves the README\'s date', { timeout: 180_000 }, async () => {
  const KW = 'Stale Topic';
  const upstream = await startFakeArxiv({ [KW]: feed('search-10-entries.xml') });
  // A cache lifetime of 0: every query goes to arXiv, and the last answer stays as a fallback.
  const proxy = await startDailyPapersServer({ upstream: upstream.url, flags: ['--cache-ttl-secs', '0'] });
  const context = await browser.newContext({ timezoneId: 'UTC' });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  try {
    // The first fetch, a few seconds before midnight on the page's clock.
    await page.clock.setFixedTime(new Date('2026-12-06T23:59:50Z'));
    await openApp(page, proxy.url);
    await clearKeywords(page);
    await setSetting(page, 'settings-spacing', 1);
    await addKeywords(page, [KW]);
    await fetchAll(page);
    await waitForSection(page, KW, 10);
    await waitFor('the README of the run', async () => (await markdown(page)).includes('## Stale Topic\n'));
    assert.ok((await markdown(page)).includes('Last update: 2026-12-06\n'));

    // arXiv fails; the server answers with what it fetched (its Age: at least 3 s ago), marked
    // stale. On the page's clock it is now just past midnight.
    upstream.answer(KW, httpError(500));
    await sleep(3_500);
    await page.clock.setFixedTime(new Date('2026-12-07T00:00:01Z'));
    await fetchAll(page);
    const meta = section(page, KW).locator('.section-header > .meta').first();
    await waitFor('the stale note', async () => /arXiv unreachable/.test(await meta.innerText()));
    assert.match(await meta.innerText(), /from 23:59 yesterday \u2014 arXiv unreachable/);
    await waitFor('the run to end', async () => !(await page.locator('[data-testid="fetch-all"]').isDisabled()));
    const md = await markdown(page);
    assert.ok(md.includes('Last update: 2026-12-06\n'), `the stale answer leaves the date: ${md.slice(0, 200)}`);
    assert.ok(md.includes('## Stale Topic\n'), 'its papers stay in the README');
  } catch (e) {
    e.message += `\n--- server log ---\n${proxy.log().slice(-4000)}`;
    throw e;
  } finally {
    await context.close();
    await proxy.stop();
    await upstream.close();
  }
});
