// Lighthouse accessibility scores of the states the axe-core suite checks (issue 13): first visit,
// after a fetch, a failure shown, the rename field open; light and dark; 390 and 1366 px.
// NOT part of `make test` (Lighthouse is not a dependency of the project). To run it:
//
//   npm install --prefix /tmp/lh lighthouse        # once, outside the repository
//   trunk build --release
//   LIGHTHOUSE_DIR=/tmp/lh/node_modules node tests/e2e/lighthouse-a11y.mjs
//
// It serves dist/ and a fake arXiv on 127.0.0.1 (no network) and drives /usr/bin/chromium.

import path from 'node:path';
import { startStaticServer } from './support/static-server.mjs';
import { startFakeArxiv, feed, withoutCors } from './support/fake-arxiv.mjs';
import { CHROMIUM_ARGS } from './support/session.mjs';

const dir = process.env.LIGHTHOUSE_DIR;
if (!dir) throw new Error('set LIGHTHOUSE_DIR to the node_modules folder that holds lighthouse and puppeteer-core');
const { startFlow } = await import(path.join(dir, 'lighthouse/core/index.js'));
const puppeteer = (await import(path.join(dir, 'puppeteer-core/lib/esm/puppeteer/puppeteer-core.js'))).default;

const site = await startStaticServer();
const browser = await puppeteer.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
const scores = [];
try {
  for (const scheme of ['light', 'dark']) {
    for (const width of [390, 1366]) {
      const arxiv = await startFakeArxiv({
        'Video Anomaly Detection': feed('search-10-entries.xml'),
        'Graph Neural Networks': feed('single-entry.xml'),
        'Video Understanding': feed('long-text.xml'),
      });
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
      const mobile = width < 800;
      const flow = await startFlow(page, {
        config: {
          extends: 'lighthouse:default',
          settings: {
            onlyCategories: ['accessibility'],
            formFactor: mobile ? 'mobile' : 'desktop',
            screenEmulation: { mobile, width, height: 900, deviceScaleFactor: 1, disabled: false },
          },
        },
      });
      const byTestId = (id) => `[data-testid="${id}"]`;
      const setField = async (id, value) => {
        await page.$eval(byTestId(id), (el, v) => {
          el.value = v;
          el.dispatchEvent(new Event('change', { bubbles: true }));
        }, String(value));
      };
      const runEnded = () => page.waitForFunction((sel) => !document.querySelector(sel).disabled, { timeout: 30_000 }, byTestId('fetch-all'));

      await flow.navigate(site.url, { name: 'first visit' });
      await setField('settings-endpoint', arxiv.url);
      await setField('settings-spacing', 0);
      await page.click(byTestId('fetch-all'));
      await page.waitForSelector(`${byTestId('keyword-section')}[data-keyword="Graph Neural Networks"] ${byTestId('paper-row')}`);
      await runEnded();
      await flow.snapshot({ name: 'after a fetch' });

      arxiv.answer('Video Understanding', withoutCors(feed('single-entry.xml')));
      await page.click(byTestId('fetch-all'));
      await page.waitForSelector(byTestId('keyword-error'));
      await runEnded();
      await flow.snapshot({ name: 'a failure shown' });

      await page.click(`${byTestId('keyword-item')} ${byTestId('topic-menu')}`);
      await page.click(`${byTestId('keyword-item')} button.edit`);
      await page.waitForSelector(`${byTestId('keyword-item')} input`);
      await flow.snapshot({ name: 'rename field open' });

      // The page's own background, to show which scheme the snapshots saw.
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      for (const step of (await flow.createFlowResult()).steps) {
        const a11y = step.lhr.categories.accessibility;
        const failing = Object.values(step.lhr.audits)
          .filter((a) => a11y.auditRefs.some((r) => r.id === a.id && r.weight > 0) && a.score !== null && a.score < 1)
          .map((a) => a.id);
        scores.push({ scheme, background, width, state: step.name, score: Math.round(a11y.score * 100), failing });
      }
      await context.close();
      await arxiv.close();
    }
  }
} finally {
  await browser.close();
  await site.close();
}
console.table(scores);
console.log(JSON.stringify(scores));
