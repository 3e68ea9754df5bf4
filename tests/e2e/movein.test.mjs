// Moving in (issue 11): a Daily Papers README pasted or chosen as a file gives back its topics,
// settings and tables; fetching the same answers writes the same README again; something that is
// not such a README is refused with the core's message and nothing changes.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { appTest } from './support/session.mjs';
import { feed } from './support/fake-arxiv.mjs';
import {
  startWith, fetchAll, waitForSection, markdown, today, keywordList, byTestId, waitFor,
  settingValue, rows, waitForMarkdown,
} from './support/app.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.join(here, '..', '..');

// The golden README of fetch.test.mjs, its feeds and the papers each section keeps.
const GOLDEN_SCRIPT = {
  'Video Anomaly Detection': feed('edge-cases.xml'),
  Graphs: feed('legacy-layout-cs.xml'),
  'Software Testing': feed('search-10-entries.xml'),
};
const KEPT = { 'Video Anomaly Detection': 5, Graphs: 1, 'Software Testing': 10 };
const KEYWORDS = Object.keys(KEPT);

function golden(day) {
  const text = readFileSync(path.join(here, 'golden/three-keywords.md'), 'utf8');
  assert.ok(text.includes('\nLast update: YYYY-MM-DD\n'));
  return text.replace('\nLast update: YYYY-MM-DD\n', `\nLast update: ${day}\n`);
}

async function openImport(page) {
  await page.locator(byTestId('import-open')).click();
  await page.locator(byTestId('import-text')).waitFor({ state: 'visible' });
}

async function summary(page) {
  const s = page.locator(byTestId('import-summary'));
  await s.waitFor({ state: 'visible' });
  return s.innerText();
}

appTest('a pasted README gives its topics, settings and tables; fetching the same answers writes it back byte for byte', async ({ page, site, arxiv }) => {
  await startWith(page, { site, arxiv, keywords: [] });
  const pasted = golden('2026-01-02');
  await openImport(page);
  await page.locator(byTestId('import-text')).fill(pasted);
  assert.equal(await summary(page), '3 topics, 16 papers; links to abstract pages, so newest first; up to 10 per topic');
  assert.deepEqual(await keywordList(page), [], 'nothing changes before Import');

  await page.locator(byTestId('import-apply')).click();
  await waitFor('the topics to be added', async () => (await keywordList(page)).length === 3);
  assert.deepEqual(await keywordList(page), KEYWORDS, 'the README\'s order');
  assert.equal(await settingValue(page, 'settings-link-style'), 'abs');
  assert.equal(await settingValue(page, 'settings-max-results'), '10');
  for (const kw of KEYWORDS) await waitForSection(page, kw, KEPT[kw]);
  assert.equal(await rows(page, 'Graphs').first().locator('a').first().innerText() !== '', true);
  await waitForMarkdown(page, pasted, 'the README preview equals the pasted README');

  const day = today();
  await fetchAll(page);
  await arxiv.waitForRequests(KEYWORDS.length);
  await waitForMarkdown(page, golden(day), 'the README after fetching the same answers');
  for (const kw of KEYWORDS) await waitForSection(page, kw, KEPT[kw]);
  assert.equal(await page.locator(byTestId('new-badge')).count(), 0, 'no paper of the README is marked new');
}, { script: GOLDEN_SCRIPT });

appTest('a README chosen as a file keeps its own header; a topic already listed is merged, not duplicated', async ({ page, site, arxiv }) => {
  await startWith(page, { site, arxiv, keywords: ['trajectory'] });
  const file = path.join(repo, 'core/tests/fixtures/readmes/dailyarxiv/README.md');
  const text = readFileSync(file, 'utf8');
  await openImport(page);
  await page.locator(byTestId('import-file')).setInputFiles(file);
  assert.match(await summary(page), /^3 topics, \d+ papers; /);
  await page.locator(byTestId('import-apply')).click();
  await waitFor('the topics to be added', async () => (await keywordList(page)).length === 3);
  const listed = await keywordList(page);
  assert.deepEqual([...listed].sort(), ['Graph Neural Networks', 'Time Series', 'trajectory'], `merged by name: ${listed}`);
  // The header is the file's own; every section is the file's.
  const md = await waitFor('the README preview', async () => {
    const m = await markdown(page);
    return m.includes('## Graph Neural Networks') ? m : null;
  });
  const header = text.slice(0, text.indexOf('## Time Series'));
  assert.ok(md.startsWith(header.slice(0, header.indexOf('Last update:'))), 'the header above the date is kept');
  assert.ok(md.includes('Last update: 2026-08-21\n'), 'the README\'s date until a fetch');
  // Over 100 kB: the preview holds the README's first lines and says so; Download gives it all
  // (what `markdown` read above).
  assert.match(await page.locator(byTestId('readme-preview-cut')).innerText(), /^The preview shows the first \d+ kB of the README; Copy and Download give all of it\.$/);
  const preview = await page.locator(byTestId('markdown-output')).textContent();
  assert.ok(preview.length > 50_000 && preview.length < md.length && md.startsWith(preview), 'the preview is the start of the README, cut after a line');
  assert.ok(preview.endsWith('\n'));
});

appTest('something that is not a README gets the core\'s message and changes nothing', async ({ page, site, arxiv }) => {
  await startWith(page, { site, arxiv, keywords: ['Graphs'] });
  await openImport(page);
  await page.locator(byTestId('import-text')).fill('just some words\nand another line\n');
  const message = await summary(page);
  assert.ok(message.length > 20, `a message: ${message}`);
  assert.equal(await page.locator(byTestId('import-apply')).isDisabled(), true);
  assert.deepEqual(await keywordList(page), ['Graphs']);
});

/** A page in a new browser context (its own, empty storage), closed by `done()`. */
async function freshPage(context, site) {
  const other = await context.browser().newContext({ timezoneId: 'UTC', locale: 'en-US', acceptDownloads: true });
  await other.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.origin });
  const page = await other.newPage();
  page.setDefaultTimeout(20_000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return { page, errors, done: () => other.close() };
}

async function importPasted(page, text) {
  await openImport(page);
  await page.locator(byTestId('import-text')).fill(text);
  await summary(page);
  await page.locator(byTestId('import-apply')).click();
}

appTest('the issue digest waits for the repository address, then equals its golden file', async ({ page, site, arxiv }) => {
  await startWith(page, { site, arxiv, keywords: [] });
  await importPasted(page, golden('2026-01-02'));
  await waitFor('the topics', async () => (await keywordList(page)).length === 3);
  assert.equal(await page.locator(byTestId('digest-hint')).isVisible(), true, 'a hint until the address is set');
  assert.equal(await page.locator(byTestId('copy-digest')).isDisabled(), true);
  const repoField = page.locator(byTestId('settings-repo-url'));
  await repoField.fill('not an address');
  await repoField.press('Tab');
  assert.equal(await page.locator(byTestId('copy-digest')).isDisabled(), true, 'a bad address is refused');
  await repoField.fill('https://github.com/octocat/daily-papers');
  await repoField.press('Tab');
  const expected = readFileSync(path.join(here, 'golden/three-keywords-ISSUE_TEMPLATE.md'), 'utf8');
  const out = page.locator(byTestId('digest-output'));
  const text = await waitFor('the digest', async () => {
    const t = await out.evaluate((el) => el.textContent);
    return t === expected ? t : null;
  }).catch(() => out.evaluate((el) => el.textContent));
  assert.equal(text, expected);
  // (Nothing was copied before: the clipboard holds the digest only once Copy has run.)
  await page.locator(byTestId('copy-digest')).click();
  await waitFor('the digest on the clipboard', async () => (await page.evaluate(() => navigator.clipboard.readText())) === expected);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator(byTestId('download-digest')).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'ISSUE_TEMPLATE.md');
  assert.equal(readFileSync(await download.path(), 'utf8'), expected);
});

appTest('a share link opened in a fresh browser adds the topics only after confirming', async ({ page, site, arxiv, context }) => {
  await startWith(page, { site, arxiv, keywords: ['Graphs', 'Software Testing'] });
  await page.locator(byTestId('topic-menu')).first().waitFor();
  await page.locator(byTestId('share-link')).click();
  const link = await waitFor('the link on the clipboard', async () => {
    const t = await page.evaluate(() => navigator.clipboard.readText());
    return t.includes('#share=') ? t : null;
  });
  assert.ok(link.startsWith(site.url.replace(/\/$/, '')), link);

  const fresh = await freshPage(context, site);
  try {
    const other = fresh.page;
    // Dismissed: nothing changes.
    await other.goto(link);
    await other.locator(byTestId('share-offer')).waitFor();
    assert.match(await other.locator(byTestId('share-offer')).innerText(), /Add these 2 topics/);
    const before = await keywordList(other);
    await other.locator(byTestId('share-dismiss')).click();
    assert.deepEqual(await keywordList(other), before);
    assert.ok(!other.url().includes('#share='), 'the fragment is taken off the address');
    // Accepted: the topics are added after those already there.
    await other.goto('about:blank');
    await other.goto(link);
    await other.locator(byTestId('share-accept')).click();
    await waitFor('the shared topics', async () => {
      const list = await keywordList(other);
      return list.includes('Graphs') && list.includes('Software Testing');
    });
    assert.equal(await settingValue(other, 'settings-endpoint'), arxiv.url, 'settings came along');
    // A damaged link says so and changes nothing.
    const cut = link.slice(0, link.length - 9);
    const listed = await keywordList(other);
    await other.goto('about:blank');
    await other.goto(cut);
    await other.locator(byTestId('share-error')).waitFor();
    assert.match(await other.locator(byTestId('share-error')).innerText(), /damaged or cut short/);
    assert.deepEqual(await keywordList(other), listed);
    assert.deepEqual(fresh.errors, []);
  } finally {
    await fresh.done();
  }
});

appTest('an exported config imported into a fresh browser gives the same topics and settings', async ({ page, site, arxiv, context }) => {
  await startWith(page, { site, arxiv, keywords: ['Graphs', 'Software Testing'] });
  const { setSetting } = await import('./support/app.mjs');
  await setSetting(page, 'settings-max-results', 25);
  await setSetting(page, 'settings-link-style', 'pdf');
  await openImport(page);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator(byTestId('export-config')).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'daily-papers.json');
  const file = await download.path();
  const json = JSON.parse(readFileSync(file, 'utf8'));
  assert.equal(json.version, 1);
  assert.deepEqual(json.topics.map((t) => t.name), ['Graphs', 'Software Testing']);

  // The GitHub workflow that reads that file, as the command-line tool's `init --workflow` writes it.
  const [flow] = await Promise.all([
    page.waitForEvent('download'),
    page.locator(byTestId('export-workflow')).click(),
  ]);
  assert.equal(flow.suggestedFilename(), 'daily-papers.yml');
  const yml = readFileSync(await flow.path(), 'utf8');
  // Pinned to a release (issue 29), with the config it reads named.
  assert.match(yml, /\n {8}uses: daily-papers\/daily-papers@v\d+\.\d+\.\d+\n {8}with:\n {10}config: "daily-papers.json"\n/);

  const fresh = await freshPage(context, site);
  try {
    const other = fresh.page;
    await startWith(other, { site, arxiv, keywords: [] });
    await openImport(other);
    await other.locator(byTestId('import-config')).setInputFiles(file);
    const said = other.locator(byTestId('config-summary'));
    await said.waitFor();
    assert.match(await said.innerText(), /^2 topics: Graphs, Software Testing; up to 25 per topic/);
    assert.deepEqual(await keywordList(other), [], 'nothing before applying');
    await other.locator(byTestId('config-apply')).click();
    await waitFor('the topics', async () => (await keywordList(other)).length === 2);
    assert.deepEqual(await keywordList(other), ['Graphs', 'Software Testing']);
    for (const id of ['settings-max-results', 'settings-link-style', 'settings-sort', 'settings-spacing', 'settings-categories', 'settings-endpoint']) {
      assert.equal(await settingValue(other, id), await settingValue(page, id), id);
    }
    assert.deepEqual(fresh.errors, []);
  } finally {
    await fresh.done();
  }
});

appTest('BibTeX of a fixture paper equals the golden entry, for its row and for its topic', async ({ page, site, arxiv }) => {
  await startWith(page, { site, arxiv, keywords: ['Information Theory'] });
  await fetchAll(page);
  await waitForSection(page, 'Information Theory', 1);
  const expected = readFileSync(path.join(repo, 'core/tests/golden/bibtex-single-entry.bib'), 'utf8');
  await rows(page, 'Information Theory').first().locator(byTestId('paper-bibtex')).click();
  await waitFor('the entry on the clipboard', async () => (await page.evaluate(() => navigator.clipboard.readText())) === expected);
  await page.bringToFront();
  await page.evaluate(() => navigator.clipboard.writeText('something else'));
  const { section } = await import('./support/app.mjs');
  await section(page, 'Information Theory').locator(byTestId('copy-bibtex')).click();
  await waitFor('the topic\'s entries on the clipboard', async () => (await page.evaluate(() => navigator.clipboard.readText())) === expected);
}, { script: { 'Information Theory': feed('single-entry.xml') } });

appTest('a pasted list offers to add each line as a topic; one name is pasted as typed', async ({ page, site, arxiv }) => {
  await startWith(page, { site, arxiv, keywords: ['Trajectory'] });
  const input = page.locator(byTestId('keyword-input'));
  const paste = (text) => input.evaluate((el, t) => {
    el.focus();
    const data = new DataTransfer();
    data.setData('text/plain', t);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
  await paste('Time Series\nTrajectory\n- Graph Neural Networks\n');
  const offer = page.locator(byTestId('paste-offer'));
  await offer.waitFor();
  assert.match(await offer.innerText(), /Add these 3 topics\?/);
  assert.deepEqual(await keywordList(page), ['Trajectory'], 'nothing added before confirming');
  await page.locator(byTestId('paste-add-all')).click();
  await waitFor('the topics', async () => (await keywordList(page)).length === 3);
  assert.deepEqual(await keywordList(page), ['Trajectory', 'Time Series', 'Graph Neural Networks']);
  assert.match(await page.locator(byTestId('paste-outcome')).innerText(), /Added 2 topics\. Not added: “Trajectory”/);
  // Semicolons too; Cancel adds nothing.
  await paste('a; b');
  await offer.waitFor();
  await page.locator(byTestId('paste-dismiss')).click();
  assert.equal(await offer.count(), 0);
  assert.equal((await keywordList(page)).length, 3);
});
