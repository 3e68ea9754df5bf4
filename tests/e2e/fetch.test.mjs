// Fetching: every keyword's table, the README markdown (against a golden file), Copy, Download,
// the cache across reloads, progress and Cancel, and arXiv's terms (one request at a time, spaced).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { appTest } from './support/session.mjs';
import { feed, slow } from './support/fake-arxiv.mjs';
import {
  startWith, fetchAll, cancelFetch, waitForSection, rows, markdown, today, reload, keywordList,
  byTestId, waitFor, moveUp, section, setSetting, rowTitles,
} from './support/app.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

// The three keywords of golden/three-keywords.md, the feed each one gets and the papers it keeps
// after the category filter.
const GOLDEN_SCRIPT = {
  'Video Anomaly Detection': feed('edge-cases.xml'),
  Graphs: feed('legacy-layout-cs.xml'),
  'Software Testing': feed('search-10-entries.xml'),
};
const KEPT = { 'Video Anomaly Detection': 5, Graphs: 1, 'Software Testing': 10 };
const KEYWORDS = Object.keys(KEPT);

/** The golden README with the day of the fetch as "Last update". */
function golden(day) {
  const text = readFileSync(path.join(here, 'golden/three-keywords.md'), 'utf8');
  assert.ok(text.includes('\nLast update: YYYY-MM-DD\n'), 'the golden file has the date placeholder');
  return text.replace('\nLast update: YYYY-MM-DD\n', `\nLast update: ${day}\n`);
}

/** Fails at the first line that differs from the golden text, quoting both lines. */
function assertSameText(actual, expected, name) {
  const [a, e] = [actual.split('\n'), expected.split('\n')];
  const i = a.findIndex((line, n) => line !== e[n]);
  const at = i < 0 ? Math.min(a.length, e.length) : i;
  assert.fail(`the markdown differs from ${name} at line ${at + 1}:\n  got:      ${JSON.stringify(a[at])}\n  expected: ${JSON.stringify(e[at])}\n(${a.length} lines, golden has ${e.length})`);
}

/** Fetches the three golden keywords and waits for every table. Returns the day(s) it ran on. */
async function fetchGoldenKeywords(page, arxiv) {
  const dayBefore = today();
  await fetchAll(page);
  for (const kw of KEYWORDS) await waitForSection(page, kw, KEPT[kw]);
  await arxiv.waitForRequests(KEYWORDS.length);
  return [dayBefore, today()];
}

/** The markdown once it has the expected shape; the day may roll over at midnight UTC. */
async function expectGoldenMarkdown(page, days) {
  const candidates = [...new Set(days)].map(golden);
  const md = await waitFor('the markdown to list every keyword', async () => {
    const m = await markdown(page);
    return KEYWORDS.every((kw) => m.includes(`## ${kw}\n`)) ? m : null;
  });
  if (!candidates.includes(md)) assertSameText(md, candidates.at(-1), 'golden/three-keywords.md');
  return md;
}

appTest('a fetch of several keywords renders every table and the markdown equals the golden file', async ({ page, site, arxiv }) => {
  await startWith(page, { site, arxiv, keywords: KEYWORDS });
  const days = await fetchGoldenKeywords(page, arxiv);

  for (const kw of KEYWORDS) assert.equal(await rows(page, kw).count(), KEPT[kw], `rows of ${kw}`);
  assert.deepEqual((await rowTitles(page, 'Video Anomaly Detection')).slice(0, 2), [
    'Fast & Robust | Video Anomaly Detection with Transformers',
    'A Statistical View of Anomalies',
  ], 'titles are shown as the feed gives them, in arXiv\'s order, whitespace collapsed');
  await expectGoldenMarkdown(page, days);

  // Each table says how many papers and when they were fetched; titles link to arXiv; the
  // abstract is collapsed behind "Show".
  for (const kw of KEYWORDS) {
    const text = await section(page, kw).innerText();
    assert.match(text, new RegExp(`\\b${KEPT[kw]} papers?\\b`), `the ${kw} section gives its number of papers`);
    assert.ok(days.some((d) => text.includes(d)), `the ${kw} section says when it was fetched: ${text.slice(0, 200)}`);
  }
  const firstRow = rows(page, 'Video Anomaly Detection').first();
  assert.equal(await firstRow.locator('a').first().getAttribute('href'), 'https://arxiv.org/abs/2611.00001v2');
  const abstract = 'We detect anomalies in video with x < y and a > b, keeping <b>tags</b> as text.';
  assert.ok(!(await firstRow.innerText()).includes(abstract), 'the abstract starts collapsed');
  await firstRow.getByText('Show', { exact: true }).click();
  await waitFor('the abstract to show', async () => (await firstRow.innerText()).includes(abstract));

  // The queries are the reference's: a phrase in title OR abstract, one word in title AND abstract.
  const q = Object.fromEntries(arxiv.requests().map((r) => [r.keyword, r.params]));
  assert.equal(q['Video Anomaly Detection'].search_query, 'ti:"Video Anomaly Detection" OR abs:"Video Anomaly Detection"');
  assert.equal(q.Graphs.search_query, 'ti:"Graphs" AND abs:"Graphs"');
  for (const params of Object.values(q)) {
    assert.equal(params.sortBy, 'lastUpdatedDate');
    assert.equal(params.sortOrder, 'descending');
    assert.equal(params.max_results, '100');
  }
  assert.deepEqual(arxiv.requests().map((r) => r.keyword), KEYWORDS, 'one request per keyword, in the list\'s order');
}, { script: GOLDEN_SCRIPT });

appTest('Copy puts exactly the markdown on the clipboard and says so; Download saves README.md', async ({ page, site, arxiv }) => {
  await startWith(page, { site, arxiv, keywords: KEYWORDS });
  const days = await fetchGoldenKeywords(page, arxiv);
  const md = await expectGoldenMarkdown(page, days);

  await page.evaluate(() => navigator.clipboard.writeText('something else'));
  await page.locator(byTestId('copy-markdown')).click();
  await waitFor('a "Copied" confirmation', async () => /copied/i.test(await page.locator(byTestId('copy-status')).innerText()));
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), md);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator(byTestId('download-markdown')).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'README.md');
  const file = await download.path();
  assert.equal(readFileSync(file, 'utf8'), md);
}, { script: GOLDEN_SCRIPT });

appTest('Copy falls back to the browser\'s copy command where the Clipboard API is missing', async ({ page, site, arxiv, newPage }) => {
  await page.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'clipboard', { configurable: true, get: () => undefined });
  });
  await startWith(page, { site, arxiv, keywords: KEYWORDS });
  assert.equal(await page.evaluate(() => navigator.clipboard), undefined, 'no Clipboard API in this page');
  const days = await fetchGoldenKeywords(page, arxiv);
  const md = await expectGoldenMarkdown(page, days);
  await page.locator(byTestId('copy-markdown')).click();
  await waitFor('a "Copied" confirmation', async () => /copied/i.test(await page.locator(byTestId('copy-status')).innerText()));
  // Read the clipboard from another tab of the same profile, which has the API.
  const reader = await newPage();
  await reader.goto(site.url);
  assert.equal(await reader.evaluate(() => navigator.clipboard.readText()), md);
}, { script: GOLDEN_SCRIPT });

appTest('a reload shows the cached tables and the same markdown without any request', async ({ page, site, arxiv, newPage }) => {
  await startWith(page, { site, arxiv, keywords: KEYWORDS });
  const days = await fetchGoldenKeywords(page, arxiv);
  const md = await expectGoldenMarkdown(page, days);
  const requestsBefore = arxiv.requests().length;

  await reload(page);
  for (const kw of KEYWORDS) await waitForSection(page, kw, KEPT[kw]);
  assert.equal(await markdown(page), md, 'the markdown is rebuilt from the cache');

  // A second tab of the same browser profile sees the same cache.
  const other = await newPage();
  await other.goto(site.url);
  for (const kw of KEYWORDS) await waitForSection(other, kw, KEPT[kw]);
  assert.equal(await markdown(other), md);

  await new Promise((r) => setTimeout(r, 500)); // room for a request the app should not make
  assert.equal(arxiv.requests().length, requestsBefore, 'no request after a reload');

  // The user's order still rules the markdown after a reload.
  await moveUp(page, 'Software Testing');
  await waitFor('the new order in the markdown', async () => {
    const m = await markdown(page);
    return m.indexOf('## Software Testing\n') < m.indexOf('## Graphs\n');
  });
  assert.equal(arxiv.requests().length, requestsBefore, 'reordering makes no request');
}, { script: GOLDEN_SCRIPT });

appTest('requests are never concurrent and are spaced as set', async ({ page, site, arxiv }) => {
  // Slow answers make overlapping requests likely if the app does not wait for each one.
  arxiv.answer('Alpha Topic', slow(700, feed('search-10-entries.xml')));
  arxiv.answer('Beta Topic', slow(300, feed('single-entry.xml')));
  arxiv.answer('Gamma Topic', slow(500, feed('edge-cases.xml')));
  arxiv.answer('Delta Topic', feed('legacy-layout-cs.xml'));
  const spacingS = 1;
  await startWith(page, { site, arxiv, keywords: ['Alpha Topic', 'Beta Topic', 'Gamma Topic', 'Delta Topic'], spacing: spacingS });
  await fetchAll(page);
  await arxiv.waitForRequests(4);
  await waitForSection(page, 'Delta Topic', 1);

  const reqs = arxiv.requests();
  assert.equal(reqs.length, 4, arxiv.describe());
  for (let i = 1; i < reqs.length; i++) {
    const [prev, next] = [reqs[i - 1], reqs[i]];
    assert.ok(next.start >= prev.end, `request ${i + 1} started before request ${i} was answered: ${arxiv.describe()}`);
    // The spacing is counted from the previous answer to the next request (which also keeps
    // arXiv's "one request every 3 s" from start to start), with 20 ms for socket jitter.
    const gap = next.start - prev.end;
    assert.ok(gap >= spacingS * 1000 - 20, `only ${gap.toFixed(0)} ms between answer ${i} and request ${i + 1}, less than ${spacingS} s: ${arxiv.describe()}`);
  }
});

appTest('by default, two keywords are fetched at least 3 seconds apart', async ({ page, site, arxiv }) => {
  arxiv.answer('First Default', feed('single-entry.xml'));
  arxiv.answer('Second Default', feed('single-entry.xml'));
  await startWith(page, { site, arxiv, keywords: ['First Default', 'Second Default'], spacing: null });
  await fetchAll(page);
  await arxiv.waitForRequests(2);
  await waitForSection(page, 'Second Default', 1);
  const [a, b] = arxiv.requests();
  assert.ok(b.start >= a.end, arxiv.describe());
  assert.ok(b.start - a.end >= 3000 - 20, `default spacing: ${(b.start - a.end).toFixed(0)} ms between answer and next request: ${arxiv.describe()}`);
});

appTest('progress shows where the fetch is, each table appears as soon as its answer arrives, Cancel stops after the request in flight', async ({ page, site, arxiv }) => {
  arxiv.answer('First Topic', feed('single-entry.xml'));
  arxiv.answer('Second Topic', slow(4000, feed('search-10-entries.xml')));
  arxiv.answer('Third Topic', feed('edge-cases.xml'));
  await startWith(page, { site, arxiv, keywords: ['First Topic', 'Second Topic', 'Third Topic'] });
  await fetchAll(page);

  // While the second (slow) request is in flight: the first table is already there.
  await waitFor('the second request', async () => arxiv.requests().length === 2);
  await waitForSection(page, 'First Topic', 1);
  const progress = await page.locator(byTestId('progress')).innerText();
  assert.match(progress, /2 of 3/, 'progress counts keywords');
  assert.match(progress, /Second Topic/, 'progress names the keyword being fetched');

  await cancelFetch(page);
  // The request in flight still lands; nothing after it is asked.
  await waitForSection(page, 'Second Topic', 10);
  await new Promise((r) => setTimeout(r, 2000)); // more than the 1 s spacing
  assert.deepEqual(arxiv.requests().map((r) => r.keyword), ['First Topic', 'Second Topic'], 'no request after Cancel');
  assert.equal(await rows(page, 'Third Topic').count(), 0, 'the third keyword was not fetched');
  assert.deepEqual(await keywordList(page), ['First Topic', 'Second Topic', 'Third Topic']);

  // A new fetch starts again from the first keyword and completes.
  await fetchAll(page);
  await waitForSection(page, 'Third Topic', 5);
  await arxiv.waitForRequests(5);
});

appTest('max results, sort and link style reach the query and the markdown', async ({ page, site, arxiv }) => {
  arxiv.answer('Software Testing', feed('search-10-entries.xml'));
  await startWith(page, { site, arxiv, keywords: ['Software Testing'] });
  await setSetting(page, 'settings-max-results', 25);
  await setSetting(page, 'settings-sort', 'relevance');
  await setSetting(page, 'settings-link-style', 'pdf');
  await fetchAll(page);
  await waitForSection(page, 'Software Testing', 10);
  const [req] = arxiv.requests();
  assert.equal(req.params.max_results, '25');
  assert.equal(req.params.sortBy, 'relevance');
  const md = await waitFor('pdf links in the markdown', async () => {
    const m = await markdown(page);
    return m.includes('(https://arxiv.org/pdf/2202.12139v1)**') ? m : null;
  });
  assert.ok(!md.includes('https://arxiv.org/abs/'), 'no abs link left with the pdf style');
  assert.equal(md.split('\n').filter((l) => l.startsWith('| **[')).length, 10);
});

appTest('after an answer from the project\'s server\'s cache (X-Cache: HIT) the next request need not wait the spacing; a HIT from anything else is not believed', async ({ page, site, arxiv }) => {
  // X-Source is the header the project's server alone sends.
  const hit = { headers: { 'X-Cache': 'HIT', 'X-Source': 'arxiv' } };
  arxiv.answer('Cached One', feed('single-entry.xml', hit));
  arxiv.answer('Cached Two', feed('single-entry.xml', hit));
  arxiv.answer('Fresh Three', feed('single-entry.xml', { headers: { 'X-Cache': 'MISS', 'X-Source': 'arxiv' } }));
  arxiv.answer('Foreign Hit', feed('single-entry.xml', { headers: { 'X-Cache': 'HIT' } }));
  arxiv.answer('Fresh Five', feed('single-entry.xml'));
  await startWith(page, { site, arxiv, keywords: ['Cached One', 'Cached Two', 'Fresh Three', 'Foreign Hit', 'Fresh Five'], spacing: 6 });
  await fetchAll(page);
  await arxiv.waitForRequests(5, 60_000);
  await waitForSection(page, 'Fresh Five', 1);
  const [one, two, three, four, five] = arxiv.requests();
  // Far below the 6 s spacing, so only a skipped wait passes (not a timing of how fast).
  assert.ok(two.start - one.end < 3000, `after a cache hit: ${arxiv.describe()}`);
  assert.ok(three.start - two.end < 3000, `after a cache hit: ${arxiv.describe()}`);
  assert.ok(four.start - three.end >= 6000 - 20, `after a MISS the spacing holds: ${arxiv.describe()}`);
  assert.ok(five.start - four.end >= 6000 - 20, `after a HIT without X-Source the spacing holds: ${arxiv.describe()}`);
});

appTest('keywords with &, #, +, quotes of other kinds and accents reach arXiv intact', async ({ page, site, arxiv }) => {
  const tricky = ['C++ & C# Compilers', 'Détection d’anomalies vidéo', 'R&D', '100% Recall?', 'a+b=c'];
  for (const kw of tricky) arxiv.answer(kw, feed('single-entry.xml'));
  await startWith(page, { site, arxiv, keywords: tricky, spacing: 0 });
  await fetchAll(page);
  for (const kw of tricky) await waitForSection(page, kw, 1);
  assert.deepEqual(arxiv.requests().map((r) => r.keyword), tricky, `each keyword arrives as typed: ${arxiv.describe()}`);
  const q = arxiv.requests().map((r) => r.params.search_query);
  assert.equal(q[0], 'ti:"C++ & C# Compilers" OR abs:"C++ & C# Compilers"');
  assert.equal(q[2], 'ti:"R&D" AND abs:"R&D"', 'one word: title AND abstract');
  const md = await markdown(page);
  for (const kw of tricky) assert.ok(md.includes(`\n## ${kw}\n`), `the markdown has the heading of ${kw}`);
});

appTest('a new link style applies at once to the markdown, without a request', async ({ page, site, arxiv }) => {
  arxiv.answer('Software Testing', feed('search-10-entries.xml'));
  await startWith(page, { site, arxiv, keywords: ['Software Testing'] });
  await fetchAll(page);
  await waitForSection(page, 'Software Testing', 10);
  assert.ok((await markdown(page)).includes('(https://arxiv.org/abs/2202.12139v1)**'));
  await setSetting(page, 'settings-link-style', 'pdf');
  await waitFor('pdf links in the markdown', async () => (await markdown(page)).includes('(https://arxiv.org/pdf/2202.12139v1)**'));
  assert.equal(arxiv.requests().length, 1, 'no new request');
});

appTest('a 100-paper answer shows the 95 papers in cs and stat, in arXiv\'s order', async ({ page, site, arxiv }) => {
  arxiv.answer('Testing', feed('search-100-entries.xml'));
  await startWith(page, { site, arxiv, keywords: ['Testing'] });
  await fetchAll(page);
  await waitForSection(page, 'Testing', 95);
  const titles = await rowTitles(page, 'Testing');
  assert.equal(titles[0], 'Testing Deep Learning Models: A First Comparative Study of Multiple Testing Techniques');
  assert.ok(titles.includes('The Sample Complexity of Simple Binary Hypothesis Testing'), 'math.ST with cs.IT is kept');
  const md = await markdown(page);
  assert.equal(md.split('\n').filter((l) => l.startsWith('| **[')).length, 95);
  assert.equal(arxiv.requests()[0].params.search_query, 'ti:"Testing" AND abs:"Testing"');
});
