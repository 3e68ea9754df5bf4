// The daily loop (issue 10): what is new since the previous fetch, what failed and what simply
// has no match, finding a paper, more of each paper on the page, Undo of a removal, and refresh
// when the page is opened. The fake arXiv's answers change between two fetches as arXiv's do
// from one morning to the next: papers added, one replaced by a new version.

import assert from 'node:assert/strict';
import { appTest } from './support/session.mjs';
import { feed, fixture, httpError, emptyFeed } from './support/fake-arxiv.mjs';
import {
  startWith, fetchAll, waitForSection, rows, rowTitles, markdown, keywordError, waitFor, byTestId,
  section, reload, keywordList, removeKeyword, scrollTo,
} from './support/app.mjs';

const ATOM = 'application/atom+xml; charset=utf-8';

/** The real 10-entry answer cut into its head, its entries and its tail. */
function entriesOf(name) {
  const whole = fixture(name);
  const start = whole.indexOf('<entry>');
  const end = whole.lastIndexOf('</entry>') + '</entry>'.length;
  return { head: whole.slice(0, start), entries: whole.slice(start, end).split(/(?=<entry>)/), tail: whole.slice(end) };
}

/** A feed of the given entries. */
function feedOf({ head, tail }, entries) {
  return { status: 200, body: head + entries.join('\n  ') + tail, contentType: ATOM };
}

/**
 * Yesterday's answer: the first 8 papers of the real answer. Today's: all 10 (two added) with
 * the first one in a new version (v1 -> v2).
 */
function changingFeeds() {
  const parts = entriesOf('search-10-entries.xml');
  const yesterday = feedOf(parts, parts.entries.slice(0, 8));
  const revised = parts.entries.map((e, i) => (i === 0 ? e.replace(/(<id>http:\/\/arxiv\.org\/abs\/2202\.12139)v1</, '$1v2<') : e));
  assert.notEqual(revised[0], parts.entries[0], 'the first paper gets a new version');
  return { yesterday, today: feedOf(parts, revised) };
}

const progressText = (page) => page.locator(byTestId('progress')).innerText();

async function waitForRunEnd(page) {
  return waitFor('the run to end', async () => {
    const text = await progressText(page);
    return /^(Done|Cancelled):/.test(text) && !(await page.locator(byTestId('fetch-all')).isDisabled()) && text;
  }, { timeout: 60_000 });
}

const newCount = (page, kw) => section(page, kw).locator(byTestId('new-count')).innerText();
const markedRows = (page, kw) => rows(page, kw).and(page.locator('[data-new="true"]'));

appTest('the second fetch marks new and updated papers, counts them, filters them and sums them up', async ({ page, site, arxiv }) => {
  const { yesterday, today } = changingFeeds();
  arxiv.answer('Software Testing', yesterday);
  arxiv.answer('Quiet Topic', feed('single-entry.xml'));
  await startWith(page, { site, arxiv, keywords: ['Software Testing', 'Quiet Topic'] });
  await fetchAll(page);
  await waitForSection(page, 'Software Testing', 8);
  assert.equal(await waitForRunEnd(page), 'Done: 2 fetched, 9 new papers.');
  assert.equal(await newCount(page, 'Software Testing'), '8', 'the first fetch: everything is new');

  arxiv.answer('Software Testing', today);
  await fetchAll(page);
  await waitForSection(page, 'Software Testing', 10);
  assert.equal(await waitForRunEnd(page), 'Done: 2 fetched, 2 new papers, 1 updated.');

  // The rows: two "New", one "updated to v2", the rest unmarked.
  await scrollTo(page, 'Software Testing');
  assert.equal(await markedRows(page, 'Software Testing').count(), 3);
  assert.equal(await rows(page, 'Software Testing').locator(byTestId('new-badge')).count(), 2);
  const updated = rows(page, 'Software Testing').locator(byTestId('updated-label'));
  assert.equal(await updated.count(), 1);
  assert.equal(await updated.innerText(), 'updated to v2');
  assert.equal(await rows(page, 'Quiet Topic').and(page.locator('[data-new="true"]')).count(), 0, 'nothing new in the quiet topic');

  // The headers and the summary at the top.
  assert.equal(await newCount(page, 'Software Testing'), '2');
  assert.match(await section(page, 'Software Testing').innerText(), /10 papers · 2 new · 1 updated/);
  assert.equal(await newCount(page, 'Quiet Topic'), '0');
  assert.equal(await page.locator(byTestId('arrivals')).innerText(), '2 new and 1 updated papers in 1 topic since the previous fetch');

  // Only new and updated rows; the quiet topic has none and is hidden.
  await page.locator(byTestId('filter-new')).check();
  await waitFor('the filter to apply', async () => (await rows(page, 'Software Testing').count()) === 3);
  assert.equal(await section(page, 'Quiet Topic').isVisible(), false, 'a section with no new paper is hidden');
  await page.locator(byTestId('filter-new')).uncheck();
  await waitForSection(page, 'Software Testing', 10);
  assert.equal(await section(page, 'Quiet Topic').isVisible(), true);

  // The marks are kept until the next fetch: a reload shows them again, with no request.
  const before = arxiv.requests().length;
  await reload(page);
  await waitForSection(page, 'Software Testing', 10);
  assert.equal(await newCount(page, 'Software Testing'), '2');
  assert.equal(await markedRows(page, 'Software Testing').count(), 3);
  assert.equal(arxiv.requests().length, before, 'no request after a reload');

  // A third identical fetch: nothing is new any more.
  await fetchAll(page);
  assert.equal(await waitForRunEnd(page), 'Done: 2 fetched, no new papers.');
  assert.equal(await newCount(page, 'Software Testing'), '0');
  assert.equal(await page.locator(byTestId('arrivals')).innerText(), 'No new papers since the previous fetch');
});

appTest('a run with failures and an empty answer says what happened, and jumps to the first failure', async ({ page, site, arxiv }) => {
  arxiv.answer('Good Topic', feed('single-entry.xml'));
  arxiv.answer('Empty Topic', emptyFeed());
  arxiv.answer('Broken Topic', httpError(404));
  arxiv.answer('Later Broken', httpError(404));
  await startWith(page, { site, arxiv, keywords: ['Good Topic', 'Empty Topic', 'Broken Topic', 'Later Broken'] });
  await fetchAll(page);
  assert.equal(await waitForRunEnd(page), 'Done: 1 fetched, 1 with no match, 2 failed, 1 new paper.');

  // No match: asked twice (one retry), a neutral sentence with the time, no error, not failed.
  assert.equal(arxiv.requestsFor('Empty Topic').length, 2, arxiv.describe());
  const note = section(page, 'Empty Topic').locator(byTestId('no-match'));
  assert.match(await note.innerText(), /^No paper matches this topic yet \(checked at \d\d:\d\d\)$/);
  assert.equal(await keywordError(page, 'Empty Topic'), '');
  assert.equal(await section(page, 'Empty Topic').getAttribute('data-failed'), null);
  const color = await note.evaluate((el) => getComputedStyle(el).color);
  const errorColor = await section(page, 'Broken Topic').locator(byTestId('keyword-error')).evaluate((el) => getComputedStyle(el).color);
  assert.notEqual(color, errorColor, 'no match is not shown in the error colour');

  // The README leaves the empty topic out, with a neutral note.
  const md = await markdown(page);
  assert.ok(md.includes('## Good Topic\n') && !md.includes('## Empty Topic'), md.slice(0, 400));
  assert.match(await page.locator(byTestId('readme-no-match')).innerText(), /No paper matches yet.*Empty Topic/);

  // Jump to the first failure: focus moves to its section.
  await page.locator(byTestId('jump-to-failure')).click();
  const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-keyword'));
  assert.equal(focused, 'Broken Topic');
});

appTest('Cancel: the summary counts what was fetched and what was not', async ({ page, site, arxiv }) => {
  arxiv.answer('First Topic', feed('single-entry.xml'));
  arxiv.answer('Second Topic', { ...feed('search-10-entries.xml'), delayMs: 3000 });
  arxiv.answer('Third Topic', feed('single-entry.xml'));
  await startWith(page, { site, arxiv, keywords: ['First Topic', 'Second Topic', 'Third Topic'] });
  await fetchAll(page);
  await waitFor('the second request', async () => arxiv.requests().length === 2);
  await page.locator(byTestId('fetch-cancel')).click();
  assert.equal(await waitForRunEnd(page), 'Cancelled: 2 fetched, 1 not fetched, 11 new papers.');
});

appTest('a fetch that brings new papers keeps the reader\'s open abstract and focus on their paper, wherever it moves', async ({ page, site, arxiv }) => {
  // Yesterday: the real answer less its first two papers. Today: those two on top, and the
  // paper the reader is on revised (v2 -> v3): the same paper, two rows further down.
  const parts = entriesOf('search-10-entries.xml');
  const revised = parts.entries.map((e, i) => (i === 2 ? e.replace(/(<id>[^<]*v)(\d+)</, (_, id, v) => `${id}${Number(v) + 1}<`) : e));
  assert.notEqual(revised[2], parts.entries[2], 'the third paper gets a new version');
  arxiv.answer('Software Testing', feedOf(parts, parts.entries.slice(2)));
  await startWith(page, { site, arxiv, keywords: ['Software Testing'] });
  await fetchAll(page);
  await waitForRunEnd(page);
  await waitForSection(page, 'Software Testing', 8);
  const title = await rows(page, 'Software Testing').first().locator('td.title > a').innerText();
  const show = rows(page, 'Software Testing').first().locator('summary');
  await show.focus();
  await page.keyboard.press('Enter');
  await waitFor('the abstract to open', async () => rows(page, 'Software Testing').first().locator('details').evaluate((d) => d.open));

  // Fetch all started without moving the focus, as refresh on open starts it.
  arxiv.answer('Software Testing', feedOf(parts, revised));
  await page.locator(byTestId('fetch-all')).evaluate((button) => button.click());
  await waitForSection(page, 'Software Testing', 10);
  await waitForRunEnd(page);
  const moved = rows(page, 'Software Testing').nth(2);
  assert.equal(await moved.locator('td.title > a').innerText(), title, 'the reader\'s paper, two rows down');
  assert.equal(await moved.locator('details').evaluate((d) => d.open), true, 'its abstract still open');
  await waitFor('its abstract text', async () => (await moved.locator('details > p').count()) > 0);
  assert.ok((await moved.locator('details > p').last().innerText()).length > 100, 'with its text');
  assert.deepEqual(await rows(page, 'Software Testing').locator('details').evaluateAll((ds) => ds.map((d) => d.open)),
    [false, false, true, false, false, false, false, false, false, false], 'no other abstract opened');
  assert.equal(await page.evaluate(() => document.activeElement?.tagName === 'SUMMARY'
    && document.activeElement.closest('tr')?.getAttribute('aria-rowindex')), '4', 'the focus on its "Show" (row 3 after the header)');

  // The next answer no longer lists it: the focus goes to its section, not the page's top.
  arxiv.answer('Software Testing', feedOf(parts, parts.entries.filter((_, i) => i !== 2)));
  await page.locator(byTestId('fetch-all')).evaluate((button) => button.click());
  await waitForSection(page, 'Software Testing', 9);
  await waitForRunEnd(page);
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.keyword), 'Software Testing', 'the focus on the section');
});

appTest('another topic\'s papers arriving add their "also in" notes to a table without closing the abstract the reader opened or moving their focus', async ({ page, site, arxiv }) => {
  // Fetch all: the first topic comes at once, the second (the same papers) a while later.
  arxiv.answer('Software Testing', feed('search-10-entries.xml'));
  arxiv.answer('Other Topic', { ...feed('search-10-entries.xml'), delayMs: 5000 });
  await startWith(page, { site, arxiv, keywords: ['Software Testing', 'Other Topic'] });
  await fetchAll(page);
  await waitForSection(page, 'Software Testing', 10);
  // Meanwhile the reader opens the first abstract from the keyboard and stays on it.
  const first = rows(page, 'Software Testing').first();
  const show = first.locator('summary');
  await show.focus();
  await page.keyboard.press('Enter');
  await waitFor('the abstract to open', async () => first.locator('details').evaluate((d) => d.open));
  await page.evaluate(() => { window.__readerOn = document.activeElement; });
  assert.equal(await first.locator(byTestId('also-in')).count(), 0, 'opened before the other topic\'s papers came');

  await waitForRunEnd(page);
  await waitForSection(page, 'Other Topic', 10);
  const note = first.locator(byTestId('also-in'));
  await waitFor('the note on the open row', async () => (await note.count()) === 1);
  assert.equal(await note.innerText(), 'also in: Other Topic');
  assert.equal(await rows(page, 'Software Testing').locator(byTestId('also-in')).count(), 10, 'every shared paper noted');
  assert.equal(await first.locator('details').evaluate((d) => d.open), true, 'the abstract stays open');
  assert.ok((await first.locator('details > p').last().innerText()).length > 100, 'with its text');
  assert.equal(await page.evaluate(() => document.activeElement === window.__readerOn && document.activeElement.isConnected), true,
    'the focus stays on the same "Show"');
});

appTest('search finds a paper by an author across sections; "also in" names the other topic', async ({ page, site, arxiv }) => {
  arxiv.answer('Software Testing', feed('search-10-entries.xml'));
  arxiv.answer('Testing Again', feed('search-10-entries.xml'));
  arxiv.answer('Other Topic', feed('single-entry.xml'));
  await startWith(page, { site, arxiv, keywords: ['Software Testing', 'Testing Again', 'Other Topic'] });
  await fetchAll(page);
  await waitForRunEnd(page);
  await waitForSection(page, 'Software Testing', 10);

  const also = rows(page, 'Software Testing').first().locator(byTestId('also-in'));
  assert.equal(await also.innerText(), 'also in: Testing Again');
  assert.equal(await rows(page, 'Other Topic').locator(byTestId('also-in')).count(), 0);

  const box = page.locator(byTestId('search-papers'));
  await box.fill('gotlieb');
  await waitFor('the search to filter', async () => (await rows(page, 'Software Testing').count()) === 1);
  assert.match(await rows(page, 'Software Testing').first().innerText(), /Gotlieb/);
  assert.equal(await page.locator(byTestId('search-count')).innerText(), '2 papers match');
  assert.equal(await section(page, 'Other Topic').isVisible(), false, 'a section with no match is hidden');
  await box.fill('gotlieb nosuchword');
  await waitFor('no match', async () => (await page.locator(byTestId('search-count')).innerText()) === 'No paper matches');
  await box.fill('');
  await waitForSection(page, 'Software Testing', 10);
  await waitForSection(page, 'Other Topic', 1);
});

appTest('each row shows its authors and links; comment addresses are links, javascript: is not', async ({ page, site, arxiv }) => {
  arxiv.answer('Links', feed('comment-links.xml'));
  await startWith(page, { site, arxiv, keywords: ['Links'] });
  await fetchAll(page);
  await waitForSection(page, 'Links', 2);
  const [first, second] = [rows(page, 'Links').nth(0), rows(page, 'Links').nth(1)];
  assert.equal(await first.locator(byTestId('authors')).innerText(), 'Ada Lovelace, Charles Babbage, Grace Hopper et al.');
  assert.equal(await first.locator(byTestId('abs-link')).getAttribute('href'), 'http://arxiv.org/abs/2511.00001v1');
  assert.equal(await first.locator(byTestId('pdf-link')).getAttribute('href'), 'http://arxiv.org/pdf/2511.00001v1');
  // The comment's address is a link; the sentence around it stays text.
  const link = first.locator('td.comment a');
  assert.equal(await link.getAttribute('href'), 'https://example.org/code');
  assert.equal(await first.locator('td.comment').innerText(), '12 pages; code at https://example.org/code.');
  // A script address stays text.
  assert.equal(await second.locator('td.comment a').count(), 0);
  assert.equal(await second.locator('td.comment').innerText(), 'click javascript:alert(1) or JavaScript:alert(2)');
  assert.equal(await page.locator('a[href^="javascript" i]').count(), 0);
  // Every author next to the abstract.
  await first.locator('summary').click();
  await waitFor('all authors', async () => (await first.locator(byTestId('all-authors')).count()) === 1);
  assert.equal(await first.locator(byTestId('all-authors')).innerText(), 'Ada Lovelace, Charles Babbage, Grace Hopper, Alan Turing, Edsger Dijkstra');
  // The README's columns do not change.
  assert.ok(!(await markdown(page)).includes('Ada Lovelace'));
});

appTest('Undo brings back a removed topic with its papers and history, also after a reload', async ({ page, site, arxiv }) => {
  const { yesterday } = changingFeeds();
  arxiv.answer('Software Testing', yesterday);
  arxiv.answer('Kept Topic', feed('single-entry.xml'));
  await startWith(page, { site, arxiv, keywords: ['Software Testing', 'Kept Topic'] });
  await fetchAll(page);
  await waitForRunEnd(page);
  await waitForSection(page, 'Software Testing', 8);

  const bar = page.locator(byTestId('undo-bar'));
  await removeKeyword(page, 'Software Testing');
  await waitFor('the undo offer', () => bar.isVisible());
  assert.match(await bar.innerText(), /Removed \u201cSoftware Testing\u201d/);
  await page.locator(byTestId('undo')).click();
  await waitForSection(page, 'Software Testing', 8);
  assert.deepEqual(await keywordList(page), ['Software Testing', 'Kept Topic'], 'back in its place');
  assert.equal(await bar.isVisible(), false);

  // Removed, then the page reloaded: the offer is still there, and Undo still works.
  await removeKeyword(page, 'Software Testing');
  await waitFor('the undo offer', () => bar.isVisible());
  await reload(page);
  await waitFor('the undo offer after a reload', () => bar.isVisible());
  assert.deepEqual(await keywordList(page), ['Kept Topic']);
  await page.locator(byTestId('undo')).click();
  await waitForSection(page, 'Software Testing', 8);
  assert.deepEqual(await keywordList(page), ['Software Testing', 'Kept Topic']);

  // Its history came back too: the same answer again brings nothing new.
  await fetchAll(page);
  assert.equal(await waitForRunEnd(page), 'Done: 2 fetched, no new papers.');
  assert.equal(await newCount(page, 'Software Testing'), '0');

  // Remove all: one offer for every topic.
  await page.getByRole('button', { name: /Remove all/ }).click();
  await waitFor('the undo offer', async () => /Removed 2 topics/.test(await bar.innerText()));
  await page.locator(byTestId('undo')).click();
  await waitForSection(page, 'Kept Topic', 1);
  assert.deepEqual(await keywordList(page), ['Software Testing', 'Kept Topic']);
});

appTest('refresh on open starts Fetch all when the last fetch is older than the setting', async ({ page, site, arxiv }) => {
  arxiv.answer('Software Testing', feed('single-entry.xml'));
  await startWith(page, { site, arxiv, keywords: ['Software Testing'] });
  await fetchAll(page);
  await waitForRunEnd(page);
  assert.equal(await page.locator(byTestId('settings-refresh-on-open')).isChecked(), true, 'on by default');
  assert.equal(await page.locator(byTestId('settings-refresh-hours')).inputValue(), '12');
  // Every N hours (a new user's default is after each arXiv announcement: reading.test.mjs).
  await page.locator(byTestId('settings-refresh-mode-hours')).check();

  // A recent fetch: a reload asks nothing.
  await reload(page);
  await waitForSection(page, 'Software Testing', 1);
  assert.equal(arxiv.requests().length, 1);

  // The fetch made 13 hours ago: opening the page fetches again, with the usual progress.
  await page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('daily-papers');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const store = open.result.transaction('results', 'readwrite').objectStore('results');
      const all = store.getAllKeys();
      all.onsuccess = () => {
        for (const key of all.result) {
          const get = store.get(key);
          get.onsuccess = () => {
            const r = JSON.parse(get.result);
            if (r.fetched_at) r.fetched_at.unix_ms -= 13 * 3600 * 1000;
            store.put(JSON.stringify(r), key);
          };
        }
        store.transaction.oncomplete = () => resolve();
      };
    };
  }));
  await reload(page);
  await arxiv.waitForRequests(2);
  assert.match(await waitForRunEnd(page), /^Done: 1 fetched/);

  // Turned off: an old fetch is left alone.
  await page.locator(byTestId('settings-refresh-on-open')).uncheck();
  await page.locator(byTestId('settings-refresh-hours')).fill('1');
  await page.locator(byTestId('settings-refresh-hours')).press('Tab');
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 200)));
  const requests = arxiv.requests().length;
  await page.evaluate(() => new Promise((resolve) => {
    const open = indexedDB.open('daily-papers');
    open.onsuccess = () => {
      const store = open.result.transaction('results', 'readwrite').objectStore('results');
      const all = store.getAllKeys();
      all.onsuccess = () => {
        for (const key of all.result) {
          const get = store.get(key);
          get.onsuccess = () => {
            const r = JSON.parse(get.result);
            if (r.fetched_at) r.fetched_at.unix_ms -= 2 * 3600 * 1000;
            store.put(JSON.stringify(r), key);
          };
        }
        store.transaction.oncomplete = () => resolve();
      };
    };
  }));
  await reload(page);
  await waitForSection(page, 'Software Testing', 1);
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 1500)));
  assert.equal(arxiv.requests().length, requests, 'no request with the setting off');
  assert.equal(await page.locator(byTestId('settings-refresh-hours')).inputValue(), '1', 'the hours are kept');
  assert.equal(await page.locator(byTestId('settings-refresh-on-open')).isChecked(), false);
});
