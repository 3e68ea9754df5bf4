// Makes docs/screenshot.png, the picture in the README: the release build (dist/) in headless
// Chromium against the tests' fake arXiv on 127.0.0.1, three topics fetched from the real
// fixtures. Run it again after a visible change: `make build && node scripts/screenshot.mjs`.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../tests/e2e/support/session.mjs';
import { startStaticServer } from '../tests/e2e/support/static-server.mjs';
import { startFakeArxiv, feed } from '../tests/e2e/support/fake-arxiv.mjs';
import { startWith, fetchAll, waitFor, paperCount } from '../tests/e2e/support/app.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(here, '../docs/screenshot.png');

// The topics and the real arXiv answer each one gets (core/tests/fixtures/arxiv/).
const TOPICS = [
  ['Video Anomaly Detection', 'search-10-entries.xml'],
  ['Time Series', 'search-100-entries.xml'],
  ['Trajectory Prediction', 'single-entry.xml'],
];

const browser = await launchChromium();
const site = await startStaticServer();
const arxiv = await startFakeArxiv(Object.fromEntries(TOPICS.map(([t, f]) => [t, feed(f)])));
try {
  const page = await browser.newPage({ viewport: { width: 1366, height: 800 } });
  await startWith(page, { site, arxiv, keywords: TOPICS.map(([t]) => t), spacing: 1 });
  await fetchAll(page);
  for (const [topic] of TOPICS) {
    await waitFor(`papers in "${topic}"`, async () => (await paperCount(page, topic)) > 0);
  }
  // Clearing the example topics offers an undo for a while: wait until it is gone.
  await waitFor('the undo offer to end', () => page.locator('[data-testid="undo-bar"]').isHidden(),
    { timeout: 30_000 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: out });
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
} finally {
  await arxiv.close();
  await site.close();
  await browser.close();
}
