// The user's README is theirs (issue 29), in the page as in the command-line tool: a README with a
// note under a heading, text between two sections and a footer is imported; the preview, a fetch
// of the same answers and a reload keep every byte of that text where it stood; a topic removed
// in the page takes its section along, never the text around it.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { appTest } from './support/session.mjs';
import { feed } from './support/fake-arxiv.mjs';
import {
  startWith, fetchAll, waitForSection, markdown, today, keywordList, byTestId, waitFor, reload,
  removeKeyword, waitForMarkdown,
} from './support/app.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

const SCRIPT = {
  'Video Anomaly Detection': feed('edge-cases.xml'),
  Graphs: feed('legacy-layout-cs.xml'),
  'Software Testing': feed('search-10-entries.xml'),
};
const KEPT = { 'Video Anomaly Detection': 5, Graphs: 1, 'Software Testing': 10 };
const KEYWORDS = Object.keys(KEPT);
const NOTE = 'Picked by hand: graphs of every kind.\n\n';
const BETWEEN = 'Some words between two sections.\n\n';
const FOOTER = '## License\n\nMIT. Curated by Ada.\n';

/** The golden README of fetch.test.mjs on `day`, with the user's own text. */
function withUsersText(day) {
  const text = readFileSync(path.join(here, 'golden/three-keywords.md'), 'utf8');
  assert.ok(text.includes('\n## Graphs\n') && text.includes('\n## Software Testing\n'));
  return text
    .replace('\nLast update: YYYY-MM-DD\n', `\nLast update: ${day}\n`)
    .replace('\n## Graphs\n', `\n## Graphs\n${NOTE}`)
    .replace('\n## Software Testing\n', `\n${BETWEEN}## Software Testing\n`)
    + FOOTER;
}

appTest('the text of the user around the tables survives import, fetch and reload; a removed topic takes only its section', async ({ page, site, arxiv }) => {
  await startWith(page, { site, arxiv, keywords: [] });
  const pasted = withUsersText('2026-01-02');
  await page.locator(byTestId('import-open')).click();
  await page.locator(byTestId('import-text')).fill(pasted);
  const summary = page.locator(byTestId('import-summary'));
  await summary.waitFor({ state: 'visible' });
  assert.match(await summary.innerText(), /^3 topics, 16 papers; /, 'the note does not hide the Graphs section');
  await page.locator(byTestId('import-apply')).click();
  await waitFor('the topics to be added', async () => (await keywordList(page)).length === 3);
  assert.deepEqual(await keywordList(page), KEYWORDS);
  await waitForMarkdown(page, pasted, 'the preview equals the pasted README');

  const day = today();
  await fetchAll(page);
  await arxiv.waitForRequests(KEYWORDS.length);
  for (const kw of KEYWORDS) await waitForSection(page, kw, KEPT[kw]);
  await waitForMarkdown(page, withUsersText(day), 'the README after fetching the same answers');

  await reload(page);
  await waitForMarkdown(page, withUsersText(day), 'the README after a reload');

  // Removing Graphs in the page removes its section (and the note under its heading), never the
  // text between the sections or the footer.
  await removeKeyword(page, 'Graphs');
  await waitFor('Graphs to go', async () => !(await keywordList(page)).includes('Graphs'));
  const md = await waitFor('the README without Graphs', async () => {
    const m = await markdown(page);
    return m.includes('## Graphs') ? null : m;
  });
  assert.ok(!md.includes(NOTE), md);
  assert.ok(md.includes(`\n${BETWEEN}## Software Testing\n`), md);
  assert.ok(md.endsWith(` |\n\n${FOOTER}`), md);
}, { script: SCRIPT });
