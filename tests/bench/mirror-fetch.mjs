// The app's Fetch all of 20 topics from the project's server answering from its mirror, next to
// the same Fetch all through the server proxying arXiv (issue 23; goal: 20 topics in at most
// 2 s from the mirror).
//
//   mirror   a mirror of BENCH_MIRROR_PAPERS (default 200,000) synthetic papers made from the
//            real answers' vocabulary and lengths, built by the server's own benchmark
//            (server/examples/mirror_bench, kept in target/ and reused), served by the release
//            server binary with the release app (dist/) on the same origin; 20 topics of words
//            from that vocabulary, 100 papers each (the app's default), the app's default
//            settings otherwise; each run a fresh browser profile, so no answer is in the
//            browser's cache.
//   proxy    the same 20 topics through the release server in front of a fake arXiv answering
//            at once (100 papers each), with the 3-second spacing the server keeps toward arXiv
//            and a cold server cache: what a first Fetch all costs without a mirror. One run
//            (it is 20 spacings long, and the same every time).
//
// From click to every section holding its papers and the run ended. Loopback only.

import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { REPO } from '../e2e/support/static-server.mjs';
import { startFakeArxiv, feed } from '../e2e/support/fake-arxiv.mjs';
import { startDailyPapersServer } from '../e2e/support/daily-papers-server.mjs';
import { openApp, clearKeywords, setSetting, addKeywords, byTestId } from '../e2e/support/app.mjs';
import { median } from './stats.mjs';

// Words frequent in both the titles and the abstracts of search-100-entries.xml (the synthetic
// papers' vocabulary): a one-word topic is searched as `ti:"w" AND abs:"w"`, so each finds its
// 100 papers in the mirror, as each finds 100 in the proxy's answers.
const TOPICS = [
  'Testing', 'Test', 'Software', 'Approach', 'Generation', 'Study', 'Automated', 'Models',
  'Techniques', 'Code', 'Metamorphic', 'Systems', 'Learning', 'Case', 'Hypothesis', 'Data',
  'Mutation', 'Performance', 'Quality', 'Language',
];
// Every category prefix of search-100-entries.xml (the proxy's answers), so no paper is dropped.
const ALL_CATEGORIES = 'cs, stat, math, q-bio, econ, eess, hep-ph, quant-ph, gr-qc';


/** Builds (or reuses) the mirror with the server's own benchmark; the server binary too. */
function buildMirror(dir, papers, log) {
  log(`building the server and a mirror of ${papers} papers in ${path.relative(REPO, dir)} (reused when there)`);
  const run = (cmd, args) => execFileSync(cmd, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] }).toString();
  run('cargo', ['build', '--profile', 'server', '-p', 'daily-papers-server', '--example', 'mirror_bench', '--bin', 'daily-papers-server']);
  // 1 query per sort: the build is what is wanted here, the query figures are the server bench's.
  const out = run(path.join(REPO, 'target/server/examples/mirror_bench'), [dir, String(papers), '1']);
  log(out.split('\n').filter((l) => /^(papers|build|index size)/.test(l)).join('; '));
}

/**
 * One Fetch all of the 20 topics in a fresh profile on `server`'s page: milliseconds from the
 * click to every section holding its papers and the run over, and where the answers came from.
 */
async function fetchAllOnce(browser, server) {
  const context = await browser.newContext({ timezoneId: 'UTC', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(300_000);
  const sources = [];
  page.on('response', (res) => {
    if (res.url().includes('/api/query')) sources.push(res.headers()['x-source']);
  });
  try {
    await openApp(page, server.url);
    await clearKeywords(page);
    await setSetting(page, 'settings-categories', ALL_CATEGORIES);
    await addKeywords(page, TOPICS);
    const t0 = await page.evaluate((sel) => {
      const t = performance.now();
      document.querySelector(sel).click();
      return t;
    }, byTestId('fetch-all'));
    const t1 = await page.evaluate((n) => new Promise((resolve) => {
      const check = () => {
        const sections = [...document.querySelectorAll('[data-testid="keyword-section"]')];
        const filled = sections.filter((s) => Number(s.dataset.count ?? 0) > 0).length === n;
        const button = document.querySelector('[data-testid="fetch-all"]');
        if (filled && button && !button.disabled) resolve(performance.now());
        else setTimeout(check, 5);
      };
      check();
    }), TOPICS.length);
    const note = await page.locator(byTestId('mirror-note')).textContent().catch(() => '');
    return { ms: t1 - t0, sources, note: note.trim() };
  } finally {
    await context.close();
  }
}

/** The mirror figure and the proxy figure, for bench.mjs's report. */
export async function measureMirrorFetch(browser, { runs, log }) {
  const papers = Number(process.env.BENCH_MIRROR_PAPERS ?? 200_000);
  const dir = path.join(REPO, 'target', `mirror-bench-app-${papers}`);
  buildMirror(dir, papers, log);
  process.env.E2E_SERVER_BIN ??= path.join(REPO, 'target/server/daily-papers-server');

  // Nothing here may reach it: the mirror answers every topic.
  const unused = await startFakeArxiv({});
  const mirror = await startDailyPapersServer({
    upstream: unused.url,
    spacingMs: 3000,
    flags: ['--mirror', dir, '--oai-upstream', 'http://127.0.0.1:9/oai', '--log-level', 'error'],
  });
  const fromMirror = [];
  try {
    for (let run = 1; run <= runs; run += 1) {
      const once = await fetchAllOnce(browser, mirror);
      if (once.sources.length !== TOPICS.length || once.sources.some((s) => s !== 'mirror')) {
        throw new Error(`not every answer came from the mirror: ${once.sources}`);
      }
      log(`mirror run ${run}: ${once.ms.toFixed(0)} ms (${once.note})`);
      fromMirror.push(once.ms);
    }
    if (unused.requests().length) throw new Error(`the mirror asked the API upstream ${unused.requests().length} times`);
  } finally {
    await mirror.stop();
    await unused.close();
  }

  const arxiv = await startFakeArxiv(Object.fromEntries(TOPICS.map((t) => [t, feed('search-100-entries.xml')])));
  const proxy = await startDailyPapersServer({ upstream: arxiv.url, spacingMs: 3000, flags: ['--log-level', 'error'] });
  let proxied;
  try {
    proxied = await fetchAllOnce(browser, proxy);
    log(`proxy run: ${proxied.ms.toFixed(0)} ms, ${arxiv.requests().length} requests to arXiv`);
  } finally {
    await proxy.stop();
    await arxiv.close();
  }

  const ms = median(fromMirror);
  return {
    topics: TOPICS.length,
    papers_per_topic: 100,
    mirror_papers: papers,
    from_mirror_ms: Number(ms.toFixed(1)),
    through_proxy_ms: Number(proxied.ms.toFixed(1)),
    through_proxy_runs: 1,
    proxy_spacing_ms: 3000,
    target: 'Fetch all of 20 topics <= 2000 ms from the mirror',
    met: ms <= 2000,
    samples_from_mirror_ms: fromMirror.map((x) => Number(x.toFixed(1))),
  };
}

// `node tests/bench/mirror-fetch.mjs`: this figure alone (BENCH_RUNS runs, default 5).
if (import.meta.url === (await import('node:url')).pathToFileURL(process.argv[1]).href) {
  const { launchChromium } = await import('../e2e/support/session.mjs');
  const browser = await launchChromium();
  try {
    const report = await measureMirrorFetch(browser, { runs: Number(process.env.BENCH_RUNS ?? 5), log: (...a) => console.error('bench:', ...a) });
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await browser.close();
  }
}
