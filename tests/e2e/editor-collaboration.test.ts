import { addCard, addLane, addStage } from '@waymark/model';
import type { Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { join } from 'node:path';
import { connect, createMap, synced, tokenOf } from '../support/clients.js';
import { artifactsDir, test } from '../support/editor-fixtures.js';
import { addCardButton, cardTexts, cardValues, cell, namelessControls, openMapAs } from '../support/map-pages.js';
import { seedCards } from '../support/seed-map.js';

const DEADLINE = { timeout: 5_000 };

describe('two people on one map', () => {
  test('what one person adds, the other sees: a stage, a lane, a card and its text', async ({ alice, bob }) => {
    await alice.page.getByRole('button', { name: 'Add stage' }).click();
    const stageName = alice.page.getByRole('textbox', { name: 'Stage name' });
    await stageName.fill('Discover');
    await stageName.press('Enter');
    await expect.poll(() => bob.page.getByRole('heading', { level: 2, name: 'Discover' }).count(), DEADLINE).toBe(1);

    await alice.page.getByRole('button', { name: 'Add lane' }).click();
    await alice.page.getByRole('menuitem', { name: 'Pain points' }).click();
    const laneTitle = alice.page.getByRole('textbox', { name: 'Lane title' });
    await laneTitle.fill('What hurts');
    await laneTitle.press('Enter');
    await expect.poll(() => bob.page.getByRole('heading', { level: 3, name: 'What hurts' }).count(), DEADLINE).toBe(1);
    // The lane's kind shows beside a title of the team's own.
    await expect.poll(() => bob.page.getByRole('rowheader', { name: /What hurts/ }).textContent()).toContain('Pain points');

    await addCardButton(alice.page, 'Discover', 'What hurts').click();
    // The new card's text field has the focus, so typing goes straight in.
    await alice.page.keyboard.type('Cannot find the pricing page');
    await expect.poll(() => cardValues(bob.page), DEADLINE).toEqual(['Cannot find the pricing page']);
    await expect.poll(() => cell(bob.page, 'Discover', 'What hurts').getByRole('textbox', { name: 'Card text' }).count()).toBe(1);
  });

  test('a card moved by one moves for the other, by keyboard and by drag and drop', async ({ server, map, alice, bob }) => {
    const seeder = connect(server.url, map.id, tokenOf(map.links.editor));
    await synced(seeder);
    const one = addStage(seeder.doc, { name: 'Research' });
    addStage(seeder.doc, { name: 'Buy' });
    const lane = addLane(seeder.doc, { title: 'Actions', kind: 'actions' });
    addCard(seeder.doc, { stageId: one, laneId: lane, text: 'Reads reviews' });
    addCard(seeder.doc, { stageId: one, laneId: lane, text: 'Asks a friend' });
    seeder.destroy();
    const texts = (page: Page, stage: string) => cardValues(cell(page, stage, 'Actions'));
    await expect.poll(() => texts(bob.page, 'Research'), DEADLINE).toEqual(['Reads reviews', 'Asks a friend']);

    // Keyboard: the card's move handle takes arrow keys.
    const grip = cell(alice.page, 'Research', 'Actions').getByRole('button', { name: 'Move card' }).first();
    await grip.focus();
    await alice.page.keyboard.press('ArrowRight');
    await expect.poll(() => texts(bob.page, 'Buy'), DEADLINE).toEqual(['Reads reviews']);
    await expect.poll(() => texts(bob.page, 'Research')).toEqual(['Asks a friend']);
    // Focus follows the card, so a second press keeps moving the same one.
    await alice.page.keyboard.press('ArrowLeft');
    await expect.poll(() => texts(bob.page, 'Research'), DEADLINE).toEqual(['Asks a friend', 'Reads reviews']);
    await alice.page.keyboard.press('ArrowUp');
    await expect.poll(() => texts(bob.page, 'Research'), DEADLINE).toEqual(['Reads reviews', 'Asks a friend']);

    // Drag and drop: Bob drags "Asks a friend" into the Buy cell.
    const handle = cell(bob.page, 'Research', 'Actions').getByRole('button', { name: 'Move card' }).nth(1);
    await handle.dragTo(cell(bob.page, 'Buy', 'Actions'));
    await expect.poll(() => texts(alice.page, 'Buy'), DEADLINE).toEqual(['Asks a friend']);
    await expect.poll(() => texts(alice.page, 'Research')).toEqual(['Reads reviews']);
  });

  test('both see who is here, where their pointer is and which card they are typing in', async ({ server, map, alice, bob }) => {
    const seeder = connect(server.url, map.id, tokenOf(map.links.editor));
    await synced(seeder);
    const stageId = addStage(seeder.doc, { name: 'Research' });
    const laneId = addLane(seeder.doc, { title: 'Actions', kind: 'actions' });
    addCard(seeder.doc, { stageId, laneId, text: 'Reads reviews' });
    seeder.destroy();

    const people = (page: Page) => page.getByRole('region', { name: 'People on this map' }).textContent();
    await expect.poll(() => people(alice.page), DEADLINE).toContain('Bob');
    await expect.poll(() => people(bob.page), DEADLINE).toContain('Alice');

    await alice.page.mouse.move(500, 400);
    await alice.page.mouse.move(520, 420);
    await expect.poll(async () => (await bob.page.locator('.peer-cursor').textContent())?.trim(), DEADLINE).toBe('Alice');

    await cardTexts(alice.page).first().click();
    const outlined = bob.page.locator('[data-card-id].peer-editing');
    await expect.poll(() => outlined.count(), DEADLINE).toBe(1);
    await expect.poll(() => outlined.locator('.peer-tag').textContent()).toBe('Alice');
    await expect.poll(() => outlined.evaluate((card) => getComputedStyle(card).getPropertyValue('--peer-colour'))).toBe('#e11d48');
    await alice.page.getByRole('button', { name: 'Add stage' }).focus();
    await expect.poll(() => outlined.count(), DEADLINE).toBe(0);
  });

  test('a name chosen once is shown to others and remembered', async ({ browser, map, bob }) => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(map.links.editor);
      const prompt = page.getByRole('textbox', { name: 'Your name, so others know who is editing' });
      await prompt.fill('Priya from Support');
      await page.getByRole('button', { name: 'Save' }).click();
      const people = bob.page.getByRole('region', { name: 'People on this map' });
      await expect.poll(() => people.textContent(), DEADLINE).toContain('Priya from Support');
      await page.reload();
      await expect.poll(() => page.getByRole('button', { name: /^You: Priya from Support/ }).count(), DEADLINE).toBe(1);
      expect(await prompt.count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  test('two people typing in one card both keep their text and their place', async ({ server, map, alice, bob }) => {
    const seeder = connect(server.url, map.id, tokenOf(map.links.editor));
    await synced(seeder);
    const stageId = addStage(seeder.doc, { name: 'Research' });
    const laneId = addLane(seeder.doc, { title: 'Thinking', kind: 'thoughts' });
    addCard(seeder.doc, { stageId, laneId, text: 'Is it worth it?' });
    seeder.destroy();
    await expect.poll(() => cardValues(bob.page), DEADLINE).toEqual(['Is it worth it?']);

    const aliceCard = cardTexts(alice.page).first();
    const bobCard = cardTexts(bob.page).first();
    await aliceCard.click();
    await alice.page.keyboard.press('ControlOrMeta+Home');
    await bobCard.click();
    await bob.page.keyboard.press('ControlOrMeta+End');
    // Interleaved keystrokes: each side's letters arrive while the other is mid-word.
    await Promise.all([aliceCard.pressSequentially('Alice: ', { delay: 25 }), bobCard.pressSequentially(' Bob: yes', { delay: 20 })]);
    const expected = 'Alice: Is it worth it? Bob: yes';
    await expect.poll(() => aliceCard.inputValue(), DEADLINE).toBe(expected);
    await expect.poll(() => bobCard.inputValue(), DEADLINE).toBe(expected);
    // Both carets stayed where their owner was typing.
    expect(await aliceCard.evaluate((area: HTMLTextAreaElement) => area.selectionStart)).toBe('Alice: '.length);
    expect(await bobCard.evaluate((area: HTMLTextAreaElement) => area.selectionStart)).toBe(expected.length);
  });

  test('undo takes back only your own changes', async ({ server, map, alice, bob }) => {
    const seeder = connect(server.url, map.id, tokenOf(map.links.editor));
    await synced(seeder);
    const stageId = addStage(seeder.doc, { name: 'Research' });
    const laneId = addLane(seeder.doc, { title: 'Actions', kind: 'actions' });
    addCard(seeder.doc, { stageId, laneId, text: 'Note' });
    seeder.destroy();
    await expect.poll(() => cardValues(alice.page), DEADLINE).toEqual(['Note']);

    const aliceCard = cardTexts(alice.page).first();
    await aliceCard.click();
    await alice.page.keyboard.press('ControlOrMeta+End');
    await alice.page.keyboard.type(' by Alice');
    await expect.poll(() => cardValues(bob.page), DEADLINE).toEqual(['Note by Alice']);
    const bobCard = cardTexts(bob.page).first();
    await bobCard.click();
    await bob.page.keyboard.press('ControlOrMeta+Home');
    await bob.page.keyboard.type('Bob: ');
    await expect.poll(() => aliceCard.inputValue(), DEADLINE).toBe('Bob: Note by Alice');

    await alice.page.keyboard.press('ControlOrMeta+z');
    await expect.poll(() => bobCard.inputValue(), DEADLINE).toBe('Bob: Note');
    await alice.page.keyboard.press('ControlOrMeta+Shift+z');
    await expect.poll(() => bobCard.inputValue(), DEADLINE).toBe('Bob: Note by Alice');

    // Structural changes too: Alice adds a stage and undoes it with the toolbar button.
    await alice.page.getByRole('button', { name: 'Add stage' }).click();
    await alice.page.getByRole('textbox', { name: 'Stage name' }).press('Enter');
    await expect.poll(() => bob.page.getByRole('heading', { level: 2 }).count(), DEADLINE).toBe(2);
    await alice.page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => bob.page.getByRole('heading', { level: 2 }).count(), DEADLINE).toBe(1);
    expect(await bobCard.inputValue()).toBe('Bob: Note by Alice');
  });

  test('a populated map shows every card, the curve and both people (screenshot in tests/artifacts)', async ({ server, browser }) => {
    const map = await createMap(server.url, {
      title: 'Buyer journey: self-serve CRM',
      template: 'buyer-journey',
      scope: 'Small teams buying their first CRM online',
    });
    const seeder = connect(server.url, map.id, tokenOf(map.links.editor));
    await synced(seeder);
    const made = seedCards(seeder.doc, { totalCards: 70 });
    const alice = await openMapAs(browser, map.links.editor, 'Alice');
    const bob = await openMapAs(browser, map.links.editor, 'Bob');
    try {
      await expect.poll(() => cardTexts(alice.page).count(), DEADLINE).toBe(made);
      expect(await alice.page.locator('.persona-curve .handle:not(.unscored)').count()).toBe(7);
      await bob.page.mouse.move(900, 520);
      await cardTexts(bob.page).nth(9).click();
      await expect.poll(() => alice.page.locator('.peer-cursor').count(), DEADLINE).toBe(1);
      await expect.poll(() => alice.page.locator('[data-card-id].peer-editing').count(), DEADLINE).toBe(1);
      await alice.page.screenshot({ path: join(artifactsDir, 'editor-map.png') });
      // Every control on a full map, menus and panels included, has an accessible name.
      await alice.page.getByRole('button', { name: 'Personas' }).click();
      await alice.page.locator('[data-card-id]').first().hover();
      await alice.page.getByRole('button', { name: 'Card details' }).first().click();
      expect(await namelessControls(alice.page)).toEqual([]);
      await alice.page.getByRole('button', { name: 'Stage options: Awareness' }).click();
      expect(await namelessControls(alice.page)).toEqual([]);
      await alice.page.keyboard.press('Escape');
      await alice.page.getByRole('button', { name: 'Fit to screen' }).click();
      await alice.page.screenshot({ path: join(artifactsDir, 'editor-map-fit.png') });
    } finally {
      seeder.destroy();
      await alice.context.close();
      await bob.context.close();
    }
  });
});
