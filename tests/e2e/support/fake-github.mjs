// A fake GitHub REST API on 127.0.0.1, on a port of its own so the page reaches it cross-origin
// with CORS as real as GitHub's (a preflight for the Authorization header, the rate-limit and
// scope headers exposed). It implements the endpoints the page uses with the request and answer
// shapes of GitHub's REST reference (API version 2022-11-28): the repository, a file's contents
// read and written, and the git data API (ref, commit, blobs, trees, commits, ref update). Git
// objects get real git shas (sha1 of "blob <size>\0<text>"), so a file's sha is what GitHub would
// give. Tests script tokens, repositories and failures, act as someone else committing, and read
// back every request with its headers.

import http from 'node:http';
import { createHash } from 'node:crypto';

const sha1 = (text) => createHash('sha1').update(text).digest('hex');
const blobSha = (text) => sha1(`blob ${Buffer.byteLength(text)}\0${text}`);

/** A fine-grained token (the shape GitHub gives: github_pat_ and 82 characters). */
export const fineGrainedToken = (seed = 'a') => `github_pat_11AAAAAAA0${seed.repeat(72).slice(0, 72)}`;
/** A classic token (ghp_ and 36 characters). */
export const classicToken = (seed = 'c') => `ghp_${seed.repeat(36).slice(0, 36)}`;

/**
 * Starts the fake. `tokens` maps a token to `{ repos: ['owner/name'], scopes?: 'repo, workflow'
 * (sent as x-oauth-scopes, so classic), workflows?: true (may write .github/workflows) }`.
 */
export async function startFakeGitHub({ tokens = {} } = {}) {
  const tokenTable = new Map(Object.entries(tokens));
  const repos = new Map();
  const requests = [];
  let rateLimitedUntil = null;
  let beforeAnswer = null;
  let port;
  const origin = () => `http://127.0.0.1:${port}`;

  /** A repository: `empty` has no commit yet; `files` its first commit's files. */
  const addRepo = (fullName, { files = { 'README.md': '# My papers\n' }, empty = false, archived = false,
    defaultBranch = 'main', push = true, protectedBranch = false } = {}) => {
    const repo = { fullName, archived, defaultBranch, push, protectedBranch, blobs: new Map(), trees: new Map(),
      commits: new Map(), head: null };
    repos.set(fullName, repo);
    if (!empty) commit(repo, files, 'Initial commit');
    return repo;
  };
  const storeTree = (repo, entries) => {
    const sorted = Object.fromEntries(Object.entries(entries).sort(([a], [b]) => (a < b ? -1 : 1)));
    const sha = sha1(`tree ${JSON.stringify(sorted)}`);
    repo.trees.set(sha, sorted);
    return sha;
  };
  const makeCommit = (repo, treeSha, parents, message) => {
    const sha = sha1(`commit ${treeSha} ${parents.join(' ')} ${message} ${repo.commits.size} ${Math.random()}`);
    repo.commits.set(sha, { sha, tree: treeSha, parents, message });
    return sha;
  };
  const filesAt = (repo) => (repo.head ? repo.trees.get(repo.commits.get(repo.head).tree) : {});
  /** Commits `changes` (path -> text) on the branch as someone else would; returns the commit sha. */
  function commit(repo, changes, message = 'Someone else\'s commit') {
    const entries = { ...filesAt(repo) };
    for (const [path, text] of Object.entries(changes)) {
      const sha = blobSha(text);
      repo.blobs.set(sha, text);
      entries[path] = sha;
    }
    const tree = storeTree(repo, entries);
    repo.head = makeCommit(repo, tree, repo.head ? [repo.head] : [], message);
    return repo.head;
  }
  const fileText = (repo, path) => {
    const sha = filesAt(repo)[path];
    return sha === undefined ? undefined : repo.blobs.get(sha);
  };

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const raw = Buffer.concat(chunks).toString('utf8');
    const record = { method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body: raw ? safeJson(raw) : null, status: null };
    requests.push(record);
    const cors = {
      'Access-Control-Allow-Origin': '*',
      // As GitHub's API exposes them, so the page can read the rate limit and the scopes.
      'Access-Control-Expose-Headers': 'ETag, Link, Location, Retry-After, X-GitHub-OTP, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Used, X-RateLimit-Resource, X-RateLimit-Reset, X-OAuth-Scopes, X-Accepted-OAuth-Scopes, X-Poll-Interval, X-GitHub-Media-Type, X-GitHub-SSO, X-GitHub-Request-Id, Deprecation, Sunset',
    };
    const send = (status, body, headers = {}) => {
      record.status = status;
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'private, max-age=60, s-maxage=60', ...cors, ...headers });
      res.end(body === null ? '' : JSON.stringify(body));
    };
    const fail = (status, message, headers) => send(status, { message, documentation_url: 'https://docs.github.com/rest', status: String(status) }, headers);
    if (req.method === 'OPTIONS') {
      record.status = 204;
      res.writeHead(204, { ...cors, 'Access-Control-Allow-Methods': 'GET, POST, PATCH, PUT, DELETE',
        'Access-Control-Allow-Headers': 'Authorization, Content-Type, If-Match, If-Modified-Since, If-None-Match, If-Unmodified-Since, Accept-Encoding, X-GitHub-OTP, X-Requested-With, User-Agent, GraphQL-Features, X-GitHub-Api-Version',
        'Access-Control-Max-Age': '86400' });
      res.end();
      return;
    }
    if (beforeAnswer) beforeAnswer(record);
    const reset = Math.floor(Date.now() / 1000) + 3600;
    if (rateLimitedUntil !== null) {
      return fail(403, 'API rate limit exceeded for user ID 1. (But here\'s the good news: Authenticated requests get a higher rate limit.)',
        { 'X-RateLimit-Limit': '5000', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(rateLimitedUntil), 'X-RateLimit-Resource': 'core' });
    }
    const auth = /^(?:Bearer|token) (\S+)$/.exec(req.headers.authorization ?? '');
    const token = auth && tokenTable.get(auth[1]);
    if (!token) return fail(401, 'Bad credentials');
    const limits = { 'X-RateLimit-Limit': '5000', 'X-RateLimit-Remaining': '4999', 'X-RateLimit-Reset': String(reset), 'X-RateLimit-Resource': 'core' };
    if (token.scopes !== undefined) limits['X-OAuth-Scopes'] = token.scopes;
    const ok = (status, body) => send(status, body, limits);

    const m = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(url.pathname);
    if (!m) return fail(404, 'Not Found');
    const fullName = `${m[1]}/${m[2]}`;
    const repo = repos.get(fullName);
    if (!repo || !token.repos.includes(fullName)) return fail(404, 'Not Found');
    const rest = m[3] ?? '';
    const apiRepo = `${origin()}/repos/${fullName}`;
    const html = `https://github.com/${fullName}`;
    const readOnly = () => {
      if (repo.archived) return fail(403, 'Repository was archived so is read-only.'), true;
      if (!repo.push) return fail(403, 'Resource not accessible by personal access token'), true;
      return false;
    };
    const workflowRefused = (paths) => !token.workflows && paths.some((p) => p.startsWith('.github/workflows/'));
    const workflowMessage = (path) => `refusing to allow a Personal Access Token to create or update workflow \`${path}\` without \`workflow\` scope`;

    if (req.method === 'GET' && rest === '') {
      return ok(200, { id: 1, node_id: 'R_1', name: m[2], full_name: fullName, private: true, owner: { login: m[1] },
        html_url: html, url: apiRepo, archived: repo.archived, disabled: false, size: repo.head ? 1 : 0,
        default_branch: repo.defaultBranch,
        permissions: { admin: false, maintain: false, push: repo.push, triage: true, pull: true } });
    }
    const contents = /^\/contents\/(.+)$/.exec(rest);
    if (contents) {
      const path = decodeURIComponent(contents[1]);
      if (req.method === 'GET') {
        if (!repo.head) return fail(404, 'This repository is empty.');
        const text = fileText(repo, path);
        if (text === undefined) return fail(404, 'Not Found');
        const b64 = Buffer.from(text, 'utf8').toString('base64').replace(/.{60}/g, '$&\n');
        return ok(200, { type: 'file', encoding: 'base64', size: Buffer.byteLength(text), name: path.split('/').pop(), path,
          content: `${b64}\n`, sha: filesAt(repo)[path], url: `${apiRepo}/contents/${path}`,
          html_url: `${html}/blob/${repo.defaultBranch}/${path}`, git_url: `${apiRepo}/git/blobs/${filesAt(repo)[path]}`,
          download_url: null, _links: {} });
      }
      if (req.method === 'PUT') {
        if (readOnly()) return;
        const body = record.body ?? {};
        if (typeof body.message !== 'string' || typeof body.content !== 'string') return fail(422, 'Invalid request.\n\n"message" and "content" are required.');
        if (workflowRefused([path])) return fail(404, workflowMessage(path));
        if (repo.protectedBranch) return fail(409, 'Repository rule violations found\n\nChanges must be made through a pull request.');
        const current = filesAt(repo)[path];
        if (current !== undefined && body.sha === undefined) return fail(422, 'Invalid request.\n\n"sha" wasn\'t supplied.');
        if (current !== undefined && body.sha !== current) return fail(409, `${path} does not match ${body.sha}`);
        const text = Buffer.from(body.content, 'base64').toString('utf8');
        const created = current === undefined;
        const made = commit(repo, { [path]: text }, body.message);
        return ok(created ? 201 : 200, {
          content: { name: path.split('/').pop(), path, sha: blobSha(text), size: Buffer.byteLength(text), url: `${apiRepo}/contents/${path}`, type: 'file' },
          commit: { sha: made, node_id: 'C_1', url: `${apiRepo}/git/commits/${made}`, html_url: `${html}/commit/${made}`, message: body.message,
            tree: { sha: repo.commits.get(made).tree }, parents: repo.commits.get(made).parents.map((sha) => ({ sha })) },
        });
      }
    }
    const refRead = /^\/git\/ref\/heads\/(.+)$/.exec(rest);
    if (req.method === 'GET' && refRead) {
      if (!repo.head) return fail(409, 'Git Repository is empty.');
      if (decodeURIComponent(refRead[1]) !== repo.defaultBranch) return fail(404, 'Not Found');
      return ok(200, { ref: `refs/heads/${repo.defaultBranch}`, node_id: 'REF_1', url: `${apiRepo}/git/refs/heads/${repo.defaultBranch}`,
        object: { type: 'commit', sha: repo.head, url: `${apiRepo}/git/commits/${repo.head}` } });
    }
    const commitRead = /^\/git\/commits\/([0-9a-f]+)$/.exec(rest);
    if (req.method === 'GET' && commitRead) {
      const c = repo.commits.get(commitRead[1]);
      if (!c) return fail(404, 'Not Found');
      return ok(200, { sha: c.sha, url: `${apiRepo}/git/commits/${c.sha}`, html_url: `${html}/commit/${c.sha}`, message: c.message,
        tree: { sha: c.tree, url: `${apiRepo}/git/trees/${c.tree}` }, parents: c.parents.map((sha) => ({ sha })) });
    }
    if (req.method === 'POST' && rest === '/git/blobs') {
      if (readOnly()) return;
      if (!repo.head) return fail(409, 'Git Repository is empty.');
      const { content, encoding = 'utf-8' } = record.body ?? {};
      if (typeof content !== 'string') return fail(422, 'Invalid request.\n\n"content" wasn\'t supplied.');
      const text = encoding === 'base64' ? Buffer.from(content, 'base64').toString('utf8') : content;
      const sha = blobSha(text);
      repo.blobs.set(sha, text);
      return ok(201, { url: `${apiRepo}/git/blobs/${sha}`, sha });
    }
    if (req.method === 'POST' && rest === '/git/trees') {
      if (readOnly()) return;
      const { base_tree: base, tree } = record.body ?? {};
      const entries = { ...(base ? repo.trees.get(base) ?? {} : {}) };
      if (base && !repo.trees.has(base)) return fail(422, 'Invalid request.\n\nbase_tree is not a valid tree');
      for (const e of tree ?? []) {
        if (e.mode !== '100644' || e.type !== 'blob' || !repo.blobs.has(e.sha)) return fail(422, `Invalid tree entry for ${e.path}`);
        entries[e.path] = e.sha;
      }
      const sha = storeTree(repo, entries);
      return ok(201, { sha, url: `${apiRepo}/git/trees/${sha}`, truncated: false,
        tree: Object.entries(entries).map(([path, s]) => ({ path, mode: '100644', type: 'blob', sha: s })) });
    }
    if (req.method === 'POST' && rest === '/git/commits') {
      if (readOnly()) return;
      const { message, tree, parents = [] } = record.body ?? {};
      if (!repo.trees.has(tree) || parents.some((p) => !repo.commits.has(p))) return fail(422, 'Invalid request.\n\ntree or parent not found');
      const sha = makeCommit(repo, tree, parents, message);
      return ok(201, { sha, node_id: 'C_2', url: `${apiRepo}/git/commits/${sha}`, html_url: `${html}/commit/${sha}`, message,
        tree: { sha: tree, url: `${apiRepo}/git/trees/${tree}` }, parents: parents.map((p) => ({ sha: p })) });
    }
    const refWrite = /^\/git\/refs\/heads\/(.+)$/.exec(rest);
    if (req.method === 'PATCH' && refWrite) {
      if (readOnly()) return;
      const { sha, force = false } = record.body ?? {};
      const target = repo.commits.get(sha);
      if (!target) return fail(422, 'Object does not exist');
      if (repo.protectedBranch) return fail(422, `Protected branch update failed for refs/heads/${repo.defaultBranch}.`);
      if (!force && repo.head && !target.parents.includes(repo.head)) return fail(422, 'Update is not a fast forward');
      const before = filesAt(repo);
      const after = repo.trees.get(target.tree);
      const changed = Object.keys(after).filter((p) => after[p] !== before[p]);
      if (workflowRefused(changed)) return fail(422, workflowMessage(changed.find((p) => p.startsWith('.github/workflows/'))));
      repo.head = sha;
      return ok(200, { ref: `refs/heads/${repo.defaultBranch}`, node_id: 'REF_1', url: `${apiRepo}/git/refs/heads/${repo.defaultBranch}`,
        object: { type: 'commit', sha, url: `${apiRepo}/git/commits/${sha}` } });
    }
    return fail(404, 'Not Found');
  });
  server.keepAliveTimeout = 1000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = server.address().port;

  return {
    url: origin(),
    addRepo,
    /** Someone else's commit on the branch (the Action's run, an edit on GitHub). */
    commitAs: (fullName, changes, message) => commit(repos.get(fullName), changes, message),
    /** The text of `path` on the branch now, or undefined. */
    file: (fullName, path) => fileText(repos.get(fullName), path),
    /** The branch's commits, newest first: `{ sha, message, files }`. */
    history(fullName) {
      const repo = repos.get(fullName);
      const out = [];
      for (let sha = repo.head; sha; sha = repo.commits.get(sha).parents[0]) {
        const c = repo.commits.get(sha);
        out.push({ sha, message: c.message, files: repo.trees.get(c.tree) });
      }
      return out;
    },
    repo: (fullName) => repos.get(fullName),
    /** Runs `fn(request)` as each request arrives, before it is answered (a race, scripted). */
    onRequest: (fn) => { beforeAnswer = fn; },
    /** A token that works from now on (see `startFakeGitHub`). */
    addToken: (token, entry) => tokenTable.set(token, entry),
    /** Gives `token` access to the repository `fullName`. */
    grant: (token, fullName) => tokenTable.get(token).repos.push(fullName),
    /** The token stops working (expired or revoked): 401 from now on. */
    expire: (token) => tokenTable.delete(token),
    /** Every request answers 403 with x-ratelimit-remaining: 0 until `resetUnix` (or again). */
    rateLimit: (resetUnix) => { rateLimitedUntil = resetUnix; },
    /** Every request with its method, path, query, headers, JSON body and status. */
    requests: () => requests.filter((r) => r.method !== 'OPTIONS'),
    allRequests: () => requests,
    async close() {
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
