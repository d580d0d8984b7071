import { setMeta } from '@waymark/model';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connect, createMap, synced, tokenOf } from '../support/clients.js';
import { repoRoot } from '../support/server.js';
import { useBrowserBed } from '../support/browser-bed.js';

describe('the web app', () => {
  const bed = useBrowserBed();

  it('opens a map link and shows its title live', async () => {
    const map = await createMap(bed.running.url, { title: 'Renewal journey', template: 'retention-churn' });
    const page = await bed.browser.newPage();
    await page.goto(map.links.viewer);
    // A viewer link is live but never editable, and the status says so.
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Read-only');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Renewal journey');

    const editor = connect(bed.running.url, map.id, tokenOf(map.links.editor));
    await synced(editor);
    setMeta(editor.doc, { title: 'Renewal and win-back journey' });
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Renewal and win-back journey');
    editor.destroy();
    await page.close();
  });

  it('creates a map from the home page', async () => {
    const page = await bed.browser.newPage();
    await page.goto(bed.running.url);
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
