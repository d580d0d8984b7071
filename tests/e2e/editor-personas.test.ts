import { addCard, addLane, addPersona, addStage, updateCard } from '@waymark/model';
import type { Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { connect, synced, tokenOf } from '../support/clients.js';
import { test } from '../support/editor-fixtures.js';
import { cardValues } from '../support/map-pages.js';

const DEADLINE = { timeout: 5_000 };

describe('personas and the emotion curve', () => {
  test('a persona created and described by one person appears for the other', async ({ alice, bob }) => {
    await alice.page.getByRole('button', { name: 'Personas' }).click();
    await alice.page.getByRole('button', { name: 'Add persona' }).click();
    const panel = alice.page.getByRole('complementary', { name: 'Personas' });
    await panel.getByRole('textbox', { name: 'Name' }).fill('Dana, first-time buyer');
    await panel.getByRole('textbox', { name: 'Description' }).fill('Runs a small bakery, buys software twice a year.');
    await panel.getByRole('textbox', { name: 'Goals' }).fill('Get online orders working before the holidays.');
    await panel.getByRole('textbox', { name: 'Frustrations' }).fill('Jargon; surprise fees.');
    await panel.getByRole('radio', { name: 'Green' }).check();

    await bob.page.getByRole('button', { name: 'Personas' }).click();
    const bobPanel = bob.page.getByRole('complementary', { name: 'Personas' });
    await expect.poll(() => bobPanel.locator('.persona-name').allTextContents(), DEADLINE).toEqual(['Dana, first-time buyer']);
    await bobPanel.getByRole('button', { name: 'Dana, first-time buyer', exact: true }).click();
    await expect.poll(() => bobPanel.getByRole('textbox', { name: 'Frustrations' }).inputValue(), DEADLINE).toBe('Jargon; surprise fees.');
    await expect.poll(() => bobPanel.getByRole('radio', { name: 'Green' }).isChecked(), DEADLINE).toBe(true);
  });

  test('emotion points are dragged and keyed between -3 and +3, with highs and lows labelled', async ({ server, map, alice, bob }) => {
    const seeder = connect(server.url, map.id, tokenOf(map.links.editor));
    await synced(seeder);
    for (const name of ['Research', 'Buy', 'Use']) addStage(seeder.doc, { name });
    addLane(seeder.doc, { title: 'Feeling', kind: 'emotions' });
    addPersona(seeder.doc, { name: 'Dana', colour: '#f97316' });
    seeder.destroy();
    const slider = (page: Page, stage: string) => page.getByRole('slider', { name: `Dana at ${stage}` });
    await expect.poll(() => slider(bob.page, 'Buy').getAttribute('aria-valuetext'), DEADLINE).toBe('not scored');

    // Keyboard: the first key scores 0, then each arrow moves one step, stopping at -3.
    await slider(alice.page, 'Buy').focus();
    for (let i = 0; i < 5; i++) await alice.page.keyboard.press('ArrowDown');
    await expect.poll(() => slider(bob.page, 'Buy').getAttribute('aria-valuenow'), DEADLINE).toBe('-3');
    await expect.poll(() => bob.page.locator('.emotion-curve .extreme').allTextContents(), DEADLINE).toEqual(['Low −3']);

    // Pointer: drag the "Use" point to the top of the curve.
    const box = await slider(alice.page, 'Use').boundingBox();
    if (!box) throw new Error('the Use point is not on screen');
    await alice.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await alice.page.mouse.down();
    await alice.page.mouse.move(box.x + box.width / 2, box.y - 40, { steps: 4 });
    await alice.page.mouse.move(box.x + box.width / 2, box.y - 400, { steps: 4 });
    await alice.page.mouse.up();
    await expect.poll(() => slider(bob.page, 'Use').getAttribute('aria-valuenow'), DEADLINE).toBe('3');
    await expect.poll(() => bob.page.locator('.emotion-curve .extreme').allTextContents(), DEADLINE).toEqual(['Low −3', 'High +3']);
    await expect.poll(() => bob.page.locator('.persona-curve polyline').getAttribute('points'), DEADLINE).toMatch(/^\S+ \S+$/);
  });

  test('filtering to one persona shows only their cards and their curve, for this person only', async ({ server, map, alice, bob }) => {
    const seeder = connect(server.url, map.id, tokenOf(map.links.editor));
    await synced(seeder);
    const stageId = addStage(seeder.doc, { name: 'Research' });
    const laneId = addLane(seeder.doc, { title: 'Actions', kind: 'actions' });
    addLane(seeder.doc, { title: 'Feeling', kind: 'emotions' });
    const dana = addPersona(seeder.doc, { name: 'Dana', colour: '#f97316' });
    addPersona(seeder.doc, { name: 'Eli', colour: '#0ea5e9' });
    const tagged = addCard(seeder.doc, { stageId, laneId, text: 'Dana reads reviews' });
    updateCard(seeder.doc, tagged, { personaIds: [dana] });
    addCard(seeder.doc, { stageId, laneId, text: 'Anyone asks a friend' });
    seeder.destroy();
    await expect.poll(() => cardValues(alice.page), DEADLINE).toEqual(['Dana reads reviews', 'Anyone asks a friend']);
    await expect.poll(() => alice.page.locator('.persona-curve').count()).toBe(2);

    await alice.page.getByRole('combobox', { name: 'Show persona' }).selectOption({ label: 'Dana' });
    await expect.poll(() => cardValues(alice.page), DEADLINE).toEqual(['Dana reads reviews']);
    await expect.poll(() => alice.page.getByRole('slider').count()).toBe(1);
    expect(await cardValues(bob.page)).toEqual(['Dana reads reviews', 'Anyone asks a friend']);

    await alice.page.getByRole('combobox', { name: 'Show persona' }).selectOption({ label: 'All personas' });
    await expect.poll(() => cardValues(alice.page), DEADLINE).toEqual(['Dana reads reviews', 'Anyone asks a friend']);
  });
});
