import { addCard, addLane, addPersona, addStage, setEmotion } from '@waymark/model';
import type { Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { connect, synced, tokenOf, waitFor } from '../support/clients.js';
import { test } from '../support/editor-fixtures.js';
import { cardTexts, cardValues, openMapAs, status } from '../support/map-pages.js';

const DEADLINE = { timeout: 5_000 };

/** A small map with one card, seeded the way a workshop would leave it. */
async function seed(serverUrl: string, mapId: string, token: string) {
  const seeder = connect(serverUrl, mapId, token);
  await synced(seeder);
  const stageId = addStage(seeder.doc, { name: 'Research' });
  addStage(seeder.doc, { name: 'Buy' });
  const laneId = addLane(seeder.doc, { title: 'Actions', kind: 'actions' });
  addLane(seeder.doc, { title: 'Feeling', kind: 'emotions' });
  const personaId = addPersona(seeder.doc, { name: 'Dana' });
  setEmotion(seeder.doc, { personaId, stageId, score: -2 });
  addCard(seeder.doc, { stageId, laneId, text: 'Reads reviews' });
  return seeder;
}

/** How many updates this page's offline copy holds (y-indexeddb's "updates" store). */
function storedUpdates(page: Page, mapId: string): Promise<number> {
  return page.evaluate(
    (name) =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const count = open.result.transaction('updates').objectStore('updates').count();
          count.onsuccess = () => {
            resolve(count.result);
            open.result.close();
          };
        };
      }),
    `waymark:${mapId}`,
  );
}

describe('offline, viewers and reloads', () => {
  test('a viewer link shows the live map with no editing controls', async ({ server, map, browser, alice }) => {
    const seeder = await seed(server.url, map.id, tokenOf(map.links.editor));
    seeder.destroy();
    const viewer = await openMapAs(browser, map.links.viewer, 'Viewer');
    try {
      const page = viewer.page;
      await expect.poll(() => page.locator('[data-card-id] .card-text').allTextContents(), DEADLINE).toEqual(['Reads reviews']);
      expect(await status(page).textContent()).toBe('Read-only');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Checkout journey');
      expect(await page.getByRole('textbox').count()).toBe(0);
      expect(await page.getByRole('slider').count()).toBe(0);
      const editing = /^(Add|Move|Delete|Undo|Redo|Work offline|Card details)|options/;
      expect(await page.getByRole('button', { name: editing }).count()).toBe(0);
      expect(await page.locator('[draggable="true"]').count()).toBe(0);
      // ...but the curve is drawn, and the map stays live.
      expect(await page.locator('.persona-curve .point').count()).toBe(1);
      await cardTexts(alice.page).first().fill('Reads reviews on G2');
      await expect.poll(() => page.locator('[data-card-id] .card-text').allTextContents(), DEADLINE).toEqual(['Reads reviews on G2']);
    } finally {
      await viewer.context.close();
    }
  });

  test('a reload keeps everything', async ({ map, alice }) => {
    await alice.page.getByRole('button', { name: 'Add stage' }).click();
    await alice.page.getByRole('textbox', { name: 'Stage name' }).fill('Discover');
    await alice.page.keyboard.press('Enter');
    await alice.page.getByRole('button', { name: 'Add lane' }).click();
    await alice.page.getByRole('menuitem', { name: 'Actions' }).click();
    await alice.page.keyboard.press('Enter');
    await alice.page.getByRole('button', { name: 'Add card to Discover / Actions' }).click();
    await alice.page.keyboard.type('Searches "best CRM for bakeries"');
    await alice.page.getByRole('textbox', { name: 'Map title' }).fill('Bakery buyer journey');

    await alice.page.reload();
    await expect.poll(() => status(alice.page).textContent(), DEADLINE).toBe('Connected');
    await expect.poll(() => cardValues(alice.page), DEADLINE).toEqual(['Searches "best CRM for bakeries"']);
    expect(await alice.page.getByRole('heading', { level: 2 }).allTextContents()).toEqual(['Discover']);
    expect(await alice.page.getByRole('heading', { level: 3 }).allTextContents()).toEqual(['Actions']);
    expect(await alice.page.getByRole('textbox', { name: 'Map title' }).inputValue()).toBe('Bakery buyer journey');
    expect(await alice.page.title()).toBe('Bakery buyer journey · Waymark');
    // The home page lists the map with its link.
    await alice.page.goto(new URL(map.links.editor).origin);
    await expect.poll(() => alice.page.getByRole('link', { name: 'Bakery buyer journey' }).getAttribute('href')).toBe(map.links.editor);
  });

  test('edits made offline are kept and merge with everyone else’s when the connection returns', async ({ server, map, alice, bob }) => {
    const seeder = await seed(server.url, map.id, tokenOf(map.links.editor));
    await expect.poll(() => cardValues(alice.page), DEADLINE).toEqual(['Reads reviews']);

    await alice.page.getByRole('button', { name: 'Work offline' }).click();
    await expect.poll(() => status(alice.page).textContent(), DEADLINE).toBe('Offline');
    await cardTexts(alice.page).first().click();
    await alice.page.keyboard.press('ControlOrMeta+End');
    await alice.page.keyboard.type(' (offline note)');
    await alice.page.getByRole('button', { name: 'Add card to Buy / Actions' }).click();
    await alice.page.keyboard.type('Written on the train');
    expect(await alice.page.locator('.connection').getAttribute('title')).toMatch(/changes are kept in this browser/);

    // Meanwhile Bob, online, edits the same card; the server has it, Alice does not.
    await cardTexts(bob.page).first().click();
    await bob.page.keyboard.press('ControlOrMeta+Home');
    await bob.page.keyboard.type('Bob: ');
    await waitFor(
      () => seeder.doc.getMap('cards').size === 1 && JSON.stringify(seeder.doc.getMap('cards').toJSON()).includes('Bob: '),
      'the server to relay Bob’s edit',
    );
    expect(await cardValues(alice.page)).toEqual(['Reads reviews (offline note)', 'Written on the train']);
    expect(await cardValues(bob.page)).toEqual(['Bob: Reads reviews']);

    await alice.page.getByRole('button', { name: 'Reconnect' }).click();
    await expect.poll(() => status(alice.page).textContent(), DEADLINE).toBe('Connected');
    const merged = ['Bob: Reads reviews (offline note)', 'Written on the train'];
    await expect.poll(() => cardValues(bob.page), DEADLINE).toEqual(merged);
    await expect.poll(() => cardValues(alice.page), DEADLINE).toEqual(merged);
    seeder.destroy();
  });

  test('edits made offline survive closing the tab and sync when the map is opened again', async ({ server, map, alice, bob }) => {
    const seeder = await seed(server.url, map.id, tokenOf(map.links.editor));
    seeder.destroy();
    await expect.poll(() => cardValues(alice.page), DEADLINE).toEqual(['Reads reviews']);
    await alice.page.getByRole('button', { name: 'Work offline' }).click();
    await expect.poll(() => status(alice.page).textContent(), DEADLINE).toBe('Offline');
    const before = await storedUpdates(alice.page, map.id);
    await cardTexts(alice.page).first().fill('Reads reviews, then leaves');
    // Wait until the offline copy has the edit, as a person closing their laptop would.
    await expect.poll(() => storedUpdates(alice.page, map.id), DEADLINE).toBeGreaterThan(before);
    await alice.page.close();
    expect(await cardValues(bob.page)).toEqual(['Reads reviews']);

    const reopened = await alice.context.newPage();
    await reopened.goto(map.links.editor);
    await expect.poll(() => status(reopened).textContent(), DEADLINE).toBe('Connected');
    await expect.poll(() => cardValues(bob.page), DEADLINE).toEqual(['Reads reviews, then leaves']);
  });
});
