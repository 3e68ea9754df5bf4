// The project's server answering from its mirror: a JSON-lines snapshot in arXiv's own layout
// (the file `--mirror-import` loads) made from the real arXiv answers of core/tests/fixtures/arxiv,
// and a server started on it that is ready (the import complete) before the test goes on.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fixture } from './fake-arxiv.mjs';
import { startDailyPapersServer } from './daily-papers-server.mjs';

/** The real arXiv answers whose papers the snapshot holds. */
export const SNAPSHOT_FIXTURES = ['search-100-entries.xml', 'search-10-entries.xml', 'single-entry.xml', 'old-style-id.xml'];

/**
 * Every paper of the given real answers (each once), read with the browser's own XML parser in
 * `page`: `{ id, version, title, abstract, authors, categories, comment, journalRef, doi,
 * published, updated }`, text with its runs of white space made one space, as a reader shows it.
 */
export async function fixturePapers(page, files = SNAPSHOT_FIXTURES) {
  const feeds = files.map(fixture);
  const papers = await page.evaluate((texts) => {
    const ATOM = 'http://www.w3.org/2005/Atom';
    const ARXIV = 'http://arxiv.org/schemas/atom';
    const clean = (s) => (s ?? '').replace(/\s+/g, ' ').trim();
    const out = [];
    for (const text of texts) {
      const doc = new DOMParser().parseFromString(text, 'application/xml');
      for (const entry of doc.getElementsByTagNameNS(ATOM, 'entry')) {
        const one = (ns, name) => entry.getElementsByTagNameNS(ns, name)[0];
        const abs = clean(one(ATOM, 'id').textContent).replace(/^https?:\/\/arxiv\.org\/abs\//, '');
        const [, id, version] = abs.match(/^(.*)v(\d+)$/);
        const primary = one(ARXIV, 'primary_category')?.getAttribute('term');
        const terms = [...entry.getElementsByTagNameNS(ATOM, 'category')].map((c) => c.getAttribute('term'));
        out.push({
          id,
          version: Number(version),
          title: clean(one(ATOM, 'title').textContent),
          abstract: clean(one(ATOM, 'summary').textContent),
          authors: [...entry.getElementsByTagNameNS(ATOM, 'author')].map((a) => clean(a.getElementsByTagNameNS(ATOM, 'name')[0].textContent)),
          categories: [...new Set([primary, ...terms].filter(Boolean))],
          comment: clean(one(ARXIV, 'comment')?.textContent),
          journalRef: clean(one(ARXIV, 'journal_ref')?.textContent),
          doi: clean(one(ARXIV, 'doi')?.textContent),
          published: clean(one(ATOM, 'published').textContent),
          updated: clean(one(ATOM, 'updated').textContent),
        });
      }
    }
    return out;
  }, feeds);
  const seen = new Set();
  return papers.filter((p) => !seen.has(p.id) && seen.add(p.id));
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** RFC 2822 as arXiv's snapshot writes version dates: `Thu, 24 Feb 2022 15:05:19 GMT`. */
function rfc2822(iso) {
  const d = new Date(iso);
  const two = (n) => String(n).padStart(2, '0');
  return `${WEEKDAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} `
    + `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} GMT`;
}

/**
 * The snapshot's line for a paper as arXiv's API showed it: v1 at `published`, the latest version
 * at `updated` (versions between at `published` too, as the API does not say them).
 */
export function snapshotLine(paper, updateDate) {
  const versions = Array.from({ length: paper.version }, (_, i) => ({
    version: `v${i + 1}`,
    created: rfc2822(i + 1 === paper.version && i > 0 ? paper.updated : paper.published),
  }));
  const optional = (v) => v || null;
  return JSON.stringify({
    id: paper.id,
    submitter: 'Someone',
    authors: paper.authors.join(', '),
    title: paper.title,
    comments: optional(paper.comment),
    'journal-ref': optional(paper.journalRef),
    doi: optional(paper.doi),
    'report-no': null,
    categories: paper.categories.join(' '),
    license: null,
    abstract: paper.abstract,
    versions,
    update_date: updateDate,
  });
}

/**
 * Starts daily-papers-server with a mirror imported from `papers` (newest `update_date`
 * `updateDate`), `--upstream` the fake API and `--oai-upstream` a closed local port (so the
 * harvest after the import only logs its failures), and waits until `/api/mirror` says ready.
 * Returns the server, with `dir` its mirror folder, removed by `stop()`.
 */
export async function startMirrorServer({ upstream, papers, updateDate, flags = [] }) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'daily-papers-mirror-'));
  const snapshot = path.join(dir, 'snapshot.json');
  writeFileSync(snapshot, papers.map((p) => snapshotLine(p, updateDate)).join('\n') + '\n');
  const server = await startDailyPapersServer({
    upstream,
    flags: ['--mirror', path.join(dir, 'index'), '--mirror-import', snapshot, '--oai-upstream', 'http://127.0.0.1:9/oai', ...flags],
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const status = await (await fetch(`${server.url}api/mirror`)).json();
    if (status.ready) {
      if (status.papers !== papers.length) throw new Error(`the mirror holds ${status.papers} papers, not ${papers.length}:\n${server.log()}`);
      break;
    }
    if (Date.now() > deadline) throw new Error(`the mirror never became ready:\n${server.log()}`);
    await sleep(100);
  }
  return {
    ...server,
    dir,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
