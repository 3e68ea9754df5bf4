// Browser storage that is corrupt, disabled, full or failing is reported, at load as well as at
// save, and the page keeps working in memory (issue 3, point 4; issue 8, point 6). Papers saved
// by version 1 (in localStorage) are moved to IndexedDB with nothing lost (issue 8, point 2).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { appTest } from './support/session.mjs';
import { feed, bigFeed } from './support/fake-arxiv.mjs';
import {
  openApp, reload, startWith, fetchAll, waitForSection, addKeywords, keywordList, visibleText,
  waitFor, markdown, clearKeywords, setSetting, rowTitles, keywordError, paperCount,
} from './support/app.mjs';

/** Lines of text on screen now that were not there before: where a new message shows up. */
function newLines(before, after) {
  const seen = new Set(before.split('\n').map((l) => l.trim()));
  return after.split('\n').map((l) => l.trim()).filter((l) => l && !seen.has(l));
}

const STORAGE_MESSAGE = /storage|stored|saved|corrupt|damaged|unreadable|could not (be )?read|quota|full|memory/i;

/** Waits for a new line on screen that talks about storage, compared with `baseline`. */
async function expectStorageMessage(page, baseline) {
  return waitFor('a message about browser storage', async () => {
    const lines = newLines(baseline, await visibleText(page));
    return lines.find((l) => STORAGE_MESSAGE.test(l));
  });
}

appTest('corrupt JSON in storage does not break the page', async ({ page, site, arxiv }) => {
  arxiv.answer('Software Testing', feed('search-10-entries.xml'));
  await startWith(page, { site, arxiv, keywords: ['Software Testing'] });
  await fetchAll(page);
  await waitForSection(page, 'Software Testing', 10);
  const keys = await page.evaluate(() => Object.keys(localStorage));
  assert.ok(keys.length > 0, 'the app keeps its state in localStorage');
  // The state the app keeps, then a freshly started page to compare messages with.
  await reload(page);
  const baseline = await visibleText(page);

  for (const junk of ['{"corrupt', '42', 'null', '[{"unexpected": true}]', '\u0000\uFFFF']) {
    await page.evaluate(([keys, junk]) => keys.forEach((k) => localStorage.setItem(k, junk)), [keys, junk]);
    await reload(page);
    const message = await expectStorageMessage(page, baseline);
    assert.ok(message, `a message is shown for stored ${JSON.stringify(junk)}`);
    // Still usable: the input adds a keyword.
    const kw = `After Junk ${keys.length} ${junk.length}`;
    await addKeywords(page, [kw]);
    assert.ok((await keywordList(page)).includes(kw));
  }
});

appTest('corrupt storage is replaced by what the user does next', async ({ page, site, arxiv }) => {
  await startWith(page, { site, arxiv, keywords: ['Kept Keyword'] });
  const keys = await page.evaluate(() => Object.keys(localStorage));
  await page.evaluate((keys) => keys.forEach((k) => localStorage.setItem(k, '{"corrupt')), keys);
  await reload(page);
  await clearKeywords(page);
  await addKeywords(page, ['New Keyword']);
  await reload(page);
  assert.deepEqual(await keywordList(page), ['New Keyword'], 'the new list is saved over the corrupt one');
});

appTest('disabled storage is reported and the page works in memory', async ({ page, site, arxiv, context }) => {
  await openApp(page, site.url);
  const baseline = await visibleText(page);
  await context.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      configurable: true,
      get() {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
    });
  });
  await reload(page);
  await expectStorageMessage(page, baseline);

  arxiv.answer('In Memory', feed('single-entry.xml'));
  await clearKeywords(page);
  await setSetting(page, 'settings-endpoint', arxiv.url);
  await setSetting(page, 'settings-spacing', 1);
  await addKeywords(page, ['In Memory']);
  await fetchAll(page);
  await waitForSection(page, 'In Memory', 1);
  assert.ok((await markdown(page)).includes('## In Memory\n'));
});

/** From now on every write fails as a full storage does: localStorage and IndexedDB. */
async function fillStorage(page) {
  await page.evaluate(() => {
    const full = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    Storage.prototype.setItem = function () {
      throw full();
    };
    IDBObjectStore.prototype.put = function () {
      throw full();
    };
  });
}

appTest('full storage is reported and nothing on screen is lost', async ({ page, site, arxiv }) => {
  arxiv.answer('Software Testing', feed('search-10-entries.xml'));
  arxiv.answer('Graphs', feed('legacy-layout-cs.xml'));
  await startWith(page, { site, arxiv, keywords: ['Software Testing', 'Graphs'] });
  const baseline = await visibleText(page);
  await fillStorage(page);
  await fetchAll(page);
  await waitForSection(page, 'Software Testing', 10);
  await waitForSection(page, 'Graphs', 1);
  await expectStorageMessage(page, baseline);
  assert.deepEqual(await keywordList(page), ['Software Testing', 'Graphs']);
  const md = await markdown(page);
  assert.ok(md.includes('## Software Testing\n') && md.includes('## Graphs\n'), 'the markdown has both keywords');
});

// ---- IndexedDB (issue 8) ----

const storageNotice = (page) => page.locator('[data-testid="storage-error"]');
const sectionCount = (page, keyword) =>
  page.locator(`[data-testid="keyword-section"][data-keyword=${JSON.stringify(keyword)}]`).getAttribute('data-count');

/** Waits until every keyword's section says it holds the expected number of papers. */
async function expectCounts(page, counts) {
  await waitFor(`sections holding ${JSON.stringify(counts)}`, async () => {
    for (const [kw, n] of Object.entries(counts)) {
      if ((await sectionCount(page, kw)) !== String(n)) return false;
    }
    return true;
  });
}

appTest('a reload after a failed save says which keywords\' papers are not saved', async ({ page, site, arxiv }) => {
  arxiv.answer('Software Testing', feed('search-10-entries.xml'));
  arxiv.answer('Graphs', feed('legacy-layout-cs.xml'));
  await startWith(page, { site, arxiv, keywords: ['Software Testing', 'Graphs', 'Saved Fine'] });
  // Papers fail to save (IndexedDB full); the small list of what is missing still fits.
  await page.evaluate(() => {
    IDBObjectStore.prototype.put = function () {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  await fetchAll(page);
  await waitForSection(page, 'Software Testing', 10);
  await waitForSection(page, 'Graphs', 1);
  const atSave = await waitFor('the save failure', async () => {
    const t = await storageNotice(page).innerText();
    return t.includes('\u201cSoftware Testing\u201d') && t.includes('\u201cGraphs\u201d') && t;
  });
  assert.match(atSave, /full/);

  await reload(page);
  const atLoad = await waitFor('the message at load', async () => {
    if (!(await storageNotice(page).isVisible())) return false;
    return storageNotice(page).innerText();
  });
  assert.match(atLoad, /\u201cSoftware Testing\u201d/);
  assert.match(atLoad, /\u201cGraphs\u201d/);
  assert.match(atLoad, /could not be saved/);
  assert.doesNotMatch(atLoad, /Saved Fine/);

  // Fetching again saves them, and the message goes.
  await fetchAll(page);
  await waitForSection(page, 'Software Testing', 10);
  await waitFor('the message to clear after a good save', async () => !(await storageNotice(page).isVisible()));
  await reload(page);
  await expectCounts(page, { 'Software Testing': 10, Graphs: 1 });
  assert.equal(await storageNotice(page).isVisible(), false);
});

appTest('a papers database that cannot be opened is reported at load; the page works in memory', async ({ page, site, arxiv, context }) => {
  arxiv.answer('In Memory', feed('single-entry.xml'));
  await startWith(page, { site, arxiv, keywords: ['In Memory'] });
  await context.addInitScript(() => {
    IDBFactory.prototype.open = function () {
      throw new DOMException('The operation failed for reasons unrelated to the database itself.', 'UnknownError');
    };
  });
  await reload(page);
  const message = await waitFor('a message at load', async () =>
    (await storageNotice(page).isVisible()) && storageNotice(page).innerText());
  assert.match(message, /papers database/);
  await fetchAll(page);
  await waitForSection(page, 'In Memory', 1);
  assert.ok((await markdown(page)).includes('## In Memory\n'));
  const saveMessage = await storageNotice(page).innerText();
  assert.match(saveMessage, /\u201cIn Memory\u201d/, 'the save failure names the keyword');
});

/** What version 1 stored (written by its own writer; see core/tests/fixtures/stored-v1/). */
const v1 = (name) => readFileSync(new URL(`../../core/tests/fixtures/stored-v1/${name}`, import.meta.url), 'utf8');

appTest('papers saved by version 1 are moved to IndexedDB, nothing lost, old entries removed', async ({ page, site, arxiv }) => {
  await openApp(page, site.url);
  const stored = {
    'Software Testing': v1('results-100.json'),
    'Video Understanding': v1('results-10-busy.json'),
    'Never Fetched': v1('results-never.json'),
  };
  // A version 1 storage, exactly as that release left it.
  await page.evaluate(({ stored, settings }) => {
    localStorage.clear();
    localStorage.setItem('daily-papers/v1/keywords', JSON.stringify(Object.keys(stored)));
    localStorage.setItem('daily-papers/v1/settings', settings);
    for (const [kw, text] of Object.entries(stored)) {
      localStorage.setItem(`daily-papers/v1/results/${kw.toLowerCase()}`, text);
    }
    // The fixtures' fetch time is fixed, so "refresh on open" would fetch once it is old: this
    // test is about moving the papers, with no request at all.
    localStorage.setItem('daily-papers/v2/refresh-on-open', '{"enabled":false,"afterHours":12}');
  }, { stored, settings: v1('settings.json') });
  // Also a leftover entry of a keyword no longer listed: moved too, never dropped.
  await page.evaluate((text) => localStorage.setItem('daily-papers/v1/results/old keyword', text), v1('results-10-busy.json'));

  const expected = Object.fromEntries(Object.entries(stored).map(([kw, t]) => [kw, JSON.parse(t).papers.length]));
  for (const visit of ['upgrade', 'second reload']) {
    await reload(page);
    await expectCounts(page, expected);
    for (const [kw, text] of Object.entries(stored)) {
      const titles = JSON.parse(text).papers.map((p) => p.title);
      if (titles.length === 0) continue;
      await waitForSection(page, kw, titles.length);
      assert.deepEqual(await rowTitles(page, kw), titles, `${visit}: every paper of ${kw}`);
    }
    assert.match(await keywordError(page, 'Video Understanding'), /busy/i, `${visit}: the stored error is kept`);
    assert.equal(await storageNotice(page).isVisible(), false, `${visit}: no storage message`);
    const left = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('daily-papers/v1/results/')));
    assert.deepEqual(left, [], `${visit}: the old entries are gone once moved`);
  }
  const inDb = await page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('daily-papers');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const req = open.result.transaction('results').objectStore('results').getAllKeys();
      req.onsuccess = () => resolve(req.result.sort());
    };
  }));
  // Listed keywords' papers now live under their topics' ids (topics.test.mjs); the leftover
  // entry keeps its old key.
  assert.deepEqual(inDb, ['old keyword', 'topic/1', 'topic/2', 'topic/3']);
  assert.equal(arxiv.requests().length, 0, 'no request: everything came from storage');
});

appTest('a first topic of many papers shows its first screen with the first view, from a copy that never stands in for its papers', async ({ page, site, arxiv }) => {
  arxiv.answer('Many Papers', bigFeed(600, 0));
  arxiv.answer('Few Papers', feed('search-10-entries.xml'));
  await startWith(page, { site, arxiv, keywords: ['Many Papers', 'Few Papers'], spacing: 0 });
  await setSetting(page, 'settings-max-results', 600);
  await fetchAll(page);
  await waitFor('both topics fetched', async () => (await paperCount(page, 'Many Papers')) === 600 && (await paperCount(page, 'Few Papers')) === 10);
  const copies = () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('daily-papers/v2/first-screen/')));
  await waitFor('the copy of the first screen', async () => (await copies()).length === 1);
  const [copyKey] = await copies();
  const full = await rowTitles(page, 'Many Papers');
  // What the page holds when the keyword list first shows.
  await page.addInitScript(() => {
    const seen = new MutationObserver(() => {
      if (!document.querySelector('[data-testid="keyword-input"]')) return;
      const section = document.querySelector('[data-keyword="Many Papers"]');
      window.__firstView = {
        titles: [...(section?.querySelectorAll('[data-testid="paper-row"] td.title > a') ?? [])].map((a) => a.textContent.trim()),
        count: section?.dataset.count,
      };
      seen.disconnect();
    });
    seen.observe(document, { childList: true, subtree: true });
  });
  await reload(page);
  const first = await page.evaluate(() => window.__firstView);
  assert.ok(first.titles.length > 0 && first.titles.length <= 20, `the first screen's rows with the first view: ${first.titles.length}`);
  assert.deepEqual(first.titles, full.slice(0, first.titles.length), 'the topic\'s first papers, in order');
  // The copy is never counted as the topic's papers: the first view shows it uncounted ('0'),
  // or, when the database has answered before the page's last part is built, every paper.
  assert.ok(['0', '600'].includes(first.count), `the copy is not counted as the topic's papers (count ${first.count})`);
  await waitFor('every paper read', async () => (await paperCount(page, 'Many Papers')) === 600);
  assert.deepEqual(await rowTitles(page, 'Many Papers'), full, 'then every paper, from the database');
  assert.equal((await markdown(page)).split('\n').filter((l) => l.startsWith('| **[')).length, 610, 'the README holds every paper');

  // A damaged copy is passed over without a word and written again.
  await page.evaluate((k) => localStorage.setItem(k, '{"corrupt'), copyKey);
  await reload(page);
  await waitFor('every paper read', async () => (await paperCount(page, 'Many Papers')) === 600);
  assert.deepEqual(await rowTitles(page, 'Many Papers'), full);
  assert.equal(await storageNotice(page).isVisible(), false, 'no storage message for a copy');
  const rewritten = await page.evaluate((k) => JSON.parse(localStorage.getItem(k)), copyKey);
  assert.equal(rewritten.papers.length, 20, 'the copy written again');
  assert.deepEqual(await copies(), [copyKey]);
}, { timeout: 180_000 });

/** In every page of `context`: what the document holds when the keyword input first is in it. */
async function recordWithKeywordInput(context) {
  await context.addInitScript(() => {
    const seen = new MutationObserver(() => {
      if (!document.querySelector('[data-testid="keyword-input"]')) return;
      window.__withKeywordInput = {
        fetchAll: document.querySelectorAll('[data-testid="fetch-all"]').length,
        sections: document.querySelectorAll('[data-testid="keyword-section"]').length,
        readme: document.querySelectorAll('#readme').length,
      };
      seen.disconnect();
    });
    seen.observe(document, { childList: true, subtree: true });
  });
}

appTest('the page comes whole: its sidebar and its content column are first in the document together, on a first visit and a reopening', async ({ page, site, arxiv }) => {
  // The page is mounted in two tasks (app.rs), outside the document until both are done.
  const topics = ['Whole Page One', 'Whole Page Two'];
  topics.forEach((t) => arxiv.answer(t, feed('search-10-entries.xml')));
  await startWith(page, { site, arxiv, keywords: topics, spacing: 0 });
  await fetchAll(page);
  for (const t of topics) await waitFor(`${t} to hold its papers`, async () => (await paperCount(page, t)) === 10);
  await recordWithKeywordInput(page.context());
  await reload(page);
  assert.deepEqual(
    await page.evaluate(() => window.__withKeywordInput),
    { fetchAll: 1, sections: 2, readme: 1 },
    'a reopened page: the Fetch button, both sections and the README with the keyword list',
  );
  const fresh = await page.context().browser().newContext();
  try {
    await recordWithKeywordInput(fresh);
    const first = await fresh.newPage();
    await openApp(first, site.url);
    const whole = await first.evaluate(() => window.__withKeywordInput);
    assert.equal(whole.fetchAll, 1, 'a first visit: the Fetch button with the keyword list');
    assert.ok(whole.sections > 0, `a first visit: the example topics' sections with the keyword list (${whole.sections})`);
    assert.equal(whole.readme, 1, 'a first visit: the README with the keyword list');
  } finally {
    await fresh.close();
  }
});

appTest('a version 1 entry that cannot be read is reported and left where it was', async ({ page, site, arxiv }) => {
  await openApp(page, site.url);
  await page.evaluate((good) => {
    localStorage.setItem('daily-papers/v1/keywords', JSON.stringify(['Broken', 'Fine']));
    localStorage.setItem('daily-papers/v1/results/broken', '{"papers": [{"title": "no id"}]}');
    localStorage.setItem('daily-papers/v1/results/fine', good);
    localStorage.setItem('daily-papers/v2/refresh-on-open', '{"enabled":false,"afterHours":12}');
  }, v1('results-10-busy.json'));
  await reload(page);
  await expectCounts(page, { Fine: 10 });
  const message = await waitFor('the corrupt entry reported', async () =>
    (await storageNotice(page).isVisible()) && storageNotice(page).innerText());
  assert.match(message, /broken/);
  assert.equal(await page.evaluate(() => localStorage.getItem('daily-papers/v1/results/broken')), '{"papers": [{"title": "no id"}]}');
  assert.equal(await page.evaluate(() => localStorage.getItem('daily-papers/v1/results/fine')), null);
});

appTest('a reopened page shows the first topic\'s saved papers with its first view, and every topic\'s after', async ({ page, site, arxiv }) => {
  // More topics than are made with the page (the others come in the next task).
  const topics = Array.from({ length: 10 }, (_, i) => `Saved Topic ${i + 1}`);
  topics.forEach((t) => arxiv.answer(t, feed('search-10-entries.xml')));
  await startWith(page, { site, arxiv, keywords: topics, spacing: 0 });
  await fetchAll(page);
  for (const t of topics) await waitFor(`${t} to hold its papers`, async () => (await paperCount(page, t)) === 10);
  // Whether a paper row is already in the page when the keyword list first is.
  await page.addInitScript(() => {
    const seen = new MutationObserver(() => {
      if (!document.querySelector('[data-testid="keyword-input"]')) return;
      window.__rowsWithFirstView = document.querySelectorAll('[data-testid="paper-row"]').length;
      window.__firstTopicRowsWithFirstView = document
        .querySelectorAll('[data-keyword="Saved Topic 1"] [data-testid="paper-row"]').length;
      seen.disconnect();
    });
    seen.observe(document, { childList: true, subtree: true });
  });
  // The page waits for the first topic's papers only briefly (they come later on a slow
  // machine), so one reopening of three is enough; before, none ever had them.
  const withFirstView = [];
  for (let i = 0; i < 3 && !withFirstView.some((n) => n > 0); i++) {
    await reload(page);
    withFirstView.push(await page.evaluate(() => [window.__rowsWithFirstView, window.__firstTopicRowsWithFirstView]));
  }
  assert.ok(withFirstView.some(([n]) => n > 0), `rows in the page with the keyword list, by reopening: ${withFirstView}`);
  // Counted as the keyword list first shows: what the reader sees first.
  const [all, firstTopic] = withFirstView.at(-1);
  assert.equal(firstTopic, all, `the rows are the first topic's: ${withFirstView}`);
  for (const t of topics) await waitFor(`${t} to hold its papers again`, async () => (await paperCount(page, t)) === 10);
  assert.deepEqual(
    await page.locator('[data-testid="keyword-section"]').evaluateAll((s) => s.map((e) => e.dataset.keyword)),
    topics,
    'every section, in the list\'s order',
  );
});
