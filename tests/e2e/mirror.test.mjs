// Issue 23: the project's server answering /api/query from its mirror of arXiv's metadata (here
// imported from a snapshot of the real fixtures' papers). The app runs its usual flow against it
// unchanged: topics, Fetch all, the papers each topic's search finds, the README; it says once
// that the answers came from the mirror and how current the mirror is; arXiv is never asked.

import assert from 'node:assert/strict';
import { test, before, after } from 'node:test';
import { launchChromium, watchPage } from './support/session.mjs';
import { startFakeArxiv } from './support/fake-arxiv.mjs';
import { startDailyPapersServer } from './support/daily-papers-server.mjs';
import { fixturePapers, startMirrorServer } from './support/mirror.mjs';
import {
  openApp, clearKeywords, addKeywords, setSetting, fetchAll, waitForSection, markdown, rowTitles,
  byTestId, waitFor,
} from './support/app.mjs';

// What each topic's search (`ti:"…" OR abs:"…"` for a phrase of several words; arXiv's English
// analysis: stems, punctuation between words ignored) must find among the fixtures' papers,
// written here as plain patterns over the title and the abstract, independently of the mirror's
// engine.
const TOPICS = {
  'Software Testing': /\bsoftware[^a-z0-9]+test(s|ing|ed)?\b/i,
  'Language Models': /\blanguage[^a-z0-9]+model(s|ing|ed|led|ling)?\b/i,
};
// The snapshot's newest `update_date`: what the mirror is current to after the import (its
// harvest cannot reach the closed OAI port the test gives it).
const UPDATE_DATE = '2026-11-30';
const MIRROR_NOTE = 'Answered from the mirror, current to 2026-11-30 00:00 UTC.';

let browser;
let arxiv;
let mirror;
let papers;

before(async () => {
  browser = await launchChromium();
  const reader = await browser.newPage();
  papers = await fixturePapers(reader);
  await reader.close();
  // The API upstream a mirror answer must never reach: it has no answer scripted at all.
  arxiv = await startFakeArxiv({});
  mirror = await startMirrorServer({ upstream: arxiv.url, papers, updateDate: UPDATE_DATE });
});

after(async () => {
  await browser?.close();
  await mirror?.stop();
  await arxiv?.close();
});

/** The titles each topic must show: the fixtures' papers its search matches. */
function expectedTitles(topic) {
  return papers.filter((p) => TOPICS[topic].test(p.title) || TOPICS[topic].test(p.abstract)).map((p) => p.title).sort();
}

/** Every archive the fixtures' papers are in, so the category filter keeps every paper found. */
function allArchives() {
  return [...new Set(papers.flatMap((p) => p.categories).map((c) => c.split('.')[0]))].join(', ');
}

/**
 * A user's run on the page `server` serves: a fresh profile, the topics, Fetch all, every
 * section filled. Returns the page (open, for more checks), its README, and every /api/query
 * answer it got with its source and body.
 */
async function fetchTopics(server) {
  const context = await browser.newContext({ timezoneId: 'UTC' });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const seen = watchPage(page);
  const answers = [];
  page.on('response', async (res) => {
    if (!res.url().includes('/api/query')) return;
    const entry = { url: res.url(), status: res.status(), source: res.headers()['x-source'] };
    answers.push(entry);
    entry.body = await res.text().catch(() => null);
  });
  await openApp(page, server.url);
  await clearKeywords(page);
  await setSetting(page, 'settings-categories', allArchives());
  await addKeywords(page, Object.keys(TOPICS));
  await fetchAll(page);
  for (const topic of Object.keys(TOPICS)) await waitForSection(page, topic, expectedTitles(topic).length);
  await page.locator(byTestId('fetch-all')).waitFor({ state: 'visible' });
  await waitFor('the run to end', () => page.evaluate(() => !document.querySelector('[data-testid="fetch-all"]').disabled));
  const readme = await waitFor('the README to list every topic', async () => {
    const md = await markdown(page);
    return Object.keys(TOPICS).every((t) => md.includes(`## ${t}\n`)) ? md : null;
  });
  return { context, page, seen, answers, readme };
}

test('the app fetches every topic from a server answering from its mirror, says so once, and never reaches arXiv', { timeout: 180_000 }, async () => {
  for (const topic of Object.keys(TOPICS)) {
    assert.ok(expectedTitles(topic).length >= 2, `the fixtures hold papers for "${topic}"`);
  }
  const user = await fetchTopics(mirror);
  try {
    for (const topic of Object.keys(TOPICS)) {
      assert.deepEqual((await rowTitles(user.page, topic)).sort(), expectedTitles(topic), `"${topic}" shows the papers its search finds`);
    }
    assert.equal(user.answers.length, Object.keys(TOPICS).length, 'one answer per topic');
    assert.deepEqual(user.answers.map((a) => [a.status, a.source]), Object.keys(TOPICS).map(() => [200, 'mirror']));
    assert.deepEqual(arxiv.requests(), [], 'the API upstream was never asked');

    // Said once for the run, as text, with the mirror's harvest time in UTC.
    const note = user.page.locator(byTestId('mirror-note'));
    await note.waitFor({ state: 'visible' });
    assert.equal((await note.textContent()).trim(), MIRROR_NOTE);
    const mentions = await user.page.evaluate(() => document.body.innerText.split('from the mirror').length - 1);
    assert.equal(mentions, 1, 'the page says it once, not per topic');
    assert.deepEqual([...user.seen.pageErrors, ...user.seen.consoleErrors], []);
  } catch (e) {
    e.message += `\n--- server log ---\n${mirror.log().slice(-4000)}`;
    throw e;
  } finally {
    await user.context.close();
  }
});

test('the README written from the mirror\'s answers is the one written from the same answers proxied from arXiv', { timeout: 180_000 }, async () => {
  const fromMirror = await fetchTopics(mirror);
  await fromMirror.context.close();
  // arXiv (a fake) sending exactly what the mirror sent, through the proxying server.
  const script = {};
  for (const a of fromMirror.answers) {
    const query = new URL(a.url).searchParams.get('search_query');
    const topic = Object.keys(TOPICS).find((t) => query.includes(`"${t}"`));
    script[topic] = { status: 200, body: a.body, contentType: 'application/atom+xml; charset=utf-8' };
  }
  const upstream = await startFakeArxiv(script);
  const proxy = await startDailyPapersServer({ upstream: upstream.url });
  try {
    const proxied = await fetchTopics(proxy);
    try {
      assert.deepEqual(proxied.answers.map((a) => a.source), ['arxiv', 'arxiv']);
      assert.equal(upstream.requests().length, 2, 'the proxy asked arXiv once per topic');
      assert.equal(proxied.readme, fromMirror.readme, 'the same README either way');
      assert.equal(await proxied.page.locator(byTestId('mirror-note')).isVisible(), false, 'no mirror note for proxied answers');
    } finally {
      await proxied.context.close();
    }
  } finally {
    await proxy.stop();
    await upstream.close();
  }
  assert.deepEqual(arxiv.requests(), [], 'the mirror never asked the API upstream');
});
