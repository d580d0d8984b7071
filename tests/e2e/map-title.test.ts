import { setMeta } from '@waymark/model';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { connect, createMap, synced, tokenOf } from '../support/clients.js';
import { repoRoot, startServer, tempDataDir, type RunningServer } from '../support/server.js';

describe('the web app', () => {
  let browser: Browser;
  let running: RunningServer;
  let data: ReturnType<typeof tempDataDir>;

  beforeAll(async () => {
    data = tempDataDir();
    running = await startServer(data.dir, { WEB_DIR: join(repoRoot, 'apps/web/dist') });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await running?.close();
    data?.remove();
  });

  it('opens a map link and shows its title live', async () => {
    const map = await createMap(running.url, { title: 'Renewal journey', template: 'retention-churn' });
    const page = await browser.newPage();
    await page.goto(map.links.viewer);
    // A viewer link is live but never editable, and the status says so.
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Read-only');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Renewal journey');

    const editor = connect(running.url, map.id, tokenOf(map.links.editor));
    await synced(editor);
    setMeta(editor.doc, { title: 'Renewal and win-back journey' });
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Renewal and win-back journey');
    editor.destroy();
    await page.close();
  });

  it('creates a map from the home page', async () => {
    const page = await browser.newPage();
    await page.goto(running.url);
    await page.getByLabel('Map title').fill('Trial to paid');
    await page.getByLabel('Template').selectOption('onboarding');
    await page.getByRole('button', { name: 'Create map' }).click();
    await page.getByRole('link', { name: 'Open as owner' }).click();
    // For people who may edit, the title is the "Map title" field itself.
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Connected');
    await expect.poll(() => page.getByRole('textbox', { name: 'Map title' }).inputValue()).toBe('Trial to paid');
    await page.screenshot({ path: join(repoRoot, 'tests/artifacts/map-title.png') });
    await page.close();
  });
});
