// Issue 27: publish to GitHub from the page, against a fake GitHub API on 127.0.0.1
// (support/fake-github.mjs) that answers with GitHub's documented shapes. A user connects a
// repository with a token, publishes the README, is asked before someone else's commit is
// replaced, sets up the daily update in an empty and in an existing repository, and meets each
// failure with a message that says what to do. The token goes to the GitHub API and nowhere
// else, and is gone after Forget.

import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { appTest } from './support/session.mjs';
import { feed } from './support/fake-arxiv.mjs';
import { startFakeGitHub, fineGrainedToken, classicToken } from './support/fake-github.mjs';
import { startWith, fetchAll, waitForSection, markdown, byTestId, waitFor, reload, axeViolations } from './support/app.mjs';

const TOKEN = fineGrainedToken('a');
const OTHER_TOKEN = fineGrainedToken('b'); // valid, but not given this repository
const CLASSIC = classicToken('c');
const NO_WORKFLOWS = fineGrainedToken('n'); // Contents only, no Workflows permission
const script = { 'Software Testing': feed('search-10-entries.xml') };

let gh;
before(async () => {
  gh = await startFakeGitHub({
    tokens: {
      [TOKEN]: { repos: [], workflows: true },
      [OTHER_TOKEN]: { repos: [] },
      [CLASSIC]: { repos: [], scopes: 'repo, workflow', workflows: true },
      [NO_WORKFLOWS]: { repos: [], workflows: false },
    },
  });
});
after(async () => gh?.close());

let repoCount = 0;
/** A repository of its own for each test (the fake lives for the whole file). */
function freshRepo(kind = 'papers', options = {}, tokens = [TOKEN, CLASSIC]) {
  repoCount += 1;
  const name = `me/${kind}-${repoCount}`;
  gh.addRepo(name, options);
  for (const t of tokens) gh.grant(t, name);
  return name;
}

/** Requests the fake got for `repo`, as `METHOD /path` under the repository. */
const requestsFor = (repo, filter = () => true) => gh.requests()
  .filter((r) => r.path === `/repos/${repo}` || r.path.startsWith(`/repos/${repo}/`))
  .filter(filter);

// ---- A user's steps ----

const panel = (page) => page.locator(byTestId('publish-panel'));

/** Opens the page with one keyword fetched, so there is a README to publish. */
async function withReadme(page, { site, arxiv }) {
  await startWith(page, { site, arxiv, keywords: ['Software Testing'] });
  await fetchAll(page);
  await waitForSection(page, 'Software Testing', 10);
}

/** Fills the connect form and presses Connect (the API address is the fake's). */
async function connect(page, { repo, token = TOKEN, remember = false }) {
  const p = panel(page);
  await p.locator(byTestId('publish-api-base')).fill(gh.url);
  await p.locator(byTestId('publish-repo')).fill(repo);
  await p.locator(byTestId('publish-token')).fill(token);
  const box = p.locator(byTestId('publish-remember'));
  if ((await box.isChecked()) !== remember) await box.click();
  await p.locator(byTestId('publish-connect')).click();
}

async function connected(page, repo) {
  await waitFor(`connected to ${repo}`, async () => (await panel(page).locator(byTestId('publish-connected')).textContent()).includes(repo));
}

const text = async (page, id) => ((await panel(page).locator(byTestId(id)).textContent()) ?? '').trim();
const waitForText = (page, id, re) => waitFor(`${id} to say ${re}`, async () => re.test(await text(page, id)) && (await text(page, id)));
const idle = (page) => waitFor('the panel to be idle', async () => !(await panel(page).locator(byTestId('publish-setup')).isDisabled()));

/** Presses Publish README and waits until it is done or asks. */
async function publishReadme(page) {
  await idle(page);
  await panel(page).locator(byTestId('publish-readme')).click();
  await waitFor('publishing to end', async () => {
    const status = await text(page, 'publish-status');
    return !/Reading|Writing/.test(status) && (status || (await panel(page).locator(byTestId('publish-error')).isVisible()));
  });
}

async function setUpDailyUpdate(page) {
  await idle(page);
  await panel(page).locator(byTestId('publish-setup')).click();
  await waitFor('the setup to end', async () => {
    const status = await text(page, 'publish-status');
    return !/Reading|Writing/.test(status) && (status || (await panel(page).locator(byTestId('publish-error')).isVisible()));
  });
}

async function storedToken(page) {
  return page.evaluate((t) => ({
    session: Object.keys(sessionStorage).filter((k) => sessionStorage.getItem(k)?.includes(t)),
    local: Object.keys(localStorage).filter((k) => localStorage.getItem(k)?.includes(t)),
  }), TOKEN);
}

// ---- Connect ----

appTest('connecting checks the name and the token and says exactly what is wrong', async ({ page, site, arxiv }) => {
  await startWith(page, { site, arxiv });
  const repo = freshRepo();
  await connect(page, { repo: 'just-a-name' });
  await waitForText(page, 'publish-connect-error', /owner\/repository/);
  await connect(page, { repo, token: 'hunter2' });
  await waitForText(page, 'publish-connect-error', /not a personal access token.*github_pat_/);
  assert.equal(requestsFor(repo).length, 0, 'nothing is sent before the name and token are well formed');

  await connect(page, { repo, token: fineGrainedToken('z') });
  await waitForText(page, 'publish-connect-error', /refused the token \(401\).*expired/);
  await connect(page, { repo, token: OTHER_TOKEN });
  await waitForText(page, 'publish-connect-error', new RegExp(`no repository ${repo}.*check the name`));

  await connect(page, { repo });
  await connected(page, repo);
  assert.match(await text(page, 'publish-connected'), /branch main/);
  assert.ok(!(await panel(page).locator(byTestId('publish-token-warning')).isVisible()), 'no warning for a fine-grained token');
  const checks = requestsFor(repo, (r) => r.path === `/repos/${repo}`);
  assert.equal(checks.at(-1).headers.authorization, `Bearer ${TOKEN}`);
  assert.equal(checks.at(-1).headers['x-github-api-version'], '2022-11-28');
}, { script });

appTest('a classic token with a wide scope connects with a warning', async ({ page, site, arxiv }) => {
  await startWith(page, { site, arxiv });
  const repo = freshRepo();
  await connect(page, { repo, token: CLASSIC });
  await connected(page, repo);
  await waitForText(page, 'publish-token-warning', /classic token with the scopes repo, workflow: it can change every repository/);
}, { script });

// ---- Publish ----

appTest('Publish README commits exactly the README with the message given and links to the commit', async ({ page, site, arxiv }) => {
  const repo = freshRepo();
  await withReadme(page, { site, arxiv });
  await connect(page, { repo });
  await connected(page, repo);
  // The repository's README is not one this page wrote: it asks first.
  await publishReadme(page);
  await panel(page).locator(byTestId('publish-ask')).waitFor({ state: 'visible' });
  assert.equal(await text(page, 'publish-ask-current'), '# My papers');
  await panel(page).locator(byTestId('publish-ask-replace')).click();
  await waitForText(page, 'publish-status', /Committed README\.md/);

  const readme = await markdown(page);
  assert.equal(gh.file(repo, 'README.md'), readme, 'the repository holds exactly the README');
  const [head] = gh.history(repo);
  assert.equal(head.message, 'Update the Daily Papers README');
  const link = panel(page).locator(byTestId('publish-commit-link'));
  assert.equal(await link.getAttribute('href'), `https://github.com/${repo}/commit/${head.sha}`);

  // Published again with an edited message: no question (the page wrote this version).
  await panel(page).locator(byTestId('publish-message')).fill('Papers of the day');
  await publishReadme(page);
  await waitForText(page, 'publish-status', /up to date: nothing to commit/);
  assert.equal(gh.history(repo).length, 2, 'an unchanged README makes no commit');
}, { script });

appTest('publishing after someone else\'s commit shows their README and asks; nothing is lost', async ({ page, site, arxiv }) => {
  const repo = freshRepo('papers', { files: {} });
  await withReadme(page, { site, arxiv });
  await connect(page, { repo });
  await connected(page, repo);
  await publishReadme(page);
  await waitForText(page, 'publish-status', /Committed README\.md/);
  const ours = gh.file(repo, 'README.md');

  const theirs = '# My papers\n\nA note I wrote on GitHub.\n';
  gh.commitAs(repo, { 'README.md': theirs }, 'Edit README on GitHub');
  await panel(page).locator(byTestId('publish-message')).fill('Again');
  await publishReadme(page);
  await panel(page).locator(byTestId('publish-ask')).waitFor({ state: 'visible' });
  assert.match(await panel(page).locator(byTestId('publish-ask')).textContent(), /changed in the repository since this page last read them/);
  assert.equal(await text(page, 'publish-ask-current'), theirs.trim());
  assert.equal(gh.file(repo, 'README.md'), theirs, 'nothing is written while the page asks');

  await panel(page).locator(byTestId('publish-ask-keep')).click();
  await waitForText(page, 'publish-status', /Nothing was written/);
  assert.equal(gh.file(repo, 'README.md'), theirs, 'keeping theirs writes nothing');

  await publishReadme(page);
  await panel(page).locator(byTestId('publish-ask')).waitFor({ state: 'visible' });
  await panel(page).locator(byTestId('publish-ask-replace')).click();
  await waitForText(page, 'publish-status', /Committed README\.md/);
  assert.equal(gh.file(repo, 'README.md'), ours);
  const history = gh.history(repo).map((c) => c.message);
  assert.deepEqual(history.slice(0, 3), ['Again', 'Edit README on GitHub', 'Update the Daily Papers README'], 'their commit stays in the history');
}, { script });

// ---- Set up the daily update ----

appTest('setting up the daily update in an empty repository writes the config and the workflow', async ({ page, site, arxiv }) => {
  const repo = freshRepo('empty', { empty: true });
  await startWith(page, { site, arxiv, keywords: ['Software Testing'] });
  await connect(page, { repo });
  await connected(page, repo);
  assert.match(await text(page, 'publish-setup-files'), /daily-papers\.json.*\.github\/workflows\/daily-papers\.yml.*one commit/);
  await setUpDailyUpdate(page);
  await waitForText(page, 'publish-status', /Committed daily-papers\.json and \.github\/workflows\/daily-papers\.yml/);
  const config = JSON.parse(gh.file(repo, 'daily-papers.json').replace(/^\s*\/\/.*$/gm, ''));
  assert.ok(JSON.stringify(config).includes('Software Testing'), 'the config holds the page\'s topics');
  const workflow = gh.file(repo, '.github/workflows/daily-papers.yml');
  // The same workflow `daily-papers init --workflow` writes: after arXiv's announcement all year.
  assert.match(workflow, /cron: "0 2 \* \* \*"/);
  assert.match(workflow, /uses: daily-papers\/daily-papers@v\d+\.\d+\.\d+/, "a pinned release of the action");
  // The first commit of an empty repository comes from the contents API, the rest on top of it.
  assert.equal(gh.history(repo).length, 2);
  assert.ok(!requestsFor(repo).some((r) => r.body?.force === true), 'never forced');
}, { script });

appTest('setting up in an existing repository is one commit and asks before replacing a different config', async ({ page, site, arxiv }) => {
  const mine = '{ "topics": ["Mine"] }\n';
  const repo = freshRepo('existing', { files: { 'README.md': '# Hi\n', 'daily-papers.json': mine } });
  await startWith(page, { site, arxiv, keywords: ['Software Testing'] });
  await connect(page, { repo });
  await connected(page, repo);
  await setUpDailyUpdate(page);
  await panel(page).locator(byTestId('publish-ask')).waitFor({ state: 'visible' });
  assert.match(await panel(page).locator(byTestId('publish-ask')).textContent(), /daily-papers\.json — different in the repository/);
  assert.match(await panel(page).locator(byTestId('publish-ask')).textContent(), /\.github\/workflows\/daily-papers\.yml — new file/);
  assert.equal(await text(page, 'publish-ask-current'), mine.trim());
  assert.equal(gh.history(repo).length, 1, 'nothing written before the answer');

  await panel(page).locator(byTestId('publish-ask-replace')).click();
  await waitForText(page, 'publish-status', /Committed daily-papers\.json and/);
  const [head, previous] = gh.history(repo);
  assert.equal(head.message, 'Set up the Daily Papers daily update');
  assert.equal(gh.history(repo).length, 2, 'both files in one commit');
  assert.deepEqual(Object.keys(head.files).sort(), ['.github/workflows/daily-papers.yml', 'README.md', 'daily-papers.json']);
  assert.equal(head.files['README.md'], previous.files['README.md'], 'the README is untouched');
  const paths = requestsFor(repo, (r) => r.method !== 'GET').map((r) => `${r.method} ${r.path.replace(`/repos/${repo}`, '')}`);
  assert.deepEqual(paths, ['POST /git/blobs', 'POST /git/blobs', 'POST /git/trees', 'POST /git/commits', 'PATCH /git/refs/heads/main']);
}, { script });

// ---- Point 4: every failure is clear and loses nothing ----

appTest('each failure says what to do: offline, rate limit, protected branch, archived, expired token, no workflow permission', async ({ page, site, arxiv, context }) => {
  const token = fineGrainedToken('e'); // expires at the end of this test
  gh.addToken(token, { repos: [], workflows: true });
  const repo = freshRepo('papers', { files: {} }, [token]);
  await withReadme(page, { site, arxiv });
  await connect(page, { repo, token });
  await connected(page, repo);

  await context.setOffline(true);
  await publishReadme(page);
  await waitForText(page, 'publish-error', /Could not reach GitHub: check your connection/);
  await context.setOffline(false);

  const reset = Date.UTC(2030, 0, 1, 18, 5) / 1000;
  gh.rateLimit(reset);
  await publishReadme(page);
  await waitForText(page, 'publish-error', /rate limit.*used up until 18:05 UTC/);
  gh.rateLimit(null);

  gh.repo(repo).protectedBranch = true;
  await publishReadme(page);
  await waitForText(page, 'publish-error', /branch is protected.*Repository rule violations found/);
  await setUpDailyUpdate(page);
  await waitForText(page, 'publish-error', /branch is protected.*Protected branch update failed/);
  gh.repo(repo).protectedBranch = false;

  gh.repo(repo).archived = true;
  await publishReadme(page);
  await waitForText(page, 'publish-error', new RegExp(`${repo} is archived.*unarchive`));
  gh.repo(repo).archived = false;
  assert.equal(gh.history(repo).length, 1, 'no failure wrote anything');

  await publishReadme(page);
  await waitForText(page, 'publish-status', /Committed README\.md/);
  assert.ok(!(await panel(page).locator(byTestId('publish-error')).isVisible()), 'the last error is cleared');

  gh.expire(token);
  await publishReadme(page);
  await waitForText(page, 'publish-error', /refused the token \(401\).*connect again/);
}, { script });

appTest('a token without the Workflows permission is told so', async ({ page, site, arxiv }) => {
  const repo = freshRepo('noflow', {}, [NO_WORKFLOWS]);
  await startWith(page, { site, arxiv, keywords: ['Software Testing'] });
  await connect(page, { repo, token: NO_WORKFLOWS });
  await connected(page, repo);
  await setUpDailyUpdate(page);
  await waitForText(page, 'publish-error', /Workflows → Read and write/);
  assert.equal(gh.file(repo, '.github/workflows/daily-papers.yml'), undefined);
}, { script });

appTest('a branch that moves between reading and writing is read again, never forced', async ({ page, site, arxiv }) => {
  const repo = freshRepo('race');
  await startWith(page, { site, arxiv, keywords: ['Software Testing'] });
  await connect(page, { repo });
  await connected(page, repo);
  // The daily run commits while the page is building its commit.
  let raced = false;
  gh.onRequest((r) => {
    if (!raced && r.method === 'POST' && r.path.endsWith('/git/commits')) {
      raced = true;
      gh.commitAs(repo, { 'notes.md': 'the daily run\n' }, 'Daily run');
    }
  });
  await setUpDailyUpdate(page);
  gh.onRequest(null);
  await waitForText(page, 'publish-error', /changed while the page was writing.*Nothing was replaced: try again/);
  assert.equal(gh.history(repo)[0].message, 'Daily run', 'their commit is the branch\'s head, not replaced');
  assert.ok(!requestsFor(repo).some((r) => r.body?.force === true), 'never forced');

  await setUpDailyUpdate(page);
  await waitForText(page, 'publish-status', /Committed daily-papers\.json/);
  const files = gh.history(repo)[0].files;
  assert.ok(files['notes.md'] && files['daily-papers.json'], 'both their file and ours are there');
}, { script });

// ---- The token: where it goes, where it is kept, Forget ----

appTest('the token goes to the GitHub API only, is kept for the tab unless remembered, and Forget removes it', async ({ page, site, arxiv, newPage }) => {
  const sent = [];
  page.on('request', async (request) => {
    sent.push({ url: request.url(), headers: await request.allHeaders().catch(() => request.headers()) });
  });
  const repo = freshRepo('papers', { files: {} });
  await withReadme(page, { site, arxiv });
  await connect(page, { repo, remember: false });
  await connected(page, repo);
  assert.match(await text(page, 'publish-remember-note'), /this tab only/);
  assert.deepEqual(await storedToken(page), { session: ['daily-papers/v1/github-token'], local: [] });
  await publishReadme(page);
  await waitForText(page, 'publish-status', /Committed README\.md/);
  // The page fetches arXiv again with the token held: still nothing of it goes there.
  await fetchAll(page);
  await arxiv.waitForRequests(2);

  // Headers are read asynchronously: wait until both arXiv requests are recorded.
  await waitFor('the requests to be recorded', async () => sent.filter((r) => r.url.startsWith(arxiv.origin)).length >= 2);
  const carrying = sent.filter((r) => JSON.stringify(r.headers).includes(TOKEN) || r.url.includes(TOKEN));
  assert.ok(carrying.length >= 3, 'the GitHub requests carry it');
  for (const r of carrying) assert.ok(r.url.startsWith(`${gh.url}/repos/`), `the token went to ${r.url}`);
  const toArxiv = sent.filter((r) => r.url.startsWith(arxiv.origin));
  assert.ok(toArxiv.length >= 2);
  for (const r of toArxiv) assert.ok(!JSON.stringify(r.headers).includes(TOKEN) && !r.headers.authorization, 'no arXiv request carries it');
  // Not in the config file the page exports, nor in its other saved data.
  const elsewhere = await page.evaluate((t) => Object.keys(localStorage).filter((k) => localStorage.getItem(k).includes(t)), TOKEN);
  assert.deepEqual(elsewhere, []);

  // Remembered on this device: localStorage, and a line that says what that means.
  await panel(page).locator(byTestId('publish-forget')).click();
  await connect(page, { repo, remember: true });
  await connected(page, repo);
  assert.deepEqual(await storedToken(page), { session: [], local: ['daily-papers/v1/github-token'] });
  const second = await newPage();
  await second.goto(site.url);
  await connected(second, repo);

  await panel(page).locator(byTestId('publish-forget')).click();
  await waitForText(page, 'publish-status', /token is forgotten/);
  assert.deepEqual(await storedToken(page), { session: [], local: [] });
  await reload(page);
  assert.ok(await panel(page).locator(byTestId('publish-token')).isVisible(), 'after a reload the page asks for a token again');
  assert.equal(await panel(page).locator(byTestId('publish-token')).inputValue(), '');
}, { script });

// ---- Accessibility ----

appTest('the panel is axe clean, connecting and asking', async ({ page, site, arxiv }) => {
  const repo = freshRepo();
  await withReadme(page, { site, arxiv });
  assert.deepEqual(await axeViolations(page), [], 'the connect form');
  await connect(page, { repo });
  await connected(page, repo);
  await publishReadme(page);
  await panel(page).locator(byTestId('publish-ask')).waitFor({ state: 'visible' });
  assert.deepEqual(await axeViolations(page), [], 'connected, asking before replacing');
}, { script });
