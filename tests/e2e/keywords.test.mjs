// Keywords: a user builds and orders their list; it survives a reload; bad keywords are refused.

import assert from 'node:assert/strict';
import { appTest } from './support/session.mjs';
import {
  openApp, reload, clearKeywords, addKeyword, addKeywords, keywordList, removeKeyword, moveUp,
  moveDown, moveUpWithKeyboard, visibleText, waitFor, byTestId, openItemMenu,
} from './support/app.mjs';

appTest('a first visit shows example keywords that the user can clear', async ({ page, site }) => {
  await openApp(page, site.url);
  const examples = await keywordList(page);
  assert.ok(examples.length > 0, 'a first visit lists some example keywords');
  await clearKeywords(page);
  assert.deepEqual(await keywordList(page), []);
  await reload(page);
  assert.deepEqual(await keywordList(page), [], 'the cleared list stays cleared after a reload');
});

appTest('keywords are added, reordered, removed and still there after reload', async ({ page, site }) => {
  await openApp(page, site.url);
  await clearKeywords(page);

  await addKeyword(page, 'Video Anomaly Detection'); // with Enter
  await waitFor('the first keyword', async () => (await keywordList(page)).length === 1);
  await addKeyword(page, '  Graph Neural Networks  ', { using: 'button' }); // trimmed
  await waitFor('the second keyword', async () => (await keywordList(page)).length === 2);
  await addKeywords(page, ['Diffusion']);
  assert.deepEqual(await keywordList(page), ['Video Anomaly Detection', 'Graph Neural Networks', 'Diffusion']);
  assert.equal(await page.locator(byTestId('keyword-input')).inputValue(), '', 'the input is emptied after adding');

  await moveUp(page, 'Diffusion');
  await waitFor('Diffusion to move up', async () => (await keywordList(page))[1] === 'Diffusion');
  assert.deepEqual(await keywordList(page), ['Video Anomaly Detection', 'Diffusion', 'Graph Neural Networks']);

  await moveDown(page, 'Video Anomaly Detection');
  await waitFor('Video Anomaly Detection to move down', async () => (await keywordList(page))[0] === 'Diffusion');
  assert.deepEqual(await keywordList(page), ['Diffusion', 'Video Anomaly Detection', 'Graph Neural Networks']);

  await moveUpWithKeyboard(page, 'Graph Neural Networks');
  await waitFor('Graph Neural Networks to move up by keyboard', async () => (await keywordList(page))[1] === 'Graph Neural Networks');
  assert.deepEqual(await keywordList(page), ['Diffusion', 'Graph Neural Networks', 'Video Anomaly Detection']);

  await removeKeyword(page, 'Diffusion');
  await waitFor('Diffusion to be removed', async () => (await keywordList(page)).length === 2);
  assert.deepEqual(await keywordList(page), ['Graph Neural Networks', 'Video Anomaly Detection']);

  await reload(page);
  assert.deepEqual(await keywordList(page), ['Graph Neural Networks', 'Video Anomaly Detection']);
});

appTest('the first keyword cannot move up and the last cannot move down', async ({ page, site }) => {
  await openApp(page, site.url);
  await clearKeywords(page);
  await addKeywords(page, ['Alpha Keyword', 'Beta Keyword']);
  const items = page.locator(byTestId('keyword-item'));
  const firstUp = items.nth(0).locator(byTestId('keyword-up'));
  const lastDown = items.nth(1).locator(byTestId('keyword-down'));
  // Either disabled or harmless: clicking must not change or break the list.
  if (await firstUp.isEnabled()) await firstUp.click();
  if (await lastDown.isEnabled()) await lastDown.click();
  assert.deepEqual(await keywordList(page), ['Alpha Keyword', 'Beta Keyword']);
});

/** Tries to add `raw`, expects `message` next to the input and the list unchanged. */
async function expectRefused(page, raw, message) {
  const before = await keywordList(page);
  await addKeyword(page, raw);
  await waitFor(`the message ${message}`, async () => message.test(await visibleText(page)));
  assert.deepEqual(await keywordList(page), before, `"${raw.slice(0, 40)}" must not be added`);
}

appTest('empty, blank, too long and duplicate keywords are refused with a message', async ({ page, site }) => {
  await openApp(page, site.url);
  await clearKeywords(page);
  await addKeywords(page, ['Video Anomaly Detection']);

  await expectRefused(page, ' \t  ', /type a keyword/i);
  await expectRefused(page, 'x'.repeat(201), /at most 200 characters/i);
  await expectRefused(page, '  video ANOMALY detection ', /already in the list/i);
  await expectRefused(page, '', /type a keyword/i);
  await addKeyword(page, '', { using: 'button' });
  assert.deepEqual(await keywordList(page), ['Video Anomaly Detection'], 'the Add button refuses it too');

  // 200 characters is still fine (counted in characters, not bytes).
  const longest = 'é'.repeat(200);
  await addKeyword(page, longest);
  await waitFor('the 200-character keyword', async () => (await keywordList(page)).includes(longest));
  // After a refusal the input still works.
  await addKeywords(page, ['Graph Neural Networks']);
  assert.deepEqual(await keywordList(page), ['Video Anomaly Detection', longest, 'Graph Neural Networks']);
});

appTest('a keyword is edited in place, a rename to a duplicate is refused, Escape cancels', async ({ page, site }) => {
  await openApp(page, site.url);
  await clearKeywords(page);
  await addKeywords(page, ['Video Anomaly Detectoin', 'Graph Neural Networks']);
  const item = page.locator(byTestId('keyword-item')).first();

  await openItemMenu(item);
  await item.getByRole('button', { name: 'Rename' }).click();
  const field = item.getByRole('textbox');
  await field.fill('Video Anomaly Detection');
  await field.press('Enter');
  await waitFor('the renamed keyword', async () => (await keywordList(page))[0] === 'Video Anomaly Detection');

  await openItemMenu(item);
  await item.getByRole('button', { name: 'Rename' }).click();
  await item.getByRole('textbox').fill('graph neural networks');
  await item.getByRole('textbox').press('Enter');
  await waitFor('the refusal', async () => /already in the list/i.test(await item.innerText()));
  await item.getByRole('textbox').press('Escape'); // give up the edit
  await waitFor('the edit to close', async () => (await item.getByRole('textbox').count()) === 0);
  assert.deepEqual(await keywordList(page), ['Video Anomaly Detection', 'Graph Neural Networks']);

  await reload(page);
  assert.deepEqual(await keywordList(page), ['Video Anomaly Detection', 'Graph Neural Networks'], 'the rename is saved');
});
