// A fake arXiv API on 127.0.0.1, on a port of its own so that the page reaches it cross-origin
// and CORS is as real as with a hosted endpoint. Each test scripts what every keyword gets
// (a feed, an HTTP error, arXiv's error entry, a broken feed, a slow answer, no CORS header...)
// and then reads back every request with its start and end time, to check spacing and that
// requests never overlap.

import http from 'node:http';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The real arXiv answers shared by every suite. */
export const REAL_FIXTURES = path.resolve(here, '../../../core/tests/fixtures/arxiv');
/** Feeds made by hand for the end-to-end tests. */
export const E2E_FIXTURES = path.resolve(here, '../fixtures');

/** Reads a fixture: a bare name is looked up in the real fixtures first, then in ours. */
export function fixture(name) {
  for (const dir of [REAL_FIXTURES, E2E_FIXTURES]) {
    try {
      return readFileSync(path.join(dir, name), 'utf8');
    } catch (e) {
      if (e.code !== 'ENOENT') throw e;
    }
  }
  throw new Error(`no fixture named ${name}`);
}

const ATOM = 'application/atom+xml; charset=utf-8';

// ---- What the fake can answer. Each returns a plain description the server plays back. ----

/** A feed from a fixture file, HTTP 200. */
export const feed = (name, extra = {}) => ({ status: 200, body: fixture(name), contentType: ATOM, ...extra });
/** An HTML error page with the given status, as arXiv sends with 429 and 503. */
export const httpError = (status, extra = {}) => ({
  status,
  body: `<!DOCTYPE html><html><head><title>${status}</title></head><body><h1>Service busy (${status})</h1></body></html>`,
  contentType: 'text/html; charset=utf-8',
  ...extra,
});
/** arXiv's own error entry, with the 400 it comes with. */
export const arxivError = (extra = {}) => ({ status: 400, body: fixture('error-bad-id-http400.xml'), contentType: ATOM, ...extra });
/** A feed cut off in the middle of an entry, as a dropped connection leaves it. */
export const truncatedFeed = (extra = {}) => {
  const whole = fixture('search-10-entries.xml');
  return { status: 200, body: whole.slice(0, Math.floor(whole.length / 2)), contentType: ATOM, ...extra };
};
/** A valid feed with no entries. */
export const emptyFeed = (extra = {}) => feed('empty-result.xml', extra);
/**
 * A feed of `count` entries made from the real 100-entry answer: its entries whose categories
 * pass the default filter (`cs, stat`), repeated with distinct ids (`2601.<series><n>v1`) and
 * numbered titles, so every entry is a different paper the app keeps. `series` (0-99) keeps the
 * ids of different keywords apart.
 */
export function bigFeed(count, series = 0) {
  const whole = fixture('search-100-entries.xml');
  const start = whole.indexOf('<entry>');
  const end = whole.lastIndexOf('</entry>') + '</entry>'.length;
  const kept = whole
    .slice(start, end)
    .split(/(?=<entry>)/)
    .filter((e) => /<category term="(cs|stat)\./.test(e));
  const entries = [];
  for (let i = 0; i < count; i += 1) {
    const n = `${String(series).padStart(2, '0')}${String(i).padStart(4, '0')}`;
    entries.push(
      kept[i % kept.length]
        .replace(/<id>[^<]*<\/id>/, `<id>http://arxiv.org/abs/2601.${n}v1</id>`)
        .replace(/<title>/, `<title>[${n}] `),
    );
  }
  const body = whole.slice(0, start) + entries.join('\n  ') + whole.slice(end);
  return { status: 200, body, contentType: ATOM };
}
/** A good feed but without `Access-Control-Allow-Origin`: the browser refuses to hand it over. */
export const withoutCors = (answer) => ({ ...answer, cors: false });
/** Any answer, held back for `ms` milliseconds before it is sent. */
export const slow = (ms, answer) => ({ ...answer, delayMs: ms });

/** The keyword of an arXiv `search_query` such as `ti:"Video Anomaly Detection" OR abs:"..."`. */
export function keywordOf(searchQuery) {
  const m = /^ti:"(.*)" (?:OR|AND) abs:"(.*)"$/s.exec(searchQuery ?? '');
  if (!m || m[1] !== m[2]) return null;
  return m[1];
}

/**
 * Starts the fake endpoint. `script` maps a keyword (compared case-insensitively) to the list of
 * answers it gets, one per request, the last one repeating. Tests may change the script at any
 * time with `answer(keyword, ...answers)`. A topic's compiled query (several phrases, authors,
 * categories, exclusions) has no single keyword: `answerQuery(part, ...answers)` answers every
 * `search_query` containing `part`, and `answerDefault(...answers)` any query nothing else
 * answers.
 */
export async function startFakeArxiv(script = {}) {
  const scripts = new Map();
  const served = new Map(); // script key -> number of answers already given
  const byPart = []; // [part of search_query, script key], in the order they were scripted
  const requests = [];
  const answer = (keyword, ...answers) => {
    if (answers.length === 0) throw new Error('answer() needs at least one answer');
    scripts.set(keyword.toLowerCase(), answers);
    served.set(keyword.toLowerCase(), 0);
  };
  const scriptFor = (key, answers) => {
    if (answers.length === 0) throw new Error('answerQuery() and answerDefault() need at least one answer');
    scripts.set(key, answers);
    served.set(key, 0);
  };
  const answerQuery = (part, ...answers) => {
    const key = `\u0000query:${part}`;
    if (!byPart.some(([p]) => p === part)) byPart.push([part, key]);
    scriptFor(key, answers);
  };
  const DEFAULT = '\u0000default';
  const answerDefault = (...answers) => scriptFor(DEFAULT, answers);
  /** The script key answering a request: its keyword's, else the first part it contains, else the default. */
  const scriptKey = (keyword, searchQuery) => {
    if (keyword !== null && scripts.has(keyword.toLowerCase())) return keyword.toLowerCase();
    const byQuery = byPart.find(([part]) => (searchQuery ?? '').includes(part));
    if (byQuery) return byQuery[1];
    return scripts.has(DEFAULT) ? DEFAULT : null;
  };
  for (const [kw, answers] of Object.entries(script)) answer(kw, ...[answers].flat());

  const server = http.createServer((req, res) => {
    const start = performance.now();
    const url = new URL(req.url, 'http://127.0.0.1');
    const params = Object.fromEntries(url.searchParams);
    const keyword = keywordOf(params.search_query);
    const record = { method: req.method, path: url.pathname, params, keyword, start, end: null, status: null };
    requests.push(record);
    // `end` is when the answer is handed over: the browser cannot have it any earlier, so gaps
    // measured from here are lower bounds of the app's real spacing. (A 'finish' event can come
    // late on a loaded machine and made a correct gap look short.)
    res.on('close', () => { record.end ??= performance.now(); });

    const cors = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'X-Cache, X-Source, Retry-After' };
    if (req.method === 'OPTIONS') {
      record.status = 204;
      record.end = performance.now();
      res.writeHead(204, { ...cors, 'Access-Control-Allow-Methods': 'GET', 'Access-Control-Allow-Headers': '*' });
      res.end();
      return;
    }
    let reply;
    const key = scriptKey(keyword, params.search_query);
    const answers = key === null ? undefined : scripts.get(key);
    if (req.method !== 'GET' || url.pathname !== '/api/query') {
      reply = { status: 404, body: `fake arXiv: nothing at ${req.method} ${url.pathname}`, contentType: 'text/plain' };
    } else if (!answers) {
      reply = { status: 500, body: `fake arXiv: no answer scripted for search_query ${params.search_query}`, contentType: 'text/plain' };
    } else {
      const n = served.get(key);
      served.set(key, n + 1);
      reply = answers[Math.min(n, answers.length - 1)];
    }
    record.status = reply.status;
    const headers = { 'Content-Type': reply.contentType, 'Cache-Control': 'no-store', ...(reply.headers ?? {}) };
    if (reply.cors !== false) Object.assign(headers, cors);
    const send = () => {
      if (res.destroyed) return;
      record.end = performance.now();
      res.writeHead(reply.status, headers);
      res.end(reply.body);
    };
    if (reply.delayMs) setTimeout(send, reply.delayMs);
    else send();
  });
  server.keepAliveTimeout = 1000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();

  const gets = () => requests.filter((r) => r.method === 'GET');
  return {
    url: `http://127.0.0.1:${port}/api/query`,
    origin: `http://127.0.0.1:${port}`,
    answer,
    answerQuery,
    answerDefault,
    /** Every GET with its params, keyword, start and end (ms, monotonic), in arrival order. */
    requests: gets,
    requestsFor: (kw) => gets().filter((r) => r.keyword?.toLowerCase() === kw.toLowerCase()),
    /** The `search_query` of every GET, in arrival order. */
    searchQueries: () => gets().map((r) => r.params.search_query),
    /** Waits until `n` GET requests have been answered completely. */
    async waitForRequests(n, timeoutMs = 30_000) {
      const deadline = performance.now() + timeoutMs;
      while (gets().filter((r) => r.end !== null).length < n) {
        if (performance.now() > deadline) {
          throw new Error(`fake arXiv: waited for ${n} answered requests, got ${gets().filter((r) => r.end !== null).length}: ${describe(gets())}`);
        }
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    describe: () => describe(gets()),
    async close() {
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function describe(reqs) {
  const t0 = reqs[0]?.start ?? 0;
  return reqs
    .map((r) => `[${r.keyword ?? r.path} ${r.status} ${(r.start - t0).toFixed(0)}..${r.end === null ? '?' : (r.end - t0).toFixed(0)}ms]`)
    .join(' ');
}
