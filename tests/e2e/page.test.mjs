// The page itself: starts without console errors, shows feed text as text (never as HTML), has
// labelled controls, fits a phone and follows the dark colour scheme.

import assert from 'node:assert/strict';
import { appTest } from './support/session.mjs';
import { feed } from './support/fake-arxiv.mjs';
import {
  openApp, startWith, fetchAll, waitForSection, rows, markdown, byTestId, waitFor, section, showSettings,
} from './support/app.mjs';

appTest('the page starts with no console errors', async ({ page, site, seen }) => {
  await openApp(page, site.url);
  await page.waitForLoadState('networkidle');
  assert.deepEqual(seen.consoleErrors, [], 'console errors on load');
  assert.deepEqual(seen.pageErrors, []);
  for (const id of ['keyword-input', 'keyword-add', 'fetch-all', 'markdown-output', 'copy-markdown', 'download-markdown']) {
    assert.equal(await page.locator(byTestId(id)).count(), 1, `one ${id} on the page`);
  }
  assert.ok((await page.title()).trim().length > 0, 'the page has a title');
});

const HOSTILE = {
  title: '<img src=x onerror=alert(1)>',
  abstract: '<script>alert(2)</script><img src=y onerror=alert(3)>',
  comment: '<svg onload=alert(4)>',
};

appTest('a title containing <img src=x onerror=alert(1)> appears as text', async ({ page, site, arxiv, seen }) => {
  arxiv.answer('Hostile Feed', feed('hostile-title.xml'));
  await startWith(page, { site, arxiv, keywords: ['Hostile Feed'] });
  await page.evaluate(() => {
    window.__injected = [];
    window.alert = (m) => window.__injected.push(String(m));
  });
  await fetchAll(page);
  await waitForSection(page, 'Hostile Feed', 1);

  const row = rows(page, 'Hostile Feed').first();
  assert.ok((await row.innerText()).includes(HOSTILE.title), 'the title is shown as text');
  // Open the abstract and the comment so that their text is rendered too.
  for (const toggle of await row.locator('summary, button').all()) await toggle.click().catch(() => {});
  await waitFor('the abstract as text', async () => (await row.textContent()).includes(HOSTILE.abstract));
  assert.ok((await row.textContent()).includes(HOSTILE.comment), 'the comment is shown as text');

  const injected = await page.evaluate(() => ({
    img: document.querySelectorAll('img[src="x"], img[src="y"]').length,
    script: [...document.scripts].filter((s) => s.textContent.includes('alert(2)')).length,
    svg: document.querySelectorAll('svg[onload]').length,
    alerts: window.__injected,
  }));
  assert.deepEqual(injected, { img: 0, script: 0, svg: 0, alerts: [] }, 'no element was created from feed text');
  await page.waitForTimeout(300);
  assert.deepEqual(seen.dialogs, []);

  // The markdown keeps the text as it is (FORMAT.md §3: not HTML-escaped).
  const md = await markdown(page);
  assert.ok(md.includes(`| **[${HOSTILE.title}](https://arxiv.org/abs/2611.06666v1)** |`), 'the markdown keeps the title as it is');
  assert.ok(md.includes(`<details><summary>Show</summary><p>${HOSTILE.abstract}</p></details>`));
  assert.equal(await section(page, 'Hostile Feed').locator('img').count(), 0);
});

appTest('every control has a label a screen reader can read', async ({ page, site }) => {
  await openApp(page, site.url);
  await showSettings(page);
  const unlabelled = await page.evaluate(() => {
    const name = (el) =>
      (el.getAttribute('aria-label') ?? '').trim() ||
      [...(el.labels ?? [])].map((l) => l.textContent.trim()).join(' ') ||
      (el.getAttribute('aria-labelledby') ?? '').split(/\s+/).map((id) => document.getElementById(id)?.textContent.trim() ?? '').join(' ').trim() ||
      (el.tagName === 'BUTTON' || el.tagName === 'A' ? el.textContent.trim() : '') ||
      (el.getAttribute('title') ?? '').trim();
    return [...document.querySelectorAll('input, select, textarea, button')]
      .filter((el) => el.type !== 'hidden' && !name(el))
      .map((el) => el.outerHTML.slice(0, 120));
  });
  assert.deepEqual(unlabelled, [], 'controls without an accessible name');
});

appTest('the page fits a phone screen without sideways scrolling', async ({ page, site }) => {
  await openApp(page, site.url);
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  assert.ok(scrollWidth <= innerWidth, `page is ${scrollWidth} px wide on a ${innerWidth} px screen`);
}, { viewport: { width: 375, height: 740 } });

appTest('the page follows a dark colour scheme', async ({ page, site }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await openApp(page, site.url);
  const background = () => page.evaluate(() => {
    const body = getComputedStyle(document.body).backgroundColor;
    const html = getComputedStyle(document.documentElement).backgroundColor;
    return body === 'rgba(0, 0, 0, 0)' ? html : body;
  });
  const light = await background();
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await background();
  assert.notEqual(dark, light, 'the background changes with prefers-color-scheme');
  const lum = (rgb) => (rgb.match(/\d+/g) ?? ['255', '255', '255']).slice(0, 3).map(Number).reduce((a, b) => a + b, 0);
  assert.ok(lum(dark) < lum(light), `dark (${dark}) is darker than light (${light})`);
});

appTest('keyboard focus is visible', async ({ page, site }) => {
  await openApp(page, site.url);
  const styles = [];
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('Tab');
    styles.push(await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const cs = getComputedStyle(el);
      return { tag: el.tagName, outline: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0, shadow: cs.boxShadow !== 'none' };
    }));
  }
  const focused = styles.filter(Boolean);
  assert.ok(focused.length >= 3, 'Tab moves through the controls');
  const invisible = focused.filter((s) => !s.outline && !s.shadow);
  assert.deepEqual(invisible, [], 'every focused control shows an outline or a ring');
});
