// The page on a phone, a tablet and a laptop (issue 13, points 1 and 4): it never scrolls
// sideways, whatever it shows — first visit, results, a failure, a 200-character keyword, long
// unbroken titles and addresses, the full README, 2,000 rows; papers are cards on a phone; the
// README scrolls inside its own box; every target is at least 24 × 24 px; nothing moves on a
// first visit.

import assert from 'node:assert/strict';
import { appTest } from './support/session.mjs';
import { feed, fixture, withoutCors, arxivError } from './support/fake-arxiv.mjs';
import {
  openApp, startWith, fetchAll, waitForSection, waitForKeywordError, rows, section, byTestId,
  documentWidth, bigFeed, setSetting, waitFor,
} from './support/app.mjs';

const WIDTHS = [390, 768, 1366];
const LONG_KEYWORD = `${'Extremely Long Keyword '.repeat(8)}${'x'.repeat(16)}`.slice(0, 200);

/** At each width: the document is no wider than the screen, and the README box keeps its lines. */
async function expectNoSidewaysScroll(page, state) {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 800 });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const { scrollWidth, innerWidth } = await documentWidth(page);
    assert.ok(scrollWidth <= innerWidth, `${state} at ${width} px: the page is ${scrollWidth} px wide on a ${innerWidth} px screen`);
    // Every section, table and the README box end inside the screen too (a box clipped by the
    // page would not show in scrollWidth but would still cut its content).
    const outside = await page.evaluate(() =>
      [...document.querySelectorAll('.panel, .keyword-section, table.papers, .markdown-output, .keyword-error')]
        .filter((el) => el.getClientRects().length > 0)
        .map((el) => ({ what: el.className || el.tagName, right: el.getBoundingClientRect().right }))
        .filter((b) => b.right > window.innerWidth + 0.5),
    );
    assert.deepEqual(outside, [], `${state} at ${width} px: boxes that end past the screen's edge`);
  }
}

/** Long feed text on screen, a failed keyword, a 200-character keyword, and the README. */
async function fetchEveryKindOfText({ page, site, arxiv }) {
  arxiv.answer('Long Words', feed('long-text.xml'));
  arxiv.answer(LONG_KEYWORD, feed('search-10-entries.xml'));
  arxiv.answer('Unreachable Topic', withoutCors(feed('single-entry.xml')));
  arxiv.answer('Refused Topic', arxivError());
  await startWith(page, { site, arxiv, keywords: ['Long Words', LONG_KEYWORD, 'Unreachable Topic', 'Refused Topic'], spacing: 0 });
  await fetchAll(page);
  await waitForSection(page, 'Long Words', 3);
  await waitForSection(page, LONG_KEYWORD, 10);
  await waitForKeywordError(page, 'Unreachable Topic');
  await waitForKeywordError(page, 'Refused Topic');
  await waitFor('the run to end', () => page.locator(byTestId('fetch-all')).isEnabled());
  // Open every abstract of the long feed and the failure's details: the widest they get.
  for (const summary of await section(page, 'Long Words').locator('summary').all()) await summary.click();
  await section(page, 'Unreachable Topic').locator('summary').click();
}

appTest('a first visit fits 390, 768 and 1366 px without sideways scrolling', async ({ page, site }) => {
  await openApp(page, site.url);
  await expectNoSidewaysScroll(page, 'first visit');
});

appTest('long titles, addresses, a 200-character keyword, a failure and the README fit every width', async (t) => {
  await fetchEveryKindOfText(t);
  const { page } = t;
  await expectNoSidewaysScroll(page, 'after a fetch with long text and failures');

  // The README has lines far longer than a phone: they scroll inside its own box.
  await page.setViewportSize({ width: 390, height: 800 });
  const readme = page.locator(byTestId('markdown-output'));
  await readme.scrollIntoViewIfNeeded(); // laid out only once on screen (content-visibility)
  const measure = () => readme.evaluate((el) => ({
    scrollWidth: el.scrollWidth, clientWidth: el.clientWidth, overflowX: getComputedStyle(el).overflowX,
  }));
  // The README is written in a task of its own once the run has ended: wait for its text.
  await waitFor('the README text', async () => (await readme.textContent()).includes('## Long Words'));
  await readme.scrollIntoViewIfNeeded();
  const box = await measure();
  assert.ok(box.scrollWidth > box.clientWidth, `the README's long lines are kept, not wrapped: ${JSON.stringify(box)}`);
  assert.ok(['auto', 'scroll'].includes(box.overflowX), 'the README box scrolls sideways itself');
});

appTest('on a phone each paper is a card; on a laptop a table row', async (t) => {
  const { page, site, arxiv } = t;
  arxiv.answer('Long Words', feed('long-text.xml'));
  await startWith(page, { site, arxiv, keywords: ['Long Words'], spacing: 0 });
  await fetchAll(page);
  await waitForSection(page, 'Long Words', 3);
  const layout = () => rows(page, 'Long Words').first().evaluate((tr) => {
    const title = tr.querySelector('.title').getBoundingClientRect();
    const date = tr.querySelector('.date').getBoundingClientRect();
    return { display: getComputedStyle(tr).display, dateBelowTitle: date.top >= title.bottom - 1 };
  });
  const row = await rows(page, 'Long Words').first().elementHandle();
  await page.setViewportSize({ width: 390, height: 800 });
  assert.deepEqual(await layout(), { display: 'block', dateBelowTitle: true }, 'a card: the date under the title');
  await page.setViewportSize({ width: 1366, height: 800 });
  assert.deepEqual(await layout(), { display: 'table-row', dateBelowTitle: false }, 'a table row: the date beside the title');
  // The same rows throughout: a new window size lays the table out again, it does not remake it.
  assert.equal(await row.evaluate((tr) => tr.isConnected), true, 'the row is still the one on the page');
});

appTest('2,000 rows fit every width', async ({ page, site, arxiv }) => {
  const body = bigFeed(2000, fixture('search-100-entries.xml'));
  arxiv.answer('Two Thousand', { status: 200, body, contentType: 'application/atom+xml; charset=utf-8' });
  await startWith(page, { site, arxiv, keywords: ['Two Thousand'], spacing: 0 });
  await setSetting(page, 'settings-max-results', 2000);
  await fetchAll(page);
  await waitForSection(page, 'Two Thousand', 2000);
  await expectNoSidewaysScroll(page, 'with 2,000 rows');
}, { timeout: 180_000 });

/** Buttons, links, summaries and fields smaller than 24 × 24 px (hidden ones aside). */
async function smallTargets(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('button, a[href], summary, input, select, textarea')]
      .filter((el) => el.getClientRects().length > 0)
      .map((el) => {
        const r = el.getBoundingClientRect();
        return { el: el.outerHTML.slice(0, 100), width: Math.round(r.width * 10) / 10, height: Math.round(r.height * 10) / 10 };
      })
      .filter((t) => t.width < 24 || t.height < 24),
  );
}

for (const width of [390, 1366]) {
  appTest(`every button, link, summary and field is at least 24 × 24 px at ${width} px`, async (t) => {
    await fetchEveryKindOfText(t);
    await t.page.setViewportSize({ width, height: 900 });
    assert.deepEqual(await smallTargets(t.page), [], 'targets under 24 × 24 px');
  });
}

for (const width of [390, 1366]) {
  appTest(`a first visit does not move under the reader's eyes at ${width} px (layout shift ≤ 0.02)`, async ({ page, site }) => {
    await page.addInitScript(() => {
      window.__shifts = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          if (!e.hadRecentInput) window.__shifts.push({ value: e.value, sources: (e.sources ?? []).map((s) => s.node?.outerHTML?.slice(0, 80) ?? '?') });
        }
      }).observe({ type: 'layout-shift', buffered: true });
    });
    await openApp(page, site.url);
    assert.ok(await page.evaluate(() => PerformanceObserver.supportedEntryTypes.includes('layout-shift')), 'the browser reports layout shifts');
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(1000);
    const shifts = await page.evaluate(() => window.__shifts);
    const total = shifts.reduce((sum, s) => sum + s.value, 0);
    assert.ok(total <= 0.02, `cumulative layout shift ${total.toFixed(4)}: ${JSON.stringify(shifts)}`);
  }, { viewport: { width, height: 800 } });
}
