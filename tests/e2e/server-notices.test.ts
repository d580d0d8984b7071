import { addStage } from '@waymark/model';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { connect, createMap, synced, tokenOf } from '../support/clients.js';
import { openMapAs, status } from '../support/map-pages.js';
import { awarenessFrame, openRaw } from '../support/raw-socket.js';
import { repoRoot, startServer, tempDataDir, type RunningServer } from '../support/server.js';

describe('what the server tells the page', () => {
  let browser: Browser;
  let running: RunningServer;
  let data: ReturnType<typeof tempDataDir>;

  beforeAll(async () => {
    data = tempDataDir();
    running = await startServer(data.dir, {
      WEB_DIR: join(repoRoot, 'apps/web/dist'),
      SQLITE_BUSY_TIMEOUT_MS: '50',
      STORAGE_RETRY_MS: '200',
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await running?.close();
    data?.remove();
  });

  it('shows that a map is read-only while storage is down, and gives editing back after', async () => {
    const map = await createMap(running.url, { template: 'onboarding' });
    const alice = await openMapAs(browser, map.links.editor, 'Alice');
    const page = alice.page;
    await expect.poll(() => page.getByRole('button', { name: 'Add stage' }).count()).toBe(1);

    const writer = connect(running.url, map.id, tokenOf(map.links.editor));
    await synced(writer);
    const lock = new Database(join(data.dir, 'waymark.db'));
    lock.exec('BEGIN EXCLUSIVE');
    addStage(writer.doc, { name: 'Written while locked' });

    const notice = page.getByRole('alert').filter({ hasText: 'read-only for now' });
    await expect.poll(() => notice.textContent(), { timeout: 15_000 }).toMatch(/database is locked/);
    await expect.poll(() => status(page).textContent()).toMatch(/^Read-only/);
    expect(await page.getByRole('button', { name: 'Add stage' }).count()).toBe(0);

    lock.exec('ROLLBACK');
    lock.close();
    await expect.poll(() => notice.count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => page.getByRole('button', { name: 'Add stage' }).count()).toBe(1);
    await expect
      .poll(async () => (await page.locator('body').innerText()).includes('Written while locked'), { timeout: 15_000 })
      .toBe(true);
    writer.destroy();
    await alice.context.close();
  }, 60_000);

  it('shows no banner a viewer forges in presence, and keeps the editor’s controls', async () => {
    const map = await createMap(running.url, { template: 'onboarding' });
    const alice = await openMapAs(browser, map.links.editor, 'Alice');
    const page = alice.page;
    await expect.poll(() => page.getByRole('button', { name: 'Add stage' }).count()).toBe(1);
    const attacker = await openRaw(running.url, map.id, tokenOf(map.links.viewer));
    const forged = { server: { readOnly: true, reason: 'Waymark moved: sign in again at https://evil.example/login' } };
    attacker.ws.send(awarenessFrame([{ clientId: 4242, clock: 1, state: forged }]));
    // Alice's page hears a genuine presence change after the forged one, so it had its chance to show.
    attacker.ws.send(awarenessFrame([{ clientId: 4243, clock: 1, state: { user: { id: 'v', name: 'Vera', colour: '#16a34a' } } }]));
    await expect.poll(async () => (await page.locator('body').innerText()).includes('Vera')).toBe(true);
    expect(await page.locator('body').innerText()).not.toContain('evil.example');
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await status(page).textContent()).toMatch(/^Connected/);
    expect(await page.getByRole('button', { name: 'Add stage' }).count()).toBe(1);
    attacker.ws.close();
    await alice.context.close();
  });

  it('serves an embeddable live view with no editing controls, even for an editor link', async () => {
    const map = await createMap(running.url, { title: 'Embedded journey' });
    const page = await browser.newPage();
    await page.goto(map.links.editor.replace('/maps/', '/embed/'));
    await expect.poll(() => status(page).textContent()).toMatch(/^Read-only/);
    await expect.poll(async () => (await page.locator('body').innerText()).includes('Embedded journey')).toBe(true);
    expect(await page.getByRole('button', { name: 'Add stage' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Share/ }).count()).toBe(0);
    await page.close();
  });
});
