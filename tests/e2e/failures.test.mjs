// Every way a keyword's fetch can fail (issue 3, point 4): the section says what happened, the
// previous results stay on screen and in the markdown, and Retry recovers.

import assert from 'node:assert/strict';
import { appTest } from './support/session.mjs';
import { feed, httpError, arxivError, truncatedFeed, emptyFeed, withoutCors } from './support/fake-arxiv.mjs';
import {
  startWith, fetchAll, waitForSection, rows, rowTitles, markdown, keywordError,
  waitForKeywordError, retry, waitFor, byTestId, setSetting, section,
} from './support/app.mjs';

const KW = 'Video Anomaly Detection';
const PREVIOUS_TITLE = 'Proceedings of Workshop AEW10: Concepts in Information Theory and Communications';

/** A first, successful fetch: one paper (single-entry.xml) on screen and in the markdown. */
async function withPreviousResults({ page, site, arxiv }) {
  arxiv.answer(KW, feed('single-entry.xml'));
  await startWith(page, { site, arxiv, keywords: [KW] });
  await fetchAll(page);
  await waitForSection(page, KW, 1);
  assert.deepEqual(await rowTitles(page, KW), [PREVIOUS_TITLE]);
  await arxiv.waitForRequests(1);
}

/** The failed fetch left the previous paper on screen and in the markdown. */
async function expectPreviousResultsKept(page) {
  assert.deepEqual(await rowTitles(page, KW), [PREVIOUS_TITLE], 'the previous results stay on screen');
  const md = await markdown(page);
  assert.ok(md.includes(`## ${KW}\n`) && md.includes(`**[${PREVIOUS_TITLE}](`), 'the previous results stay in the markdown');
}

/** Retry with arXiv answering again: the new results replace the old and the error goes. */
async function expectRetryRecovers({ page, arxiv }) {
  arxiv.answer(KW, feed('search-10-entries.xml'));
  const before = arxiv.requests().length;
  await retry(page, KW);
  await waitForSection(page, KW, 10);
  await waitFor('the error to go', async () => (await keywordError(page, KW)) === '');
  assert.equal(arxiv.requests().length, before + 1, 'Retry asks once');
  assert.ok((await markdown(page)).includes('Testing Deep Learning Models'), 'the markdown has the new results');
}

appTest('a network or CORS failure says the endpoint may not allow cross-origin requests, keeps the results, recovers with Retry', async (t) => {
  await withPreviousResults(t);
  t.arxiv.answer(KW, withoutCors(feed('search-10-entries.xml')));
  await fetchAll(t.page);
  const message = await waitForKeywordError(t.page, KW);
  assert.match(message, /endpoint/i, `the message says what to set instead: ${message}`);
  // Issue 13: the message is in plain words; the technical cause is behind "Details".
  const details = section(t.page, KW).locator(byTestId('error-detail'));
  await details.locator('summary').click();
  assert.match(await details.innerText(), /cross-origin|CORS/i, 'the details name the likely cause');
  await expectPreviousResultsKept(t.page);
  await expectRetryRecovers(t);
});

appTest('an endpoint that is down is reported as a network failure, keeps the results, recovers with Retry', async (t) => {
  await withPreviousResults(t);
  await setSetting(t.page, 'settings-endpoint', 'http://127.0.0.1:9/api/query'); // nothing listens on port 9
  await fetchAll(t.page);
  const message = await waitForKeywordError(t.page, KW);
  assert.match(message, /127\.0\.0\.1:9/, `the message names the endpoint: ${message}`);
  await expectPreviousResultsKept(t.page);
  await setSetting(t.page, 'settings-endpoint', t.arxiv.url);
  await expectRetryRecovers(t);
});

appTest('another HTTP error (500) says its status, keeps the results, recovers with Retry', async (t) => {
  await withPreviousResults(t);
  t.arxiv.answer(KW, httpError(500));
  await fetchAll(t.page);
  const message = await waitForKeywordError(t.page, KW);
  assert.match(message, /\b500\b/, `the message gives the status: ${message}`);
  await expectPreviousResultsKept(t.page);
  await expectRetryRecovers(t);
});

appTest('HTTP 503 and 429 are retried with backoff and then succeed', async (t) => {
  await withPreviousResults(t);
  t.arxiv.answer(KW, httpError(503), httpError(429), feed('search-10-entries.xml'));
  await fetchAll(t.page);
  await waitForSection(t.page, KW, 10);
  assert.equal(await keywordError(t.page, KW), '', 'no error left after a successful retry');
  const tries = t.arxiv.requestsFor(KW).slice(1);
  assert.deepEqual(tries.map((r) => r.status), [503, 429, 200], t.arxiv.describe());
  for (let i = 1; i < tries.length; i++) {
    assert.ok(tries[i].start - tries[i - 1].end >= 1000 - 20, `retries never overlap and wait at least the spacing: ${t.arxiv.describe()}`);
  }
});

appTest('a busy answer\'s Retry-After is waited for before the next try, and the progress says so', async (t) => {
  await withPreviousResults(t);
  t.arxiv.answer(KW, httpError(503, { headers: { 'Retry-After': '6' } }), feed('search-10-entries.xml'));
  await fetchAll(t.page);
  // 6 s asked for (longer than the first backoff, 2 s), then the spacing of 1 s.
  const progress = t.page.locator(byTestId('progress'));
  await waitFor('the wait asked for to be shown', async () => /trying again in 7 s/.test(await progress.innerText()));
  await waitForSection(t.page, KW, 10);
  const tries = t.arxiv.requestsFor(KW).slice(1);
  assert.deepEqual(tries.map((r) => r.status), [503, 200], t.arxiv.describe());
  assert.ok(tries[1].start - tries[0].end >= 6000 - 20, `the next try waited as asked: ${t.arxiv.describe()}`);
});

appTest('HTTP 429 three times gives up with a message, keeps the results, recovers with Retry', async (t) => {
  await withPreviousResults(t);
  t.arxiv.answer(KW, httpError(429));
  await fetchAll(t.page);
  const message = await waitForKeywordError(t.page, KW, { timeout: 60_000 });
  assert.match(message, /429|too many|rate|busy/i, `the message says arXiv is busy: ${message}`);
  assert.equal(t.arxiv.requestsFor(KW).length, 1 + 3, `at most 3 tries: ${t.arxiv.describe()}`);
  await expectPreviousResultsKept(t.page);
  await expectRetryRecovers(t);
}, { timeout: 120_000 });

appTest('an arXiv error entry shows arXiv\'s message, keeps the results, recovers with Retry', async (t) => {
  await withPreviousResults(t);
  t.arxiv.answer(KW, arxivError());
  await fetchAll(t.page);
  const message = await waitForKeywordError(t.page, KW);
  assert.match(message, /incorrect id format for abc/, `arXiv's own words are shown: ${message}`);
  await expectPreviousResultsKept(t.page);
  assert.equal(t.arxiv.requestsFor(KW).length, 2, 'an arXiv error is not retried by itself');
  await expectRetryRecovers(t);
});

appTest('a malformed feed is reported, keeps the results, recovers with Retry', async (t) => {
  await withPreviousResults(t);
  t.arxiv.answer(KW, truncatedFeed());
  await fetchAll(t.page);
  const message = await waitForKeywordError(t.page, KW);
  assert.ok(message.length > 10, `a message is shown: ${message}`);
  assert.match(message, /malformed|broken|incomplete|invalid|could not (be )?(read|parse)|unreadable|cut off|truncated/i, `the message says the answer is broken: ${message}`);
  await expectPreviousResultsKept(t.page);
  await expectRetryRecovers(t);
});

appTest('an HTML page instead of a feed is reported, keeps the results, recovers with Retry', async (t) => {
  await withPreviousResults(t);
  t.arxiv.answer(KW, httpError(200));
  await fetchAll(t.page);
  const message = await waitForKeywordError(t.page, KW);
  assert.ok(message.length > 10, `a message is shown: ${message}`);
  await expectPreviousResultsKept(t.page);
  await expectRetryRecovers(t);
});

appTest('an empty result is retried once, then shown as no match in neutral words, not as an error', async (t) => {
  await withPreviousResults(t);
  t.arxiv.answer(KW, emptyFeed());
  await fetchAll(t.page);
  const note = t.page.locator(`${byTestId('keyword-section')}[data-keyword="${KW}"] ${byTestId('no-match')}`);
  await waitFor('the no-match note', () => note.isVisible());
  assert.match(await note.innerText(), /^No paper matches this topic yet \(checked at \d\d:\d\d\)$/);
  assert.equal(await keywordError(t.page, KW), '', 'no error is shown');
  assert.equal(t.arxiv.requestsFor(KW).length, 1 + 2, `one try and one retry: ${t.arxiv.describe()}`);
  await expectRetryRecovers(t);
});

appTest('an empty answer once is retried and the second answer is shown', async (t) => {
  await withPreviousResults(t);
  t.arxiv.answer(KW, emptyFeed(), feed('search-10-entries.xml'));
  await fetchAll(t.page);
  await waitForSection(t.page, KW, 10);
  assert.equal(await keywordError(t.page, KW), '');
  assert.equal(t.arxiv.requestsFor(KW).length, 3);
});

appTest('one failing keyword does not stop the others', async (t) => {
  t.arxiv.answer('Broken Topic', arxivError());
  t.arxiv.answer('Fine Topic', feed('single-entry.xml'));
  await startWith(t.page, { site: t.site, arxiv: t.arxiv, keywords: ['Broken Topic', 'Fine Topic'] });
  await fetchAll(t.page);
  await waitForSection(t.page, 'Fine Topic', 1);
  assert.match(await waitForKeywordError(t.page, 'Broken Topic'), /incorrect id format/);
  assert.equal(await rows(t.page, 'Broken Topic').count(), 0);
  const md = await markdown(t.page);
  assert.ok(md.includes('## Fine Topic\n'), 'the fetched keyword is in the markdown');
  assert.ok(!md.includes('## Broken Topic'), 'a keyword never fetched successfully is left out of the markdown');
  const readmePanel = t.page.locator(byTestId('copy-markdown')).locator('xpath=ancestor::section[1]');
  assert.match(await readmePanel.innerText(), /Broken Topic/, 'a warning next to Copy names the keyword left out');
});
