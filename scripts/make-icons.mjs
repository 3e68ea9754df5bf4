#!/usr/bin/env node
// Draws the app's PNG icons (static/icons/icon-192.png, icon-512.png, maskable-512.png) from
// static/icons/icon.svg with the test browser (headless Chromium), so that every icon comes from
// the one drawing in the repository. Run it after changing the drawing:
// `node scripts/make-icons.mjs` (CHROMIUM names another browser than /usr/bin/chromium).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const icons = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../static/icons');
const svg = readFileSync(path.join(icons, 'icon.svg'), 'utf8');
const dataUrl = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage();
  // A maskable icon is cut to any shape inside its middle 80 %: the drawing goes in that safe
  // zone, on a full square of the accent colour.
  for (const [file, size, inset, background] of [
    ['icon-192.png', 192, 0, 'transparent'],
    ['icon-512.png', 512, 0, 'transparent'],
    ['maskable-512.png', 512, 0.1, '#1f5fbf'],
  ]) {
    await page.setViewportSize({ width: size, height: size });
    const pad = Math.round(size * inset);
    await page.setContent(`<html><body style="margin:0;background:${background}">
      <img src="${dataUrl}" style="display:block;margin:${pad}px;width:${size - 2 * pad}px;height:${size - 2 * pad}px"></body></html>`);
    await page.locator('img').evaluate((img) => img.decode());
    await page.screenshot({ path: path.join(icons, file), omitBackground: background === 'transparent' });
  }
} finally {
  await browser.close();
}
