import { addCard, addLane, addPersona, addStage } from '@waymark/model';
import type { Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { connect, synced, tokenOf } from '../support/clients.js';
import { test } from '../support/editor-fixtures.js';
import { cardValues, cell } from '../support/map-pages.js';

const DEADLINE = { timeout: 5_000 };
const stageNames = (page: Page) => page.getByRole('heading', { level: 2 }).allTextContents();
const laneTitles = (page: Page) => page.getByRole('heading', { level: 3 }).allTextContents();

describe('shaping the map', () => {
  test('stages and lanes are renamed, reordered and deleted (with confirmation and undo) for everyone', async ({
    server,
    map,
    alice,
    bob,
  }) => {
    const seeder = connect(server.url, map.id, tokenOf(map.links.editor));
    await synced(seeder);
    const research = addStage(seeder.doc, { name: 'Research' });
    addStage(seeder.doc, { name: 'Buy' });
    addStage(seeder.doc, { name: 'Use' });
    const actions = addLane(seeder.doc, { title: 'Actions', kind: 'actions' });
    addLane(seeder.doc, { title: 'Pain points', kind: 'painPoints' });
    addCard(seeder.doc, { stageId: research, laneId: actions, text: 'Reads reviews' });
    seeder.destroy();
    await expect.poll(() => stageNames(bob.page), DEADLINE).toEqual(['Research', 'Buy', 'Use']);

    // Rename from the stage's menu.
    await alice.page.getByRole('button', { name: 'Stage options: Buy' }).click();
    await alice.page.getByRole('menuitem', { name: 'Rename' }).click();
    await alice.page.getByRole('textbox', { name: 'Stage name' }).fill('Purchase');
    await alice.page.keyboard.press('Enter');
    await expect.poll(() => stageNames(bob.page), DEADLINE).toEqual(['Research', 'Purchase', 'Use']);

    // Reorder from the keyboard: the menu's "Move left".
    await alice.page.getByRole('button', { name: 'Stage options: Use' }).click();
    await alice.page.getByRole('menuitem', { name: 'Move left' }).click();
    await expect.poll(() => stageNames(bob.page), DEADLINE).toEqual(['Research', 'Use', 'Purchase']);
    await alice.page.getByRole('button', { name: 'Lane options: Pain points' }).click();
    await alice.page.getByRole('menuitem', { name: 'Move up' }).click();
    await expect.poll(() => laneTitles(bob.page), DEADLINE).toEqual(['Pain points', 'Actions']);

    // Reorder by dragging a stage header onto the left half of another.
    const purchase = alice.page.locator('.stage-header', { hasText: 'Purchase' });
    await purchase.hover();
    await purchase.locator('.header-grip').dragTo(alice.page.locator('.stage-header', { hasText: 'Research' }), {
      targetPosition: { x: 10, y: 20 },
    });
    await expect.poll(() => stageNames(bob.page), DEADLINE).toEqual(['Purchase', 'Research', 'Use']);

    // Delete asks first; cancelling keeps the stage.
    await alice.page.getByRole('button', { name: 'Stage options: Research' }).click();
    await alice.page.getByRole('menuitem', { name: 'Delete stage' }).click();
    const dialog = alice.page.getByRole('dialog', { name: 'Delete the stage “Research”?' });
    expect(await dialog.textContent()).toContain('Its 1 card goes with it');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await stageNames(alice.page)).toEqual(['Purchase', 'Research', 'Use']);
    await alice.page.getByRole('button', { name: 'Stage options: Research' }).click();
    await alice.page.getByRole('menuitem', { name: 'Delete stage' }).click();
    await dialog.getByRole('button', { name: 'Delete stage' }).click();
    await expect.poll(() => stageNames(bob.page), DEADLINE).toEqual(['Purchase', 'Use']);
    expect(await cardValues(bob.page)).toEqual([]);

    // The notice offers undo, which brings back the stage and its card.
    await alice.page.getByRole('button', { name: 'Undo', exact: true }).last().click();
    await expect.poll(() => stageNames(bob.page), DEADLINE).toEqual(['Purchase', 'Research', 'Use']);
    await expect.poll(() => cardValues(cell(bob.page, 'Research', 'Actions')), DEADLINE).toEqual(['Reads reviews']);
  });

  test('card colour, evidence, tags and personas are set in the card panel and shown to everyone', async ({ server, map, alice, bob }) => {
    const seeder = connect(server.url, map.id, tokenOf(map.links.editor));
    await synced(seeder);
    const stageId = addStage(seeder.doc, { name: 'Research' });
    const laneId = addLane(seeder.doc, { title: 'Actions', kind: 'actions' });
    addCard(seeder.doc, { stageId, laneId, text: 'Compares prices' });
    addPersona(seeder.doc, { name: 'Dana', colour: '#f97316' });
    seeder.destroy();

    const aliceCard = alice.page.locator('[data-card-id]').first();
    await aliceCard.hover();
    await aliceCard.getByRole('button', { name: 'Card details' }).click();
    const panel = alice.page.getByRole('complementary', { name: 'Card details' });
    await panel.getByRole('radio', { name: 'Blue' }).check();
    await panel.getByRole('radio', { name: 'Observed' }).check();
    await panel.getByRole('textbox', { name: 'Add tag' }).fill('pricing');
    await panel.getByRole('textbox', { name: 'Add tag' }).press('Enter');
    await panel.getByRole('checkbox', { name: 'Dana' }).check();

    const bobCard = bob.page.locator('[data-card-id]').first();
    await expect.poll(() => bobCard.getAttribute('data-evidence'), DEADLINE).toBe('observed');
    await expect.poll(() => bobCard.evaluate((card) => getComputedStyle(card).backgroundColor), DEADLINE).toBe('rgb(191, 219, 254)');
    await expect.poll(() => bobCard.locator('.tag').allTextContents(), DEADLINE).toEqual(['#pricing']);
    await expect.poll(() => bobCard.locator('.persona-chip').allTextContents(), DEADLINE).toEqual(['Dana']);

    await panel.getByRole('button', { name: 'Remove tag pricing' }).click();
    await expect.poll(() => bobCard.locator('.tag').count(), DEADLINE).toBe(0);

    // Bob deletes the card Alice is looking at (Delete on its move handle); her panel says so,
    // and shows it again when Bob undoes.
    await bobCard.getByRole('button', { name: 'Move card' }).focus();
    await bob.page.keyboard.press('Delete');
    await expect.poll(() => panel.textContent(), DEADLINE).toContain('This card is no longer on the map.');
    await bob.page.keyboard.press('ControlOrMeta+z');
    await expect.poll(() => panel.getByRole('radio', { name: 'Observed' }).isChecked(), DEADLINE).toBe(true);
    await panel.getByRole('button', { name: 'Delete card' }).click();
    await expect.poll(() => cardValues(bob.page), DEADLINE).toEqual([]);
    await alice.page.keyboard.press('ControlOrMeta+z');
    await expect.poll(() => cardValues(bob.page), DEADLINE).toEqual(['Compares prices']);
  });
});
