// Moving in from the tools people leave (issue 25, point 6), on the page as with `daily-papers
// init --from`: the real config files of cv-arxiv-daily and daily-arXiv-ai-enhanced that the
// command-line tool's tests read (cli/tests/fixtures/moving_in/), what was taken and what was not.
// The files are read by a module of its own (yaml-reader/), downloaded only when they are chosen.
// And the config file with the read and saved marks, only when asked (issue 26, point 2).

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { appTest } from './support/session.mjs';
import { bigFeed } from './support/fake-arxiv.mjs';
import {
  startWith, keywordList, byTestId, waitFor, settingValue, openTopicForm, fetchAll,
  waitForSection, rows,
} from './support/app.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.join(here, '..', '..', 'cli', 'tests', 'fixtures', 'moving_in');
const fixture = (name) => path.join(fixtures, name);

/** The lines of a report list ('movein-taken' or 'movein-not-taken'). */
const lines = (page, id) => page.locator(`${byTestId(id)} li`).allInnerTexts();

/** Every request of the page for the YAML reader's files. */
function yamlReaderRequests(page) {
  const seen = [];
  page.on('request', (r) => {
    if (/yaml-reader/.test(new URL(r.url()).pathname)) seen.push(new URL(r.url()).pathname);
  });
  return seen;
}

/** The phrases of a topic, as its form shows them (one a line). */
async function phrases(page, topic) {
  const it = await openTopicForm(page, topic);
  const text = await it.locator(byTestId('topic-phrases')).inputValue();
  await it.locator(byTestId('topic-cancel')).click().catch(() => {});
  return text.split('\n').filter((l) => l.trim() !== '');
}

appTest('cv-arxiv-daily\'s config.yaml gives its keyword groups as topics, says what it did not take, and the reader module comes only then', async ({ page, site, arxiv }) => {
  const requests = yamlReaderRequests(page);
  await startWith(page, { site, arxiv, keywords: [] });
  assert.deepEqual(requests, [], 'the first visit does not download the reader module');

  await page.locator(byTestId('movein-files')).setInputFiles(fixture('cv-arxiv-daily.config.yaml'));
  const taken = await waitFor('the report', async () => {
    const l = await lines(page, 'movein-taken');
    return l.length ? l : null;
  });
  assert.ok(requests.some((p) => p.endsWith('.wasm')), `the reader module was downloaded now: ${requests}`);
  assert.ok(taken.includes('6 topics with 17 phrases from the keyword groups (searched in titles, where cv-arxiv-daily searched every field)'), taken.join('\n'));
  assert.ok(taken.includes('max_results: 10 papers per topic'), taken.join('\n'));
  const notTaken = (await lines(page, 'movein-not-taken')).join('\n');
  for (const field of ['base_url', 'show_badge', 'publish_wechat', 'md_readme_path']) {
    assert.ok(notTaken.includes(field), `${field} is named: ${notTaken}`);
  }
  assert.deepEqual(await keywordList(page), [], 'nothing changes before the button');

  await page.locator(byTestId('movein-apply')).click();
  await waitFor('the topics', async () => (await keywordList(page)).length === 6);
  assert.deepEqual(await keywordList(page), ['SLAM', 'SFM', 'Visual Localization', 'Keypoint Detection', 'Image Matching', 'NeRF']);
  assert.deepEqual(await phrases(page, 'SLAM'), ['SLAM', 'Visual Odometry']);
  assert.equal((await phrases(page, 'Visual Localization')).length, 6);
  assert.equal(await settingValue(page, 'settings-max-results'), '10');
  assert.match(await page.locator(byTestId('movein-status')).innerText(), /^Added 6 topics: SLAM, SFM, /);
  // The repository the report said it took is the one the issue digest links, after a reload too.
  assert.equal(await page.locator(byTestId('settings-repo-url')).inputValue(), 'https://github.com/Vincentqyw/cv-arxiv-daily');
  await page.reload();
  await page.locator(byTestId('settings-repo-url')).waitFor({ state: 'attached' });
  assert.equal(await page.locator(byTestId('settings-repo-url')).inputValue(), 'https://github.com/Vincentqyw/cv-arxiv-daily');
});

appTest('daily-arXiv-ai-enhanced\'s config, keyword list and author list are taken together', async ({ page, site, arxiv }) => {
  await startWith(page, { site, arxiv, keywords: [] });
  await page.locator(byTestId('movein-files')).setInputFiles([
    fixture('daily-arxiv-ai-enhanced.config.yaml'),
    fixture('daily-arxiv-ai-enhanced.keywords.txt'),
  ]);
  await page.locator(byTestId('movein-authors')).setInputFiles(fixture('daily-arxiv-ai-enhanced.authors.txt'));
  await waitFor('the author list in the report', async () => (await lines(page, 'movein-taken')).some((l) => l.startsWith('2 author topics')));
  const taken = await lines(page, 'movein-taken');
  assert.ok(taken.includes('3 topics from the keyword list'), taken.join('\n'));
  assert.ok(taken.some((l) => l.startsWith('categories cs.CV, cs.CL, cs.LG: only papers in them are kept')), taken.join('\n'));
  const notTaken = (await lines(page, 'movein-not-taken')).join('\n');
  assert.match(notTaken, /llm \(Daily Papers writes no summaries/);

  await page.locator(byTestId('movein-apply')).click();
  await waitFor('the topics', async () => (await keywordList(page)).length === 5);
  assert.deepEqual(await keywordList(page), ['diffusion model', 'large language model', 'Retrieval-Augmented Generation', 'Kaiming He', 'Fei-Fei Li']);
  assert.equal(await settingValue(page, 'settings-categories'), 'cs.CV, cs.CL, cs.LG');
});

appTest('a YAML file that cannot be read, or is neither tool\'s, gets a message and changes nothing', async ({ page, site, arxiv }) => {
  await startWith(page, { site, arxiv, keywords: ['Graphs'] });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'movein-'));
  const cases = [
    ['broken.yaml', 'keywords: [unclosed\n', /^broken\.yaml: not YAML: /],
    ['other.yaml', 'name: something else\nversion: 3\n', /^other\.yaml: neither a cv-arxiv-daily config/],
    ['groups.yaml', 'keywords:\n  SLAM:\n    filters: {not: a list}\n', /^groups\.yaml: cv-arxiv-daily config: keywords: group “SLAM”: expected a keyword group/],
  ];
  for (const [name, text, expected] of cases) {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    await page.locator(byTestId('movein-files')).setInputFiles(file);
    const error = page.locator(byTestId('movein-error'));
    await waitFor(`the message for ${name}`, async () => (await error.count()) > 0);
    assert.match(await error.innerText(), expected);
    assert.equal(await page.locator(byTestId('movein-apply')).isDisabled(), true);
  }
  assert.deepEqual(await keywordList(page), ['Graphs']);
});

appTest('the read and saved marks go into the config file only when asked, and come back from it', async ({ page, site, arxiv }) => {
  arxiv.answer('Marked', bigFeed(4, 3));
  await startWith(page, { site, arxiv, keywords: ['Marked'] });
  await fetchAll(page);
  await waitForSection(page, 'Marked', 4);
  await rows(page, 'Marked').nth(0).locator(byTestId('mark-read')).click();
  await rows(page, 'Marked').nth(1).locator(byTestId('save-paper')).click();
  await waitFor('one saved', async () => (await page.locator(byTestId('saved-count')).innerText()) === '1');
  const readId = await rows(page, 'Marked').nth(0).getAttribute('data-id');

  const exported = async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator(byTestId('export-config')).click(),
    ]);
    return download.path();
  };
  // Not asked: no marks.
  const plain = JSON.parse(readFileSync(await exported(), 'utf8'));
  assert.equal('marks' in plain, false, 'no marks unless asked');
  // Asked.
  await page.locator(byTestId('export-marks')).check();
  const withMarksFile = await exported();
  const withMarks = JSON.parse(readFileSync(withMarksFile, 'utf8'));
  assert.equal(withMarks.marks.read.length, 1);
  assert.ok(readId.includes(withMarks.marks.read[0]), `${withMarks.marks.read[0]} is ${readId}`);
  assert.equal(withMarks.marks.saved.length, 1);

  // Another browser (its own storage) loads the file: the marks come with it.
  const other = await page.context().browser().newContext({ timezoneId: 'UTC', locale: 'en-US' });
  try {
    const fresh = await other.newPage();
    await startWith(fresh, { site, arxiv, keywords: [] });
    await fresh.locator(byTestId('import-config')).setInputFiles(withMarksFile);
    const said = fresh.locator(byTestId('config-summary'));
    await said.waitFor();
    assert.match(await said.innerText(), /; 1 read and 1 saved paper$/);
    await fresh.locator(byTestId('config-apply')).click();
    await waitFor('the saved paper', async () => (await fresh.locator(byTestId('saved-count')).innerText()) === '1');
    await fetchAll(fresh);
    await waitForSection(fresh, 'Marked', 4);
    await waitFor('the read paper marked', async () => (await rows(fresh, 'Marked').nth(0).getAttribute('data-read')) === 'true');
  } finally {
    await other.close();
  }
});
