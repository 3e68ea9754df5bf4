// Topics (issue 9): a topic with every field made through the editor, its compiled query sent to
// arXiv and arXiv's answer re-checked; each field's refusal next to it; papers kept through a
// rename and marked after an edit of the search; version 1's keyword list and papers loaded as
// topics; a stored category arXiv does not have keeps the other settings. The seed flow's README
// (type, Enter, Fetch all, Copy) is the golden test of fetch.test.mjs, unchanged.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { appTest } from './support/session.mjs';
import { feed } from './support/fake-arxiv.mjs';
import {
  openApp, reload, startWith, fetchAll, waitForSection, rowTitles, markdown, keywordList,
  addKeywords, byTestId, waitFor, section, paperCount, openTopicForm, fillTopicForm,
  saveTopicForm, editTopic, topicSummary, fromPreviousSearch, item, keywordError, visibleText,
  settingValue,
  openItemMenu,
} from './support/app.mjs';

// The topic of core/tests/topic_query.rs's `all_fields_together`, whose compiled query the core's
// native test asserts byte for byte: the same string must reach arXiv.
const VAD = {
  name: 'Video Anomalies',
  phrases: ['Video Anomaly Detection', 'VAD'],
  exclude: ['medical'],
  authors: ['Kaiming He'],
  categories: 'cs.CV, cs.LG',
};
const VAD_QUERY = '(((ti:"Video Anomaly Detection" OR abs:"Video Anomaly Detection") OR (ti:"VAD" AND abs:"VAD") OR au:"Kaiming He") AND (cat:cs.CV OR cat:cs.LG)) ANDNOT (ti:"medical" OR abs:"medical")';
// What fixtures/topic-vad.xml keeps once re-checked (see its header), in arXiv's order.
const VAD_KEPT = [
  'Video Anomaly Detection with Transformers',
  'Masked Autoencoders Are Scalable Vision Learners',
  'VAD: A Benchmark',
];
const VAD_DROPPED = [
  'Anomaly Detection for Medical Video',
  'Abnormal Events in Sequences',
  'Video Anomaly Detection for Robots',
];

/** The element focused now: its test id, or its tag. */
const focused = (page) => page.evaluate(() => document.activeElement?.dataset.testid ?? document.activeElement?.tagName);

appTest('a topic with every field is made in the editor; its compiled query is sent and what slipped through is dropped', async ({ page, site, arxiv }) => {
  arxiv.answerQuery('au:"Kaiming He"', feed('topic-vad.xml'));
  await startWith(page, { site, arxiv, keywords: ['VAD draft'] });
  assert.equal(await topicSummary(page, 'VAD draft'), '', 'a typed keyword is a plain one-phrase topic');

  // The form opens on the name, prefilled with what typing made.
  const it = await openTopicForm(page, 'VAD draft');
  assert.equal(await focused(page), 'topic-name');
  assert.equal(await it.locator(byTestId('topic-name')).inputValue(), 'VAD draft');
  assert.equal(await it.locator(byTestId('topic-phrases')).inputValue(), 'VAD draft');
  await fillTopicForm(it, VAD);
  // Enter in a one-line field saves, as in any form; the focus goes back to the item.
  await it.locator(byTestId('topic-categories')).press('Enter');
  await waitFor('the form to close', async () => (await it.locator(byTestId('topic-form')).count()) === 0);
  assert.deepEqual(await keywordList(page), ['Video Anomalies']);
  assert.equal(await topicSummary(page, 'Video Anomalies'), '2 phrases, 1 exclusion, 1 author, cs.CV, cs.LG');
  await waitFor('the focus back on the item after save', async () => (await focused(page)) === 'topic-menu');

  await fetchAll(page);
  await waitForSection(page, 'Video Anomalies', VAD_KEPT.length);
  await arxiv.waitForRequests(1);
  assert.deepEqual(arxiv.searchQueries(), [VAD_QUERY], 'the logged query is the core\'s compiled query');
  assert.deepEqual(await rowTitles(page, 'Video Anomalies'), VAD_KEPT);

  const md = await waitFor('the README', async () => {
    const m = await markdown(page);
    return m.includes('## Video Anomalies\n') ? m : null;
  });
  for (const title of VAD_KEPT) assert.ok(md.includes(`| **[${title}](`), `the README lists ${title}`);
  for (const title of VAD_DROPPED) {
    assert.ok(!md.includes(title), `the README leaves out ${title}`);
    assert.ok(!(await section(page, 'Video Anomalies').innerText()).includes(title), `the table leaves out ${title}`);
  }

  // Kept as made across a reload, form included.
  await reload(page);
  assert.equal(await topicSummary(page, 'Video Anomalies'), '2 phrases, 1 exclusion, 1 author, cs.CV, cs.LG');
  const again = await openTopicForm(page, 'Video Anomalies');
  assert.equal(await again.locator(byTestId('topic-phrases')).inputValue(), 'Video Anomaly Detection\nVAD');
  assert.equal(await again.locator(byTestId('topic-exclude')).inputValue(), 'medical');
  assert.equal(await again.locator(byTestId('topic-authors')).inputValue(), 'Kaiming He');
  assert.equal(await again.locator(byTestId('topic-categories')).inputValue(), 'cs.CV, cs.LG');
});

appTest('each field of the topic form says what is wrong next to it; nothing is saved or sent; Escape cancels', async ({ page, site, arxiv }) => {
  await startWith(page, { site, arxiv, keywords: ['Graph Neural Networks', 'Diffusion'] });
  const it = await openTopicForm(page, 'Diffusion');
  const refusals = [
    [{ name: '  ' }, 'topic-name', /give the topic a name/i],
    [{ name: 'graph neural networks' }, 'topic-name', /already in the list/i],
    [{ name: 'Diffusion', phrases: ['ok', 'x'.repeat(201)] }, 'topic-phrases', /phrase on line 2 is too long/i],
    [{ phrases: ['Diffusion'], exclude: ['""'] }, 'topic-exclude', /exclusion on line 1 is only quotes/i],
    [{ exclude: ['Diffusion'] }, 'topic-exclude', /both a phrase and an exclusion/i],
    [{ exclude: [], authors: ['Yang Song', 'yang song'] }, 'topic-authors', /author .*listed twice/i],
    [{ authors: [], categories: 'cs.CV, cs.XY' }, 'topic-categories', /cs\.XY/],
    [{ categories: '', phrases: [] }, 'topic-phrases', /at least one phrase \(or one author\)/i],
    // Ten phrases of 150 characters compile to a search longer than the endpoint takes.
    [{ phrases: Array.from({ length: 10 }, (_, i) => `${i} ${'long phrase '.repeat(12)}`.slice(0, 150)) }, 'topic-phrases', /at most 1000 can be sent/i],
  ];
  const fields = ['topic-name', 'topic-phrases', 'topic-exclude', 'topic-authors', 'topic-categories'];
  for (const [fill, field, message] of refusals) {
    await fillTopicForm(it, fill);
    await it.locator(byTestId('topic-save')).click();
    const shown = await waitFor(`the refusal next to ${field}`, async () => {
      const text = (await it.locator(byTestId(`${field}-error`)).innerText()).trim();
      return text || null;
    });
    assert.match(shown, message, `${JSON.stringify(fill).slice(0, 60)} is refused next to ${field}`);
    assert.equal(await it.locator(byTestId(field)).getAttribute('aria-invalid'), 'true');
    for (const other of fields.filter((f) => f !== field)) {
      assert.equal((await it.locator(byTestId(`${other}-error`)).innerText()).trim(), '', `no message next to ${other}`);
    }
    await waitFor(`the focus on ${field}, the field to fix`, async () => (await focused(page)) === field);
  }
  // Escape gives the edit up: the topic is as it was, the focus back on its item.
  await it.locator(byTestId('topic-phrases')).press('Escape');
  await waitFor('the form to close', async () => (await it.locator(byTestId('topic-form')).count()) === 0);
  await waitFor('the focus back on the item after Escape', async () => (await focused(page)) === 'topic-menu');
  assert.deepEqual(await keywordList(page), ['Graph Neural Networks', 'Diffusion']);
  assert.equal(await topicSummary(page, 'Diffusion'), '');
  // Cancel too; and the reopened form shows the saved topic, not the refused text.
  const reopened = await openTopicForm(page, 'Diffusion');
  assert.equal(await reopened.locator(byTestId('topic-phrases')).inputValue(), 'Diffusion');
  await reopened.locator(byTestId('topic-cancel')).click();
  await waitFor('the form to close', async () => (await reopened.locator(byTestId('topic-form')).count()) === 0);
  assert.equal(arxiv.requests().length, 0, 'nothing was sent');
  await reload(page);
  assert.deepEqual(await keywordList(page), ['Graph Neural Networks', 'Diffusion']);
});

appTest('a rename keeps the papers, after a reload too', async ({ page, site, arxiv }) => {
  arxiv.answerQuery('au:"Kaiming He"', feed('topic-vad.xml'));
  arxiv.answer('Software Testing', feed('search-10-entries.xml'));
  await startWith(page, { site, arxiv, keywords: ['VAD draft', 'Software Testing'] });
  await editTopic(page, 'VAD draft', VAD);
  await fetchAll(page);
  await waitForSection(page, 'Video Anomalies', 3);
  await waitForSection(page, 'Software Testing', 10);
  await arxiv.waitForRequests(2);

  // In the form: a topic that is more than its name keeps its search, so its papers are current.
  await editTopic(page, 'Video Anomalies', { name: 'Anomalies in Video' });
  await waitForSection(page, 'Anomalies in Video', 3);
  assert.equal(await fromPreviousSearch(page, 'Anomalies in Video'), false);
  // In place, changing the case of a keyword: the same search for arXiv, papers current too.
  const st = await item(page, 'Software Testing');
  await openItemMenu(st);
  await st.getByRole('button', { name: 'Rename' }).click();
  await st.getByRole('textbox').fill('software testing');
  await st.getByRole('textbox').press('Enter');
  await waitFor('the rename', async () => (await keywordList(page)).includes('software testing'));
  await waitForSection(page, 'software testing', 10);
  assert.equal(await fromPreviousSearch(page, 'software testing'), false);
  await waitFor('the README with the new headings', async () => {
    const m = await markdown(page);
    return m.includes('## Anomalies in Video\n') && m.includes('## software testing\n') && !m.includes('## Video Anomalies\n');
  });

  await reload(page);
  assert.deepEqual(await keywordList(page), ['Anomalies in Video', 'software testing']);
  await waitForSection(page, 'Anomalies in Video', 3);
  assert.deepEqual(await rowTitles(page, 'Anomalies in Video'), VAD_KEPT);
  await waitForSection(page, 'software testing', 10);
  assert.equal(arxiv.requests().length, 2, 'no request: the papers came from storage');
});

appTest('an edit of the search keeps the old papers, marked as from the previous search, until the next fetch', async ({ page, site, arxiv }) => {
  arxiv.answer('Video Anomaly Detection', feed('edge-cases.xml'));
  arxiv.answerQuery('ANDNOT', feed('topic-vad.xml'));
  await startWith(page, { site, arxiv, keywords: ['Video Anomaly Detection'] });
  await fetchAll(page);
  await waitForSection(page, 'Video Anomaly Detection', 5);
  assert.equal(await fromPreviousSearch(page, 'Video Anomaly Detection'), false);
  const before = await rowTitles(page, 'Video Anomaly Detection');

  await editTopic(page, 'Video Anomaly Detection', { exclude: ['medical'] });
  assert.equal(await topicSummary(page, 'Video Anomaly Detection'), '1 phrase, 1 exclusion');
  await waitFor('the previous-search note', () => fromPreviousSearch(page, 'Video Anomaly Detection'));
  assert.match(await section(page, 'Video Anomaly Detection').locator(byTestId('previous-query')).innerText(), /previous search/i);
  assert.deepEqual(await rowTitles(page, 'Video Anomaly Detection'), before, 'the old papers stay on screen');

  await reload(page);
  await waitForSection(page, 'Video Anomaly Detection', 5);
  assert.equal(await fromPreviousSearch(page, 'Video Anomaly Detection'), true, 'still marked after a reload');

  // Editing the search back makes the papers current again.
  await editTopic(page, 'Video Anomaly Detection', { exclude: [] });
  await waitFor('the note to go', async () => !(await fromPreviousSearch(page, 'Video Anomaly Detection')));
  await editTopic(page, 'Video Anomaly Detection', { exclude: ['medical'] });
  await waitFor('the note again', () => fromPreviousSearch(page, 'Video Anomaly Detection'));

  await fetchAll(page);
  await arxiv.waitForRequests(2);
  assert.equal(arxiv.searchQueries()[1], '(ti:"Video Anomaly Detection" OR abs:"Video Anomaly Detection") ANDNOT (ti:"medical" OR abs:"medical")');
  // topic-vad.xml re-checked for this topic: the two papers mentioning "medical" are dropped.
  await waitFor('the new papers', async () => (await paperCount(page, 'Video Anomaly Detection')) === 4);
  assert.equal(await fromPreviousSearch(page, 'Video Anomaly Detection'), false, 'the next fetch clears the note');
  assert.equal(await keywordError(page, 'Video Anomaly Detection'), '');
});

/** What version 1 stored (written by its own writer; see core/tests/fixtures/stored-v1/). */
const v1 = (name) => readFileSync(new URL(`../../core/tests/fixtures/stored-v1/${name}`, import.meta.url), 'utf8');

/** The keys of the papers database's results store, sorted. */
const papersDbKeys = (page) => page.evaluate(() => new Promise((resolve, reject) => {
  const open = indexedDB.open('daily-papers');
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const req = open.result.transaction('results').objectStore('results').getAllKeys();
    req.onsuccess = () => { open.result.close(); resolve(req.result.sort()); };
  };
}));

appTest('the keyword list and papers the current release stored load as topics with their papers', async ({ page, site, arxiv }) => {
  await openApp(page, site.url);
  const stored = {
    'Software Testing': v1('results-100.json'),
    'Video Understanding': v1('results-10-busy.json'),
    'Never Fetched': v1('results-never.json'),
  };
  // The current release's storage, exactly as it leaves it.
  await page.evaluate(({ stored, settings }) => {
    localStorage.clear();
    localStorage.setItem('daily-papers/v1/keywords', JSON.stringify(Object.keys(stored)));
    localStorage.setItem('daily-papers/v1/settings', settings);
    for (const [kw, text] of Object.entries(stored)) {
      localStorage.setItem(`daily-papers/v1/results/${kw.toLowerCase()}`, text);
    }
    // The fixtures' fetch time is fixed, so "refresh on open" would fetch once it is old: this
    // test is about loading the stored papers, with no request at all.
    localStorage.setItem('daily-papers/v2/refresh-on-open', '{"enabled":false,"afterHours":12}');
  }, { stored, settings: v1('settings.json') });

  for (const visit of ['upgrade', 'second reload']) {
    await reload(page);
    assert.deepEqual(await keywordList(page), Object.keys(stored), `${visit}: the keywords are the topics, in order`);
    for (const kw of Object.keys(stored)) assert.equal(await topicSummary(page, kw), '', `${visit}: ${kw} is a one-phrase topic`);
    for (const [kw, text] of Object.entries(stored)) {
      const titles = JSON.parse(text).papers.map((p) => p.title);
      if (titles.length === 0) continue;
      await waitForSection(page, kw, titles.length);
      assert.deepEqual(await rowTitles(page, kw), titles, `${visit}: every paper of ${kw}`);
      assert.equal(await fromPreviousSearch(page, kw), false, `${visit}: ${kw}'s papers are its topic's`);
    }
    assert.match(await keywordError(page, 'Video Understanding'), /busy/i, `${visit}: the stored error is kept`);
    await waitFor(`${visit}: the papers moved under the topics' ids`, async () =>
      JSON.stringify(await papersDbKeys(page)) === JSON.stringify(['topic/1', 'topic/2', 'topic/3']));
    const left = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('daily-papers/v1/')).sort());
    assert.deepEqual(left, ['daily-papers/v1/settings'], `${visit}: the old keyword list and papers are gone once moved`);
    const topics = await page.evaluate(() => JSON.parse(localStorage.getItem('daily-papers/v2/topics')));
    assert.deepEqual(topics.topics.map((t) => [t.id, t.topic.name]), [[1, 'Software Testing'], [2, 'Video Understanding'], [3, 'Never Fetched']]);
  }
  // The moved papers belong to the topic: a rename keeps them.
  await editTopic(page, 'Software Testing', { name: 'Testing Software' });
  await reload(page);
  await waitForSection(page, 'Testing Software', JSON.parse(stored['Software Testing']).papers.length);
  assert.equal(arxiv.requests().length, 0, 'no request: everything came from storage');
});

appTest('a stored category arXiv does not have is reported; the other settings are kept and the stored value left alone', async ({ page, site }) => {
  await openApp(page, site.url);
  // Valid in earlier releases (any prefix), refused now: only arXiv's own names.
  const settings = '{"endpoint":"http://127.0.0.1:9/api/query","spacing":1500,"max_results":25,"sort_by":"relevance","link_style":"pdf","categories":"cs, zzz"}';
  await page.evaluate((s) => localStorage.setItem('daily-papers/v1/settings', s), settings);
  await reload(page);
  const message = await waitFor('the message about the categories', async () =>
    (await visibleText(page)).split('\n').find((l) => /allowed categories/i.test(l) && /zzz/.test(l)));
  assert.match(message, /the rest is kept/i);
  assert.equal(await settingValue(page, 'settings-endpoint'), 'http://127.0.0.1:9/api/query');
  assert.equal(await settingValue(page, 'settings-max-results'), '25');
  assert.equal(await settingValue(page, 'settings-categories'), 'cs, stat', 'the default categories are used');
  assert.equal(await page.evaluate(() => localStorage.getItem('daily-papers/v1/settings')), settings, 'the stored value is untouched');
  await addKeywords(page, ['Still Works']);
});
