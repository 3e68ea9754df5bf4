// Reading the day's papers (issue 26): why each paper matched (its words highlighted, built as
// elements), read and saved marks that survive a reload and reach a second tab without touching
// the README, the Saved list's BibTeX, arXiv's calendar after a fetch with nothing new, and the
// feed reader's keys on 2,000 papers across several sections.

import assert from 'node:assert/strict';
import { appTest } from './support/session.mjs';
import { feed, bigFeed } from './support/fake-arxiv.mjs';
import {
  startWith, fetchAll, waitForSection, rows, section, reload, waitFor, byTestId, markdown,
  openApp, focusedElement, axeViolations, announcement, scrollTo,
} from './support/app.mjs';

const progressText = (page) => page.locator(byTestId('progress')).innerText();

async function waitForRunEnd(page) {
  return waitFor('the run to end', async () => {
    const text = await progressText(page);
    return /^(Done|Cancelled):/.test(text) && !(await page.locator(byTestId('fetch-all')).isDisabled()) && text;
  }, { timeout: 60_000 });
}

/** The section's header line ("5 papers · 5 new · 1 read, fetched …"). */
const headerLine = (page, kw) => section(page, kw).locator('.section-header .meta').first().innerText();

/** The arXiv id of each row the section shows, in order. */
const rowIds = (page, kw) => rows(page, kw).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-id')));

/** The focused paper row's id and its section's topic ('' when the focus is not on a row). */
const focusedRow = (page) => page.evaluate(() => {
  const row = document.activeElement?.closest('[data-testid="paper-row"]');
  return row ? { id: row.getAttribute('data-id'), topic: row.closest('section').getAttribute('data-keyword') } : null;
});

appTest('each paper says why it matched, its words highlighted as elements, a hostile title staying text', async ({ page, site, arxiv }) => {
  arxiv.answer('onerror', feed('hostile-title.xml'));
  await startWith(page, { site, arxiv, keywords: ['onerror'] });
  await fetchAll(page);
  await waitForSection(page, 'onerror', 1);
  const row = rows(page, 'onerror').first();
  assert.equal(await row.locator(byTestId('why')).innerText(), 'Matched \u201conerror\u201d in title and abstract');
  const title = row.locator('td.title > a');
  assert.equal(await title.textContent(), '<img src=x onerror=alert(1)>', 'the title is its text');
  assert.deepEqual(await title.locator('mark').allTextContents(), ['onerror']);
  assert.equal(await section(page, 'onerror').locator('img, script, svg').count(), 0, 'no element from the feed');
  // The abstract, opened, highlights the same word.
  await row.locator('summary').click();
  const abstract = row.locator('details p').last();
  await waitFor('the abstract', async () => (await abstract.count()) > 0 && (await abstract.textContent()).includes('onerror'));
  assert.equal(await abstract.textContent(), '<script>alert(2)</script><img src=y onerror=alert(3)>');
  assert.deepEqual(await abstract.locator('mark').allTextContents(), ['onerror']);
  assert.equal(await section(page, 'onerror').locator('img, script, svg').count(), 0);
});

appTest('a paper nothing on the page explains says it was matched by arXiv', async ({ page, site, arxiv }) => {
  arxiv.answer('Hostile Feed', feed('hostile-title.xml'));
  await startWith(page, { site, arxiv, keywords: ['Hostile Feed'] });
  await fetchAll(page);
  await waitForSection(page, 'Hostile Feed', 1);
  assert.equal(await rows(page, 'Hostile Feed').first().locator(byTestId('why')).innerText(), 'Matched by arXiv');
  assert.equal(await rows(page, 'Hostile Feed').first().locator('mark').count(), 0);
});

appTest('mark read, hide read, reload, a second tab: the marks hold and the README never changes', async ({ page, site, arxiv, newPage }) => {
  arxiv.answer('Reading', bigFeed(5, 1));
  await startWith(page, { site, arxiv, keywords: ['Reading'] });
  await fetchAll(page);
  await waitForSection(page, 'Reading', 5);
  await waitForRunEnd(page);
  const readme = await markdown(page);
  const ids = await rowIds(page, 'Reading');

  const first = rows(page, 'Reading').first();
  await first.locator(byTestId('mark-read')).click();
  await waitFor('the read count', async () => /5 papers · 5 new · 1 read/.test(await headerLine(page, 'Reading')));
  assert.equal(await first.getAttribute('data-read'), 'true');
  assert.equal(await first.locator(byTestId('mark-read')).innerText(), 'Mark unread');
  assert.equal(await first.locator(byTestId('mark-read')).getAttribute('aria-pressed'), 'true');
  assert.match(await announcement(page), /^Marked read: /);

  await page.locator(byTestId('hide-read')).check();
  await waitFor('the read paper hidden', async () => (await rows(page, 'Reading').count()) === 4);
  assert.deepEqual(await rowIds(page, 'Reading'), ids.slice(1));

  await reload(page);
  await waitForSection(page, 'Reading', 4);
  assert.equal(await page.locator(byTestId('hide-read')).isChecked(), true, 'Hide read is remembered');
  assert.match(await headerLine(page, 'Reading'), /· 1 read/);
  assert.equal(await markdown(page), readme, 'the README is the same with papers read');

  // A second tab shows the same marks, and a paper it marks reaches the first tab.
  const other = await newPage();
  await openApp(other, site.url);
  await waitForSection(other, 'Reading', 4);
  await rows(other, 'Reading').first().locator(byTestId('mark-read')).click();
  await waitFor('the first tab to hear of it', async () => /· 2 read/.test(await headerLine(page, 'Reading')));
  await waitFor('the first tab to hide it', async () => (await rows(page, 'Reading').count()) === 3);

  // Unread again, shown again.
  await page.locator(byTestId('hide-read')).uncheck();
  await waitForSection(page, 'Reading', 5);
  await rows(page, 'Reading').first().locator(byTestId('mark-read')).click();
  await waitFor('one read left', async () => /· 1 read/.test(await headerLine(page, 'Reading')));
  assert.equal(await rows(page, 'Reading').first().getAttribute('data-read'), null);
});

appTest('saved papers gather in the Saved list, with Copy BibTeX for all of them', async ({ page, site, arxiv }) => {
  arxiv.answer('Saving', bigFeed(4, 2));
  await startWith(page, { site, arxiv, keywords: ['Saving'] });
  await fetchAll(page);
  await waitForSection(page, 'Saving', 4);
  await rows(page, 'Saving').nth(0).locator(byTestId('save-paper')).click();
  await rows(page, 'Saving').nth(2).locator(byTestId('save-paper')).click();
  await waitFor('two saved', async () => (await page.locator(byTestId('saved-count')).innerText()) === '2');
  assert.equal(await rows(page, 'Saving').nth(0).locator(byTestId('save-paper')).innerText(), 'Saved');
  await page.locator(byTestId('saved-toggle')).click();
  assert.equal(await page.locator(byTestId('saved-item')).count(), 2);
  await page.locator(byTestId('copy-saved-bibtex')).click();
  await waitFor('the copy', async () => /copied/.test(await page.locator(byTestId('copy-saved-bibtex-status')).innerText()));
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied.match(/@misc\{/g)?.length, 2, copied);
  assert.match(copied, /eprint=\{2601\.020000\}/);
  assert.match(copied, /eprint=\{2601\.020002\}/);
  // Kept across a reload; one taken off the list.
  await reload(page);
  await page.locator(byTestId('saved-toggle')).click();
  await waitFor('the saved list back', async () => (await page.locator(byTestId('saved-item')).count()) === 2);
  await page.locator(byTestId('saved-remove')).first().click();
  await waitFor('one saved', async () => (await page.locator(byTestId('saved-count')).innerText()) === '1');
});

appTest('opening a paper marks it read only when the setting says so; the HTML and alphaXiv links, off by a setting', async ({ page, site, arxiv }) => {
  arxiv.answer('Opening', bigFeed(3, 7));
  await startWith(page, { site, arxiv, keywords: ['Opening'] });
  await fetchAll(page);
  await waitForSection(page, 'Opening', 3);
  const row = (i) => rows(page, 'Opening').nth(i);
  assert.equal(await row(0).locator(byTestId('html-link')).getAttribute('href'), 'https://arxiv.org/html/2601.070000');
  assert.equal(await row(0).locator(byTestId('alphaxiv-link')).getAttribute('href'), 'https://www.alphaxiv.org/abs/2601.070000');

  await row(0).locator('summary').click();
  await waitFor('the abstract open', async () => (await row(0).locator('details').getAttribute('open')) !== null);
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)));
  assert.equal(await row(0).getAttribute('data-read'), null, 'opening does not mark read by default');
  assert.doesNotMatch(await headerLine(page, 'Opening'), /read/);

  await page.locator(byTestId('settings-opening-marks-read')).check();
  await row(1).locator('summary').click();
  await waitFor('the opened paper read', async () => (await row(1).getAttribute('data-read')) === 'true');
  assert.equal(await row(0).getAttribute('data-read'), null);

  await page.locator(byTestId('settings-reader-links')).uncheck();
  await waitFor('the links gone', async () => (await section(page, 'Opening').locator(`${byTestId('html-link')}, ${byTestId('alphaxiv-link')}`).count()) === 0);
  assert.equal(await rows(page, 'Opening').locator(byTestId('abs-link')).count(), 3, 'abs stays');
});

appTest('a fetch with nothing new on a Saturday says what arXiv announced and when it announces next', async ({ page, site, arxiv }) => {
  // Saturday 5 December 2026, 15:00 UTC (the page's time zone is UTC).
  await page.clock.setFixedTime(new Date('2026-12-05T15:00:00Z'));
  arxiv.answer('Weekend', bigFeed(3, 3));
  await startWith(page, { site, arxiv, keywords: ['Weekend'] });
  assert.equal(await page.locator(byTestId('settings-refresh-mode-announcement')).isChecked(), true,
    'a new user refreshes after each arXiv announcement');
  await fetchAll(page);
  await waitForSection(page, 'Weekend', 3);
  await waitForRunEnd(page);
  assert.equal(await page.locator(byTestId('calendar-note')).isVisible(), false, 'news: no calendar note');
  await fetchAll(page);
  await waitFor('the second run', async () => arxiv.requests().length >= 2);
  await waitForRunEnd(page);
  const note = page.locator(byTestId('calendar-note'));
  await waitFor('the calendar note', () => note.isVisible());
  assert.equal(
    await note.innerText(),
    'Nothing new: arXiv has not announced since Thursday 20:00 ET; next announcement Sunday 20:00 ET (in 1 day 10 h). '
      + 'Your time: Friday 01:00 and Monday 01:00.',
  );
});

appTest('the keys move through 2,000 papers in several sections, mark, save, search, and list themselves', async ({ page, site, arxiv }) => {
  arxiv.answer('Keys A', bigFeed(15, 4));
  arxiv.answer('Keys B', bigFeed(15, 5));
  arxiv.answer('Keys C', bigFeed(1970, 6));
  await startWith(page, { site, arxiv, keywords: ['Keys A', 'Keys B', 'Keys C'] });
  await fetchAll(page);
  await waitForRunEnd(page);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.locator('body').click({ position: { x: 2, y: 2 } });

  await page.keyboard.press('j');
  await waitFor('the first paper', async () => (await focusedRow(page))?.id === 'http://arxiv.org/abs/2601.040000v1');
  assert.match(await announcement(page), /^Keys A, paper 1 of 15: /);
  await page.keyboard.press('j');
  await waitFor('the second paper', async () => (await focusedRow(page))?.id === 'http://arxiv.org/abs/2601.040001v1');
  await page.keyboard.press('k');
  await waitFor('back to the first', async () => (await focusedRow(page))?.id === 'http://arxiv.org/abs/2601.040000v1');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.equal(outline, 'solid', 'the focused row is outlined');

  // o and Enter open and close the abstract; m marks read; s saves.
  await page.keyboard.press('o');
  const first = rows(page, 'Keys A').first();
  await waitFor('the abstract open', async () => (await first.locator('details').getAttribute('open')) !== null);
  await page.keyboard.press('Enter');
  await waitFor('the abstract closed', async () => (await first.locator('details').getAttribute('open')) === null);
  await page.keyboard.press('m');
  await waitFor('read', async () => (await first.getAttribute('data-read')) === 'true');
  await page.keyboard.press('s');
  await waitFor('saved', async () => (await page.locator(byTestId('saved-count')).innerText()) === '1');

  // n skips a read paper: the second marked read, from the first n goes to the third.
  await page.keyboard.press('j');
  await page.keyboard.press('m');
  await waitFor('second read', async () => (await rows(page, 'Keys A').nth(1).getAttribute('data-read')) === 'true');
  await page.keyboard.press('k');
  await page.keyboard.press('n');
  await waitFor('the third paper', async () => (await focusedRow(page))?.id === 'http://arxiv.org/abs/2601.040002v1');

  // Through the end of A into B and on into C (its table made and its rows built as reached).
  for (let i = 0; i < 13; i++) await page.keyboard.press('j');
  await waitFor('the first paper of B', async () => (await focusedRow(page))?.topic === 'Keys B');
  for (let i = 0; i < 15; i++) await page.keyboard.press('j');
  await waitFor('the first paper of C', async () => (await focusedRow(page))?.id === 'http://arxiv.org/abs/2601.060000v1');
  for (let i = 0; i < 25; i++) await page.keyboard.press('j');
  await waitFor('the 26th paper of C', async () => (await focusedRow(page))?.id === 'http://arxiv.org/abs/2601.060025v1');
  assert.match(await announcement(page), /^Keys C, paper 26 of 1970: /);

  // / the search box, where keys are typed, not obeyed.
  await page.keyboard.press('/');
  await waitFor('the search box', async () => (await focusedElement(page)).testid === 'search-papers');
  await page.keyboard.type('jk');
  assert.equal(await page.locator(byTestId('search-papers')).inputValue(), 'jk');
  await page.locator(byTestId('search-papers')).fill('');

  // g t the topic list.
  await page.locator(byTestId('search-papers')).press('Escape');
  await page.locator('body').click({ position: { x: 2, y: 2 } });
  await page.keyboard.press('g');
  await page.keyboard.press('t');
  await waitFor('the topic list', () => page.evaluate(() => document.activeElement?.classList.contains('keyword-list')));

  // ? the help panel, clean for axe; Escape closes it.
  await page.keyboard.press('?');
  const help = page.locator(byTestId('keys-help'));
  await waitFor('the help panel', () => help.isVisible());
  assert.match(await help.innerText(), /Next new paper not yet read/);
  assert.equal((await focusedElement(page)).testid, 'keys-help-close');
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
  await page.keyboard.press('Escape');
  await waitFor('the help panel closed', async () => !(await help.isVisible()));
  await scrollTo(page, 'Keys A');
});
