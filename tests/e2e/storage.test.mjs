// Browser storage that is corrupt, disabled or full is reported, and the page keeps working in
// memory (issue 3, point 4).

import assert from 'node:assert/strict';
import { appTest } from './support/session.mjs';
import { feed } from './support/fake-arxiv.mjs';
import {
  openApp, reload, startWith, fetchAll, waitForSection, addKeywords, keywordList, visibleText,
  waitFor, markdown, clearKeywords, setSetting,
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

appTest('full storage is reported and nothing on screen is lost', async ({ page, site, arxiv }) => {
  arxiv.answer('Software Testing', feed('search-10-entries.xml'));
  arxiv.answer('Graphs', feed('legacy-layout-cs.xml'));
  await startWith(page, { site, arxiv, keywords: ['Software Testing', 'Graphs'] });
  const baseline = await visibleText(page);
  // From now on every write fails as a full localStorage does.
  await page.evaluate(() => {
    Storage.prototype.setItem = function () {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  await fetchAll(page);
  await waitForSection(page, 'Software Testing', 10);
  await waitForSection(page, 'Graphs', 1);
  await expectStorageMessage(page, baseline);
  assert.deepEqual(await keywordList(page), ['Software Testing', 'Graphs']);
  const md = await markdown(page);
  assert.ok(md.includes('## Software Testing\n') && md.includes('## Graphs\n'), 'the markdown has both keywords');
});
