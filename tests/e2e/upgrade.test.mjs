// The papers database across an upgrade of the page (issue 28, point 5): a tab of an older
// version left open must not stop a newer one from loading, and a tab whose database a newer
// page upgrades lets go and says so. The other tab is played by a plain page of the same origin
// that holds the database open as an older (or newer) release of the app would.

import assert from 'node:assert/strict';
import { appTest } from './support/session.mjs';
import { feed } from './support/fake-arxiv.mjs';
import { openApp, startWith, fetchAll, waitForSection, waitFor, byTestId, paperCount, reload } from './support/app.mjs';

/** A tab of the same origin that is not the app (the static server answers 404 for it). */
async function otherTab(newPage, site) {
  const other = await newPage();
  await other.goto(new URL('/not-the-app', site.url).href);
  return other;
}

const notice = (page) => page.locator(byTestId('storage-error'));

appTest('an older tab left open holds up the database upgrade: the page says which tab to close, then opens it', async ({ page, site, newPage }) => {
  await openApp(page, site.url);
  await waitFor('the papers database', async () =>
    page.evaluate(async () => (await indexedDB.databases()).some((d) => d.name === 'daily-papers')));
  const version = await page.evaluate(async () => (await indexedDB.databases()).find((d) => d.name === 'daily-papers').version);
  await page.close();

  // The older release: the database one version back, held open by a tab that never lets go.
  const old = await otherTab(newPage, site);
  await old.evaluate(async (v) => {
    await new Promise((resolve, reject) => {
      const deleting = indexedDB.deleteDatabase('daily-papers');
      deleting.onsuccess = resolve;
      deleting.onerror = () => reject(deleting.error);
    });
    window.held = await new Promise((resolve, reject) => {
      const open = indexedDB.open('daily-papers', v - 1);
      open.onupgradeneeded = () => {
        open.result.createObjectStore('results');
        open.result.createObjectStore('seen');
      };
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
  }, version);

  const app = await newPage();
  await openApp(app, site.url);
  await waitFor('the page to say an older tab holds the database', async () =>
    /Another Daily Papers tab is open with an older version/.test(await notice(app).innerText().catch(() => '')));

  // The old tab closes its connection (as closing or reloading it does): the page goes on.
  await old.evaluate(() => window.held.close());
  await waitFor('the notice to go', () => notice(app).isHidden());
  const upgraded = await app.evaluate(async () => (await indexedDB.databases()).find((d) => d.name === 'daily-papers').version);
  assert.equal(upgraded, version, 'the page upgraded the database once the old tab let go');
  await reload(app);
  assert.equal(await notice(app).isHidden(), true);
});

appTest('a newer page opened in another tab upgrades the database: this tab lets go and asks to be reloaded', async ({ page, site, arxiv, newPage }) => {
  arxiv.answer('Kept Topic', feed('single-entry.xml'));
  await startWith(page, { site, arxiv, keywords: ['Kept Topic'] });
  await fetchAll(page);
  await waitForSection(page, 'Kept Topic', 1);
  await waitFor('the run to end', () => page.locator(byTestId('fetch-all')).isEnabled());
  await reload(page);
  await waitFor('the saved papers', async () => (await paperCount(page, 'Kept Topic')) === 1);

  // A newer release asks for a later version: it must not wait for this tab.
  const newer = await otherTab(newPage, site);
  const outcome = await newer.evaluate(async () => {
    const open = indexedDB.open('daily-papers', 1000);
    return new Promise((resolve) => {
      open.onupgradeneeded = () => {};
      open.onblocked = () => resolve('blocked');
      open.onsuccess = () => { open.result.close(); resolve('opened'); };
      open.onerror = () => resolve(`error: ${open.error}`);
    });
  });
  assert.equal(outcome, 'opened', 'the newer page opened the database without waiting for this tab');
  await waitFor('this tab to ask for a reload', async () =>
    /A newer version of Daily Papers was opened in another tab: reload this page/.test(await notice(page).innerText().catch(() => '')));
  // Its papers are still on screen.
  assert.equal(await paperCount(page, 'Kept Topic'), 1);
});
