// Two open tabs of the app (issue 8, point 7): they never erase each other's keywords or
// papers, and only one fetches at a time (Web Locks): the other says "Fetching in another tab"
// and its Fetch button waits.

import assert from 'node:assert/strict';
import { appTest } from './support/session.mjs';
import { feed, slow } from './support/fake-arxiv.mjs';
import {
  openApp, startWith, addKeywords, keywordList, fetchAll, waitForSection, reload, waitFor, byTestId,
  paperCount, removeKeyword,
} from './support/app.mjs';

appTest('two tabs keep each other\'s keywords and papers', async ({ page, site, arxiv, newPage }) => {
  arxiv.answer('Alpha Tab', feed('search-10-entries.xml'));
  arxiv.answer('Beta Tab', feed('single-entry.xml'));
  await startWith(page, { site, arxiv, keywords: ['Alpha Tab'] });
  const other = await newPage();
  await openApp(other, site.url);
  assert.deepEqual(await keywordList(other), ['Alpha Tab']);
  // Each tab adds a keyword; each sees the other's.
  await addKeywords(other, ['Beta Tab']);
  await waitFor('the first tab to see the second tab\'s keyword', async () =>
    (await keywordList(page)).includes('Beta Tab'));
  await addKeywords(page, ['Gamma Tab']);
  await waitFor('the second tab to see the third keyword', async () =>
    (await keywordList(other)).includes('Gamma Tab'));
  assert.deepEqual(await keywordList(other), ['Alpha Tab', 'Beta Tab', 'Gamma Tab']);

  // Papers fetched in one tab show in the other, and both keep them.
  arxiv.answer('Gamma Tab', feed('single-entry.xml'));
  await fetchAll(page);
  await waitForSection(page, 'Alpha Tab', 10);
  await waitForSection(page, 'Gamma Tab', 1);
  await waitFor('the run to end', () => page.locator(byTestId('fetch-all')).isEnabled());
  await waitFor('the second tab to show the first tab\'s papers', async () =>
    (await paperCount(other, 'Alpha Tab')) === 10);
  for (const tab of [page, other]) {
    await reload(tab);
    assert.deepEqual(await keywordList(tab), ['Alpha Tab', 'Beta Tab', 'Gamma Tab']);
    await waitFor('papers back', async () => (await paperCount(tab, 'Alpha Tab')) === 10 && (await paperCount(tab, 'Beta Tab')) === 1);
  }
});

appTest('only one tab fetches at a time; the other waits and says so', async ({ page, site, arxiv, newPage }) => {
  arxiv.answer('Slow One', slow(2_500, feed('search-10-entries.xml')));
  arxiv.answer('Slow Two', slow(2_500, feed('single-entry.xml')));
  await startWith(page, { site, arxiv, keywords: ['Slow One', 'Slow Two'], spacing: 0 });
  const other = await newPage();
  await openApp(other, site.url);
  await fetchAll(page);
  await waitFor('the first request', async () => arxiv.requests().length === 1);
  await fetchAll(other);
  const progress = other.locator(byTestId('progress'));
  await waitFor('the second tab to say it waits', async () => /Fetching in another tab/.test(await progress.innerText()));
  assert.equal(await other.locator(byTestId('fetch-all')).isDisabled(), true, 'its Fetch button waits');
  // When the first tab is done, the second fetches in its turn.
  await waitForSection(page, 'Slow Two', 1);
  await waitFor('the second tab to fetch', async () => arxiv.requests().length === 4, { timeout: 30_000 });
  await waitForSection(other, 'Slow Two', 1);
  const reqs = arxiv.requests();
  for (let i = 1; i < reqs.length; i += 1) {
    assert.ok(reqs[i].start >= reqs[i - 1].end, `request ${i} started after the one before it ended: ${arxiv.describe()}`);
  }
});

// Issue 28, point 5: every key the app keeps is in one table with its tab behaviour, the Undo
// offer and the refresh setting included. There is one Undo offer for the app, as there is one
// topic list: a removal in one tab replaces the other tab's offer there too, instead of both
// tabs offering different removals while storage keeps only the latest.
appTest('the undo offer and the refresh setting are the same in every tab', async ({ page, site, arxiv, newPage }) => {
  await startWith(page, { site, arxiv, keywords: ['Alpha Tab', 'Beta Tab', 'Gamma Tab'] });
  const other = await newPage();
  await openApp(other, site.url);
  const bar = (tab) => tab.locator(byTestId('undo-bar'));
  const offers = async (tab, name) => (await bar(tab).isVisible()) && (await bar(tab).innerText()).includes(`Removed \u201c${name}\u201d`);

  await removeKeyword(page, 'Alpha Tab');
  await waitFor('the first tab to offer its removal', () => offers(page, 'Alpha Tab'));
  await waitFor('the second tab to offer the same removal', () => offers(other, 'Alpha Tab'));

  // The second tab removes another topic: its offer replaces the first tab's in both.
  await waitFor('the second tab to see the removal', async () => !(await keywordList(other)).includes('Alpha Tab'));
  await removeKeyword(other, 'Beta Tab');
  await waitFor('the second tab to offer its removal', () => offers(other, 'Beta Tab'));
  await waitFor('the first tab to offer the second tab\'s removal', () => offers(page, 'Beta Tab'));

  // Undo in the first tab brings back the topic the offer names, in both tabs, and ends it.
  await page.locator(byTestId('undo')).click();
  await waitFor('the topic back in the first tab', async () => (await keywordList(page)).join() === 'Beta Tab,Gamma Tab');
  await waitFor('the topic back in the second tab', async () => (await keywordList(other)).join() === 'Beta Tab,Gamma Tab');
  await waitFor('no offer left in the second tab', async () => !(await bar(other).isVisible()));
  await reload(page);
  assert.equal(await bar(page).isVisible(), false, 'no offer comes back after a reload');

  // The refresh-on-open setting changed in one tab shows in the other.
  const refresh = (tab) => tab.locator(byTestId('settings-refresh-on-open'));
  const before = await refresh(other).isChecked();
  await refresh(page).click();
  await waitFor('the second tab to show the refresh setting', async () => (await refresh(other).isChecked()) === !before);
  await reload(other);
  assert.equal(await refresh(other).isChecked(), !before, 'and keeps it');
});
