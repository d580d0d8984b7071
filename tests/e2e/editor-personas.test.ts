import { addCard, addLane, addPersona, addStage, readCards, readPersonas, updateCard } from '@waymark/model';
import type { Page } from 'playwright-core';
import { describe, expect, onTestFinished } from 'vitest';
import { connect, synced, tokenOf, waitFor } from '../support/clients.js';
import { test } from '../support/editor-fixtures.js';
import { addCardButton, cardValues } from '../support/map-pages.js';

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

  test('filtering to one persona shows their cards and untagged ones, and a card added meanwhile is theirs', async ({
    server,
    map,
    alice,
    bob,
  }) => {
    const seeder = connect(server.url, map.id, tokenOf(map.links.editor));
    onTestFinished(() => seeder.destroy());
    await synced(seeder);
    const stageId = addStage(seeder.doc, { name: 'Research' });
    const laneId = addLane(seeder.doc, { title: 'Actions', kind: 'actions' });
    addLane(seeder.doc, { title: 'Feeling', kind: 'emotions' });
    const dana = addPersona(seeder.doc, { name: 'Dana', colour: '#f97316' });
    const eli = addPersona(seeder.doc, { name: 'Eli', colour: '#0ea5e9' });
    const danas = addCard(seeder.doc, { stageId, laneId, text: 'Dana reads reviews' });
    updateCard(seeder.doc, danas, { personaIds: [dana] });
    const elis = addCard(seeder.doc, { stageId, laneId, text: 'Eli compares prices' });
    updateCard(seeder.doc, elis, { personaIds: [eli] });
    addCard(seeder.doc, { stageId, laneId, text: 'Anyone asks a friend' });
    const everyone = ['Dana reads reviews', 'Eli compares prices', 'Anyone asks a friend'];
    await expect.poll(() => cardValues(alice.page), DEADLINE).toEqual(everyone);
    await expect.poll(() => alice.page.locator('.persona-curve').count()).toBe(2);

    // Untagged cards belong to every persona; Eli's card is not Dana's.
    await alice.page.getByRole('combobox', { name: 'Show persona' }).selectOption({ label: 'Dana' });
    await expect.poll(() => cardValues(alice.page), DEADLINE).toEqual(['Dana reads reviews', 'Anyone asks a friend']);
    await expect.poll(() => alice.page.getByRole('slider').count()).toBe(1);
    expect(await cardValues(bob.page)).toEqual(everyone);

    // A card added while showing Dana is Dana's, shows, and takes the typing (spaces included).
    await addCardButton(alice.page, 'Research', 'Actions').click();
    await expect.poll(() => alice.page.evaluate(() => document.activeElement?.getAttribute('aria-label')), DEADLINE).toBe('Card text');
    await alice.page.keyboard.type('Hello world', { delay: 20 });
    await expect.poll(() => cardValues(alice.page), DEADLINE).toEqual(['Dana reads reviews', 'Anyone asks a friend', 'Hello world']);
    await waitFor(() => readCards(seeder.doc).some((card) => card.text === 'Hello world'), 'the new card at the seeder');
    const added = readCards(seeder.doc).filter((card) => !everyone.includes(card.text));
    expect(added.map((card) => ({ text: card.text, personaIds: card.personaIds }))).toEqual([{ text: 'Hello world', personaIds: [dana] }]);

    await alice.page.getByRole('combobox', { name: 'Show persona' }).selectOption({ label: 'All personas' });
    await expect.poll(() => cardValues(alice.page), DEADLINE).toEqual([...everyone, 'Hello world']);
    await expect.poll(() => cardValues(bob.page), DEADLINE).toEqual([...everyone, 'Hello world']);
  });

  test('typing a persona’s name keeps the field and every letter while the list re-sorts', async ({ server, map, alice, bob }) => {
    const seeder = connect(server.url, map.id, tokenOf(map.links.editor));
    onTestFinished(() => seeder.destroy());
    await synced(seeder);
    for (const name of ['Kim', 'Mia', 'Zoe']) addPersona(seeder.doc, { name });
    await alice.page.getByRole('button', { name: 'Personas' }).click();
    const panel = alice.page.getByRole('complementary', { name: 'Personas' });
    await expect.poll(() => panel.locator('.persona-name').allTextContents(), DEADLINE).toEqual(['Kim', 'Mia', 'Zoe']);
    await panel.getByRole('button', { name: 'Add persona' }).click();
    await expect.poll(() => panel.locator('.persona-name').allTextContents(), DEADLINE).toEqual(['Kim', 'Mia', 'New persona', 'Zoe']);

    // Adding a persona goes straight into naming it.
    const name = panel.getByRole('textbox', { name: 'Name' });
    await expect.poll(() => name.evaluate((field) => field === document.activeElement), DEADLINE).toBe(true);

    // "A…" sorts first: the row being edited must not jump away from the typing.
    await name.click();
    await alice.page.keyboard.press('Control+a');
    await alice.page.keyboard.type('Aaron', { delay: 60 });
    await expect.poll(() => readPersonas(seeder.doc).map((persona) => persona.name), DEADLINE).toEqual(['Aaron', 'Kim', 'Mia', 'Zoe']);
    expect(await name.inputValue()).toBe('Aaron');
    expect(await name.evaluate((field) => field === document.activeElement)).toBe(true);

    await bob.page.getByRole('button', { name: 'Personas' }).click();
    const bobPanel = bob.page.getByRole('complementary', { name: 'Personas' });
    await expect.poll(() => bobPanel.locator('.persona-name').allTextContents(), DEADLINE).toEqual(['Aaron', 'Kim', 'Mia', 'Zoe']);
    // Tab to the next field: the editor stays put (moving it would drop that field's focus too).
    await alice.page.keyboard.press('Tab');
    await expect
      .poll(() => panel.getByRole('textbox', { name: 'Description' }).evaluate((field) => field === document.activeElement))
      .toBe(true);
    expect(await panel.locator('.persona-name').allTextContents()).toEqual(['Kim', 'Mia', 'Aaron', 'Zoe']);
    // Once Alice leaves the list, it files the persona under its name for her too.
    await panel.getByRole('heading', { name: 'Personas' }).click();
    await expect.poll(() => panel.locator('.persona-name').allTextContents(), DEADLINE).toEqual(['Aaron', 'Kim', 'Mia', 'Zoe']);
  });
});
