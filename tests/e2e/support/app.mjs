// A user's steps on the Daily Papers page, written against the `data-testid` contract of the app
// (issue 3, "Test hooks"), so that the tests read like what a user does.

import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';

export const byTestId = (id) => `[data-testid="${id}"]`;
const cssString = (s) => JSON.stringify(s);

/** Polls `check` until it returns a truthy value; fails with `what` and the last value seen. */
export async function waitFor(what, check, { timeout = 20_000, every = 50 } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await check();
    if (last) return last;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    }
    await sleep(every);
  }
}

/** Opens the app and waits until it has started (the keyword input is on screen). */
export async function openApp(page, url) {
  await page.goto(url);
  await page.locator(byTestId('keyword-input')).waitFor({ state: 'visible' });
}

/** Reloads the page and waits until the app has started again. */
export async function reload(page) {
  await page.reload();
  await page.locator(byTestId('keyword-input')).waitFor({ state: 'visible' });
}

// ---- Keywords ----

/**
 * The keywords (topic names) as listed, in order: each item's text without its buttons,
 * messages and topic summary, or, for an item being edited, what its (first) field holds.
 */
export async function keywordList(page) {
  return page.locator(byTestId('keyword-item')).evaluateAll((items) =>
    items.map((item) => {
      const input = item.querySelector('input');
      if (input) return input.value.trim();
      const copy = item.cloneNode(true);
      copy.querySelectorAll('button, [role="button"], [aria-live], [role="alert"], [role="status"], [data-testid="topic-summary"]').forEach((b) => b.remove());
      return copy.textContent.trim();
    }),
  );
}

/** Types a keyword and adds it with Enter (or with the Add button). */
export async function addKeyword(page, keyword, { using = 'Enter' } = {}) {
  const input = page.locator(byTestId('keyword-input'));
  await input.fill(keyword);
  if (using === 'Enter') await input.press('Enter');
  else await page.locator(byTestId('keyword-add')).click();
}

/** Adds keywords one by one and waits until the last one is listed. */
export async function addKeywords(page, keywords) {
  for (const kw of keywords) {
    await addKeyword(page, kw);
    await waitFor(`"${kw}" to be listed`, async () => (await keywordList(page)).includes(kw));
  }
}

async function itemIndex(page, keyword) {
  const list = await keywordList(page);
  const i = list.indexOf(keyword);
  if (i < 0) throw new Error(`"${keyword}" is not in the keyword list ${JSON.stringify(list)}`);
  return i;
}

/**
 * Opens the menu of a keyword's item (`it`, a `keyword-item` locator) unless it is open: its
 * rename, topic-edit, keyword-up, keyword-down and keyword-remove buttons are in that menu.
 */
export async function openItemMenu(it) {
  const button = it.locator(byTestId('topic-menu'));
  if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
  await it.locator(byTestId('keyword-remove')).waitFor({ state: 'visible' });
}

async function clickInItem(page, keyword, testid) {
  const i = await itemIndex(page, keyword);
  const it = page.locator(byTestId('keyword-item')).nth(i);
  await openItemMenu(it);
  await it.locator(byTestId(testid)).click();
}

export const removeKeyword = (page, kw) => clickInItem(page, kw, 'keyword-remove');
export const moveUp = (page, kw) => clickInItem(page, kw, 'keyword-up');
export const moveDown = (page, kw) => clickInItem(page, kw, 'keyword-down');

/** Moves a keyword up using only the keyboard: its menu button, Enter, then Up and Enter. */
export async function moveUpWithKeyboard(page, keyword) {
  const i = await itemIndex(page, keyword);
  const it = page.locator(byTestId('keyword-item')).nth(i);
  await it.locator(byTestId('topic-menu')).focus();
  await page.keyboard.press('Enter');
  await it.locator(byTestId('keyword-up')).waitFor({ state: 'visible' });
  await it.locator(byTestId('keyword-up')).focus();
  await page.keyboard.press('Enter');
}

/** Removes every listed keyword (the first visit shows examples). */
export async function clearKeywords(page) {
  for (let guard = 0; guard < 100; guard++) {
    const items = page.locator(byTestId('keyword-item'));
    const n = await items.count();
    if (n === 0) return;
    await openItemMenu(items.first());
    await items.first().locator(byTestId('keyword-remove')).click();
    await waitFor('a keyword to be removed', async () => (await items.count()) < n);
  }
  throw new Error('could not clear the keyword list');
}

// ---- Topics: the form behind a keyword's topic-edit button ----

/** A keyword's item (its `keyword-item`), found by the name it shows. */
export async function item(page, keyword) {
  return page.locator(byTestId('keyword-item')).nth(await itemIndex(page, keyword));
}

/** Opens the topic form of a keyword and waits for it. Returns the item. */
export async function openTopicForm(page, keyword) {
  const it = await item(page, keyword);
  await openItemMenu(it);
  await it.locator(byTestId('topic-edit')).click();
  await it.locator(byTestId('topic-name')).waitFor({ state: 'visible' });
  return it;
}

/**
 * Fills the open topic form of `it` (an item): `name` and `categories` as text, `phrases`,
 * `exclude` and `authors` as lists (one per line). Fields not given are left as they are.
 */
export async function fillTopicForm(it, { name, phrases, exclude, authors, categories }) {
  const lines = (list) => (Array.isArray(list) ? list.join('\n') : list);
  if (name !== undefined) await it.locator(byTestId('topic-name')).fill(name);
  if (phrases !== undefined) await it.locator(byTestId('topic-phrases')).fill(lines(phrases));
  if (exclude !== undefined) await it.locator(byTestId('topic-exclude')).fill(lines(exclude));
  if (authors !== undefined) await it.locator(byTestId('topic-authors')).fill(lines(authors));
  if (categories !== undefined) await it.locator(byTestId('topic-categories')).fill(categories);
}

/** Saves the open topic form of `it` and waits for it to close. */
export async function saveTopicForm(it) {
  await it.locator(byTestId('topic-save')).click();
  await waitFor('the topic form to close', async () => (await it.locator(byTestId('topic-form')).count()) === 0);
}

/** Opens a keyword's topic form, fills it and saves it. */
export async function editTopic(page, keyword, fields) {
  const it = await openTopicForm(page, keyword);
  await fillTopicForm(it, fields);
  await saveTopicForm(it);
}

/** The summary an item shows next to its name ('' for a topic that is only its name). */
export async function topicSummary(page, keyword) {
  const summary = (await item(page, keyword)).locator(byTestId('topic-summary'));
  return (await summary.count()) === 0 ? '' : (await summary.innerText()).trim();
}

/** Whether a keyword's section says its papers come from the previous search. */
export async function fromPreviousSearch(page, keyword) {
  const note = section(page, keyword).locator(byTestId('previous-query'));
  return (await note.count()) > 0 && note.isVisible();
}

// ---- Settings ----

/** Makes the settings visible if they sit behind a toggle. */
export async function showSettings(page) {
  const endpoint = page.locator(byTestId('settings-endpoint'));
  if (await endpoint.isVisible()) return;
  const toggle = page.locator(byTestId('settings-toggle'));
  if ((await toggle.count()) > 0) await toggle.first().click();
  await endpoint.waitFor({ state: 'visible' });
}

/** Sets one setting as a user does: choose an option, or type and leave the field (change). */
export async function setSetting(page, testid, value) {
  await showSettings(page);
  const field = page.locator(byTestId(testid));
  const tag = await field.evaluate((el) => el.tagName.toLowerCase());
  if (tag === 'select') {
    await field.selectOption(String(value));
  } else {
    await field.fill(String(value));
    await field.press('Tab');
  }
}

/** The value a settings field shows. */
export async function settingValue(page, testid) {
  await showSettings(page);
  return page.locator(byTestId(testid)).inputValue();
}

/**
 * A clean start for a fetch test: the app open, the example keywords gone, the fake arXiv as the
 * endpoint and a short spacing (1 s) to keep the suite quick.
 */
export async function startWith(page, { site, arxiv, keywords = [], spacing = 1 }) {
  await openApp(page, site.url);
  await clearKeywords(page);
  await setSetting(page, 'settings-endpoint', arxiv.url);
  if (spacing !== null) await setSetting(page, 'settings-spacing', spacing);
  await addKeywords(page, keywords);
}

// ---- Fetching and results ----

export async function fetchAll(page) {
  await page.locator(byTestId('fetch-all')).click();
}

export async function cancelFetch(page) {
  await page.locator(byTestId('fetch-cancel')).click();
}

export function section(page, keyword) {
  return page.locator(`${byTestId('keyword-section')}[data-keyword=${cssString(keyword)}]`);
}

export function rows(page, keyword) {
  return section(page, keyword).locator(byTestId('paper-row'));
}

/** Rows a table builds at a time near the screen (paper_table.rs). */
const ROWS_AT_A_TIME = 10;

/**
 * Waits until a keyword's section holds exactly `count` papers and shows them: every row of a
 * short table, the rows near the screen of a long one (see `rowTitles` for all of them).
 */
export async function waitForSection(page, keyword, count) {
  await waitFor(`the "${keyword}" section to show ${count} papers`, async () => {
    const built = await rows(page, keyword).count();
    if (built === count || (count > ROWS_AT_A_TIME && built >= ROWS_AT_A_TIME
      && (await paperCount(page, keyword)) === count)) return true;
    // A section's rows are built when it comes near the screen, as a user scrolls to it.
    await scrollTo(page, keyword);
    return false;
  }, { timeout: 30_000 });
}

/** Scrolls a keyword's section into view, as a user does to read it. */
export async function scrollTo(page, keyword) {
  await section(page, keyword).evaluate((el) => el.scrollIntoView()).catch(() => {});
}

/** How many papers a keyword's section holds (its `data-count`), built on screen or not. */
export async function paperCount(page, keyword) {
  return Number(await section(page, keyword).getAttribute('data-count'));
}

/** The error shown in a keyword's section ('' when none). */
export async function keywordError(page, keyword) {
  const err = section(page, keyword).locator(byTestId('keyword-error'));
  if ((await err.count()) === 0 || !(await err.first().isVisible())) return '';
  return (await err.first().innerText()).trim();
}

/** Waits for an error in a keyword's section and returns its text. */
export async function waitForKeywordError(page, keyword, { timeout = 45_000 } = {}) {
  return waitFor(`an error in the "${keyword}" section`, () => keywordError(page, keyword), { timeout });
}

export async function retry(page, keyword) {
  await section(page, keyword).locator(byTestId('retry')).click();
}

/** The titles of a keyword's papers, in order, read as a reader scrolls through its table. */
export async function rowTitles(page, keyword) {
  return (await readSection(page, keyword)).titles;
}

/**
 * Scrolls through a keyword's section a screen at a time, as a reader does (its rows are built
 * only near the screen): the title of each row, in order (by `aria-rowindex`), and the most rows
 * the page held at once.
 */
export async function readSection(page, keyword) {
  await scrollTo(page, keyword);
  return section(page, keyword).evaluate(async (el) => {
    const titles = new Map();
    let mostBuilt = 0;
    const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    el.scrollIntoView();
    for (let step = 0; step < 10_000; step++) {
      await frame();
      await frame();
      const built = el.querySelectorAll('[data-testid="paper-row"]');
      for (const tr of built) {
        titles.set(Number(tr.getAttribute('aria-rowindex')), (tr.querySelector('a')?.textContent ?? '').trim());
      }
      mostBuilt = Math.max(mostBuilt, built.length);
      if (el.getBoundingClientRect().bottom <= window.innerHeight) break;
      window.scrollBy(0, window.innerHeight * 0.8);
    }
    return { titles: [...titles].sort((a, b) => a[0] - b[0]).map(([, title]) => title), mostBuilt };
  });
}

/**
 * The README markdown exactly as the page gives it: its preview, or, when the preview holds only
 * the first lines of a long README, the file Download saves.
 */
export async function markdown(page) {
  if (await page.locator(byTestId('readme-preview-cut')).isVisible()) {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator(byTestId('download-markdown')).click(),
    ]);
    return readFileSync(await download.path(), 'utf8');
  }
  const out = page.locator(byTestId('markdown-output'));
  return out.evaluate((el) => ('value' in el && el.tagName === 'TEXTAREA' ? el.value : el.textContent));
}

/**
 * Waits until the README preview holds exactly `expected`; otherwise fails naming the first line
 * that differs (a whole 100 kB README in a failure message says nothing).
 */
export async function waitForMarkdown(page, expected, what) {
  const md = await waitFor(what, async () => {
    const m = await markdown(page);
    return m === expected ? m : null;
  }).catch(async () => markdown(page));
  if (md !== expected) {
    const [a, e] = [md.split('\n'), expected.split('\n')];
    const i = a.findIndex((line, n) => line !== e[n]);
    assert.fail(`${what}: differs at line ${i + 1}: got ${JSON.stringify(a[i])}, expected ${JSON.stringify(e[i])}`);
  }
}

/** Today's date as the app must print it in "Last update:" (the context runs in UTC). */
export function today() {
  return new Date().toISOString().slice(0, 10);
}

/** The body's visible text, for messages that have no test id of their own. */
export async function visibleText(page) {
  return page.locator('body').innerText();
}

// ---- Layout and accessibility (issue 13) ----

// (Imports are hoisted: this one is here to keep the additions of issue 13 in one place.)
import { createRequire } from 'node:module';

/** How wide the document is against the viewport: it must never scroll sideways. */
export async function documentWidth(page) {
  return page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
}

/**
 * What has keyboard focus: its tag, test id, id, accessible label (aria-label or text) and the
 * keyword item it sits in (the item's own text, '' outside the list).
 */
export async function focusedElement(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { tag: 'BODY', testid: null, id: '', label: '', item: '' };
    const item = el.closest('[data-testid="keyword-item"]');
    return {
      tag: el.tagName,
      testid: el.getAttribute('data-testid'),
      id: el.id,
      label: (el.getAttribute('aria-label') ?? el.textContent ?? '').trim(),
      item: item?.querySelector('.keyword-text')?.textContent.trim() ?? '',
    };
  });
}

/** Waits until focus is on an element for which `matches(focusedElement)` holds; returns it. */
export async function waitForFocus(page, what, matches) {
  let last;
  try {
    return await waitFor(`focus on ${what}`, async () => {
      last = await focusedElement(page);
      return matches(last) ? last : null;
    }, { timeout: 10_000 });
  } catch (e) {
    throw new Error(`${e.message}; focus is on ${JSON.stringify(last)}`);
  }
}

/** Runs axe-core in the page (injected from node_modules) and returns its violations. */
export async function axeViolations(page, options = {}) {
  const hasAxe = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!hasAxe) await page.addScriptTag({ path: AXE_PATH });
  return page.evaluate(async (opts) => {
    const result = await window.axe.run(document, { resultTypes: ['violations'], ...opts });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(0, 3).join(' ')}`),
    }));
  }, options);
}

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Every live region of the page (aria-live, or a role that is one) with its text. */
export async function liveRegions(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('[aria-live], [role="status"], [role="alert"], [role="log"]')].map((el) => ({
      role: el.getAttribute('role'),
      live: el.getAttribute('aria-live') ?? (el.getAttribute('role') === 'alert' ? 'assertive' : 'polite'),
      testid: el.getAttribute('data-testid'),
      text: el.textContent.trim(),
    })),
  );
}

/** The text of the page's live announcer. */
export async function announcement(page) {
  return (await page.locator(byTestId('announcer')).textContent()).trim();
}

/** The browser's own accessibility tree (what a screen reader gets): nodes with `role`. */
export async function accessibilityNodes(page, role) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = await cdp.send('Accessibility.getFullAXTree');
    return nodes
      .filter((n) => !n.ignored && n.role?.value === role)
      .map((n) => {
        const props = Object.fromEntries((n.properties ?? []).map((p) => [p.name, p.value?.value]));
        return { name: n.name?.value ?? '', value: n.value?.value, ...props };
      });
  } finally {
    await cdp.detach();
  }
}

/** WCAG contrast ratio of two CSS colours given as `rgb(r, g, b)` / `rgba(...)`. */
export function contrastRatio(a, b) {
  const lum = (css) => {
    const [r, g, bl] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number).map((c) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** An arXiv feed of `n` entries cloned from a real fixture's allowed papers, each with its own id. */
export function bigFeed(n, source) {
  const head = source.slice(0, source.indexOf('<entry>'));
  const entries = source.match(/<entry>[\s\S]*?<\/entry>/g).filter((e) => /term="(cs|stat)\./.test(e));
  const out = [];
  for (let i = 0; i < n; i++) {
    const id = `2612.${String(i).padStart(5, '0')}`;
    out.push(entries[i % entries.length].replace(/\d{4}\.\d{4,5}(v\d+)?/g, `${id}v1`));
  }
  return `${head}${out.join('\n')}\n</feed>\n`;
}
