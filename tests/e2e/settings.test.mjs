// Settings: applied at once, kept across reloads; invalid values are refused with a message and
// the last valid value stays in effect (checked on the requests the app then makes).

import assert from 'node:assert/strict';
import { appTest } from './support/session.mjs';
import { feed } from './support/fake-arxiv.mjs';
import {
  openApp, reload, startWith, setSetting, settingValue, fetchAll, waitForSection, visibleText,
  waitFor, markdown,
} from './support/app.mjs';

/**
 * Sets an invalid value and waits for a message matching `pattern` that was not on screen in
 * `baseline` (the page's text before any refusal).
 */
async function expectRefused(page, baseline, testid, value, pattern) {
  const before = baseline;
  await setSetting(page, testid, value);
  const message = await waitFor(`a message refusing ${testid} = ${JSON.stringify(value)}`, async () => {
    const seen = new Set(before.split('\n').map((l) => l.trim()));
    return (await visibleText(page)).split('\n').map((l) => l.trim()).find((l) => l && !seen.has(l) && pattern.test(l));
  });
  return message;
}

appTest('settings are kept across reloads', async ({ page, site }) => {
  await openApp(page, site.url);
  await setSetting(page, 'settings-endpoint', 'http://127.0.0.1:9/api/query');
  await setSetting(page, 'settings-spacing', 7);
  await setSetting(page, 'settings-max-results', 20);
  await setSetting(page, 'settings-sort', 'submittedDate');
  await setSetting(page, 'settings-link-style', 'pdf');
  await setSetting(page, 'settings-categories', 'cs, math');
  await reload(page);
  assert.equal(await settingValue(page, 'settings-endpoint'), 'http://127.0.0.1:9/api/query');
  assert.equal(Number(await settingValue(page, 'settings-spacing')), 7);
  assert.equal(Number(await settingValue(page, 'settings-max-results')), 20);
  assert.equal(await settingValue(page, 'settings-sort'), 'submittedDate');
  assert.equal(await settingValue(page, 'settings-link-style'), 'pdf');
  assert.match(await settingValue(page, 'settings-categories'), /^cs,\s*math$/);
});

appTest('the defaults are the reference\'s: same-origin endpoint, 3 s, 100 results, lastUpdatedDate, abs, cs and stat', async ({ page, site }) => {
  await openApp(page, site.url);
  assert.equal(await settingValue(page, 'settings-endpoint'), '/api/query');
  assert.equal(Number(await settingValue(page, 'settings-spacing')), 3);
  assert.equal(Number(await settingValue(page, 'settings-max-results')), 100);
  assert.equal(await settingValue(page, 'settings-sort'), 'lastUpdatedDate');
  assert.equal(await settingValue(page, 'settings-link-style'), 'abs');
  assert.match(await settingValue(page, 'settings-categories'), /^cs,\s*stat$/);
});

appTest('an invalid max results is refused with a message and the last valid value is used', async ({ page, site, arxiv }) => {
  arxiv.answer('Software Testing', feed('search-10-entries.xml'));
  await startWith(page, { site, arxiv, keywords: ['Software Testing'] });
  await setSetting(page, 'settings-max-results', 25);
  const baseline = await visibleText(page);
  await expectRefused(page, baseline, 'settings-max-results', 2001, /2000/);
  await expectRefused(page, baseline, 'settings-max-results', 0, /2000|\b1\b/);
  await expectRefused(page, baseline, 'settings-max-results', '', /2000|number|empty/i);
  await reload(page);
  assert.equal(Number(await settingValue(page, 'settings-max-results')), 25, 'the last valid value is kept');
  await fetchAll(page);
  await waitForSection(page, 'Software Testing', 10);
  assert.equal(arxiv.requests()[0].params.max_results, '25', 'the query uses the last valid value');
});

appTest('an invalid spacing is refused with a message and the last valid value is used', async ({ page, site, arxiv }) => {
  arxiv.answer('First Spaced', feed('single-entry.xml'));
  arxiv.answer('Second Spaced', feed('single-entry.xml'));
  await startWith(page, { site, arxiv, keywords: ['First Spaced', 'Second Spaced'], spacing: 2 });
  const baseline = await visibleText(page);
  await expectRefused(page, baseline, 'settings-spacing', -1, /spacing|second|\bs\b/i);
  await expectRefused(page, baseline, 'settings-spacing', '', /spacing|second|number|empty/i);

  await reload(page);
  assert.equal(Number(await settingValue(page, 'settings-spacing')), 2, 'the last valid spacing is kept');
  await fetchAll(page);
  await waitForSection(page, 'Second Spaced', 1);
  const [a, b] = arxiv.requests();
  assert.ok(b.start - a.end >= 2000 - 20, `the requests are 2 s apart: ${arxiv.describe()}`);
});

appTest('arXiv\'s own host never gets a spacing under 3 s', async ({ page, site }) => {
  // Only the setting: nothing is fetched, no test ever contacts arXiv.
  await openApp(page, site.url);
  await setSetting(page, 'settings-endpoint', 'https://export.arxiv.org/api/query');
  const baseline = await visibleText(page);
  await expectRefused(page, baseline, 'settings-spacing', 1, /3/);
  await reload(page);
  assert.equal(await settingValue(page, 'settings-endpoint'), 'https://export.arxiv.org/api/query');
  assert.ok(Number(await settingValue(page, 'settings-spacing')) >= 3, 'the spacing stays at 3 s or more');
});

appTest('an invalid endpoint is refused with a message and the last valid one is used', async ({ page, site, arxiv }) => {
  arxiv.answer('Software Testing', feed('search-10-entries.xml'));
  await startWith(page, { site, arxiv, keywords: ['Software Testing'] });
  const baseline = await visibleText(page);
  await expectRefused(page, baseline, 'settings-endpoint', 'not a url at all', /endpoint|url|address|http/i);
  await expectRefused(page, baseline, 'settings-endpoint', '', /endpoint|url|address|http|empty/i);
  await reload(page);
  assert.equal(await settingValue(page, 'settings-endpoint'), arxiv.url);
  await fetchAll(page);
  await waitForSection(page, 'Software Testing', 10);
  assert.equal(arxiv.requests().length, 1, 'the fetch went to the last valid endpoint');
});

appTest('the category filter applies to what is fetched; an invalid list is refused', async ({ page, site, arxiv }) => {
  arxiv.answer('Video Anomaly Detection', feed('edge-cases.xml'));
  await startWith(page, { site, arxiv, keywords: ['Video Anomaly Detection'] });
  await setSetting(page, 'settings-categories', 'math, quant-ph');
  const baseline = await visibleText(page);
  await expectRefused(page, baseline, 'settings-categories', ' , ', /categor|prefix|archive|empty/i);
  await reload(page);
  assert.match(await settingValue(page, 'settings-categories'), /^math,\s*quant-ph$/);
  await fetchAll(page);
  // edge-cases.xml: math.ST+stat.ML, math.OC and quant-ph are the three kept by "math, quant-ph".
  await waitForSection(page, 'Video Anomaly Detection', 3);
  const md = await markdown(page);
  assert.ok(md.includes('Optimal Control Without Computers') && md.includes('Quantum Anomalies in Video Signals'));
  assert.ok(!md.includes('Wrapped Comments'), 'stat.AP is not in "math, quant-ph"');
});
