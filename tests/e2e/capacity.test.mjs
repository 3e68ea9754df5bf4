// Capacity (issue 8, point 4): 20 keywords at the largest Max results, 2,000 papers each, are
// fetched, stored and all back after a reload, with no storage warning. The fake arXiv serves
// 2,000-entry feeds made from the real fixture's entries with distinct ids; the spacing is at
// its minimum (0 s, allowed for a host that is not arXiv) to keep the test quick. Point 5 too:
// the page holds the rows near the screen, not all of them.

import assert from 'node:assert/strict';
import { appTest } from './support/session.mjs';
import { bigFeed } from './support/fake-arxiv.mjs';
import {
  startWith, fetchAll, setSetting, reload, waitFor, paperCount, byTestId, readSection,
} from './support/app.mjs';

const KEYWORDS = Array.from({ length: 20 }, (_, i) => `Capacity Topic ${String(i + 1).padStart(2, '0')}`);
const PER_KEYWORD = 2_000;

async function counts(page) {
  return Promise.all(KEYWORDS.map((kw) => paperCount(page, kw)));
}

const noStorageWarning = async (page) => !(await page.locator(byTestId('storage-error')).isVisible());

appTest('40,000 papers are fetched, stored and all back after a reload', async ({ page, site, arxiv }) => {
  KEYWORDS.forEach((kw, i) => arxiv.answer(kw, bigFeed(PER_KEYWORD, i)));
  await startWith(page, { site, arxiv, keywords: KEYWORDS, spacing: 0 });
  await setSetting(page, 'settings-max-results', PER_KEYWORD);
  await fetchAll(page);
  await waitFor('every keyword fetched', async () =>
    (await counts(page)).every((n) => n === PER_KEYWORD), { timeout: 240_000, every: 500 });
  assert.equal(arxiv.requests().length, KEYWORDS.length);
  assert.ok(arxiv.requests().every((r) => r.params.max_results === String(PER_KEYWORD)));
  // Saving ends after the tables show: wait until Fetch all is back, then for the last save.
  await waitFor('the run to end', () => page.locator(byTestId('fetch-all')).isEnabled(), { timeout: 60_000 });
  await page.waitForTimeout(2_000);
  assert.ok(await noStorageWarning(page), 'no storage warning after fetching 40,000 papers');

  await reload(page);
  await waitFor('all 40,000 papers back', async () =>
    (await counts(page)).every((n) => n === PER_KEYWORD), { timeout: 120_000, every: 500 });
  assert.ok(await noStorageWarning(page), 'no storage warning after the reload');
  // The last section read a screen at a time, as a reader scrolls through it: every paper is
  // there, none lost or doubled, while the page holds only the rows near the screen.
  const seen = await readSection(page, KEYWORDS.at(-1));
  const distinct = new Set(seen.titles.map((title) => title.slice(0, 8)));
  assert.equal(seen.titles.length, PER_KEYWORD, 'every row reached');
  assert.equal(distinct.size, PER_KEYWORD, 'distinct papers, none lost or doubled');
  assert.ok(seen.mostBuilt < PER_KEYWORD / 2, `rows far from the screen are not built (at most ${seen.mostBuilt} at once)`);
}, { timeout: 420_000 });
