import { addCard, addLane, addPersona, addStage, readCards, updateCard } from '@waymark/model';
import type { Page } from 'playwright-core';
import { describe, expect, onTestFinished } from 'vitest';
import { runAxe } from '../support/axe.js';
import { connect, synced, tokenOf, waitFor } from '../support/clients.js';
import { test } from '../support/editor-fixtures.js';
import { addCardButton, cardValues } from '../support/map-pages.js';

const DEADLINE = { timeout: 5_000 };

const tagFilter = (page: Page) => page.getByRole('combobox', { name: 'Show tag' });
const evidenceFilter = (page: Page) => page.getByRole('combobox', { name: 'Show evidence' });
const viewSummary = (page: Page) => page.locator('.view-summary');
const evidenceAt = (page: Page, stage: string) =>
  page.getByRole('img', { name: `Evidence at ${stage}:`, exact: false }).getAttribute('aria-label');

describe('map views', () => {
  test('tag and evidence filters combine with the persona filter, are one person’s own, and give new cards their tag and level', async ({
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
    const dana = addPersona(seeder.doc, { name: 'Dana', colour: '#f97316' });
    const eli = addPersona(seeder.doc, { name: 'Eli', colour: '#0ea5e9' });
    const seed = (text: string, fields: Parameters<typeof updateCard>[2]) =>
      updateCard(seeder.doc, addCard(seeder.doc, { stageId, laneId, text }), fields);
    seed('Reads reviews', { tags: ['research'], evidence: 'observed' });
    seed('Guesses the price', { tags: ['research', 'pricing'], evidence: 'assumed' });
    seed('Compares plans', { tags: ['pricing'], evidence: 'assumed' });
    seed('Asks Eli’s team', { tags: ['research'], evidence: 'assumed', personaIds: [eli] });
    seed('Wants a demo', { evidence: 'proposed' });
    const everyone = ['Reads reviews', 'Guesses the price', 'Compares plans', 'Asks Eli’s team', 'Wants a demo'];
    await expect.poll(() => cardValues(alice.page), DEADLINE).toEqual(everyone);
    await expect
      .poll(() => tagFilter(alice.page).locator('option').allTextContents(), DEADLINE)
      .toEqual(['All tags', '#pricing', '#research']);
    expect(await viewSummary(alice.page).textContent()).toBe('');

    // A tag: only the cards carrying it; the stage's evidence counts follow what is shown.
    await tagFilter(alice.page).selectOption({ label: '#research' });
    await expect.poll(() => cardValues(alice.page), DEADLINE).toEqual(['Reads reviews', 'Guesses the price', 'Asks Eli’s team']);
    await expect
      .poll(() => evidenceAt(alice.page, 'Research'), DEADLINE)
      .toBe('Evidence at Research: 1 of 3 cards observed, 2 assumed, 0 proposed');
    expect(await viewSummary(alice.page).innerText()).toMatch(/^Showing: tag “research”\s*Clear view$/);

    // Evidence on top: the intersection. Then a persona: Eli's card drops out, untagged ones stay.
    await evidenceFilter(alice.page).selectOption({ label: 'Assumed' });
    await expect.poll(() => cardValues(alice.page), DEADLINE).toEqual(['Guesses the price', 'Asks Eli’s team']);
    await alice.page.getByRole('combobox', { name: 'Show persona' }).selectOption({ label: 'Dana' });
    await expect.poll(() => cardValues(alice.page), DEADLINE).toEqual(['Guesses the price']);
    await expect
      .poll(() => evidenceAt(alice.page, 'Research'), DEADLINE)
      .toBe('Evidence at Research: 0 of 1 card observed, 1 assumed, 0 proposed');
    expect(await viewSummary(alice.page).innerText()).toMatch(/^Showing: persona Dana, tag “research”, evidence Assumed\s*Clear view$/);
    // The toolbar still fits its row on a laptop screen, and the filtered map passes axe.
    expect(await alice.page.locator('.toolbar').evaluate((bar) => bar.scrollWidth <= bar.clientWidth)).toBe(true);
    const report = await runAxe(alice.page);
    expect(report.violations, `axe found WCAG AA violations:\n  ${report.violations.join('\n  ')}\n`).toEqual([]);
    // The view is Alice's own: Bob still sees the whole map.
    expect(await cardValues(bob.page)).toEqual(everyone);
    expect(await viewSummary(bob.page).textContent()).toBe('');

    // A card added under the filters carries the persona, the tag and the level, so it stays in view.
    await addCardButton(alice.page, 'Research', 'Actions').click();
    await expect.poll(() => alice.page.evaluate(() => document.activeElement?.getAttribute('aria-label')), DEADLINE).toBe('Card text');
    await alice.page.keyboard.type('Checks the refund rules', { delay: 20 });
    await expect.poll(() => cardValues(alice.page), DEADLINE).toEqual(['Guesses the price', 'Checks the refund rules']);
    await waitFor(() => readCards(seeder.doc).some((card) => card.text === 'Checks the refund rules'), 'the new card at the seeder');
    const added = readCards(seeder.doc).find((card) => card.text === 'Checks the refund rules');
    expect({ tags: added?.tags, evidence: added?.evidence, personaIds: added?.personaIds }).toEqual({
      tags: ['research'],
      evidence: 'assumed',
      personaIds: [dana],
    });

    // Under a level other than the default, the new card gets that level.
    await evidenceFilter(alice.page).selectOption({ label: 'Observed' });
    await expect.poll(() => cardValues(alice.page), DEADLINE).toEqual(['Reads reviews']);
    await addCardButton(alice.page, 'Research', 'Actions').click();
    await expect.poll(() => alice.page.evaluate(() => document.activeElement?.getAttribute('aria-label')), DEADLINE).toBe('Card text');
    await alice.page.keyboard.type('Quotes a survey', { delay: 20 });
    await waitFor(() => readCards(seeder.doc).some((card) => card.text === 'Quotes a survey'), 'the second new card at the seeder');
    const observed = readCards(seeder.doc).find((card) => card.text === 'Quotes a survey');
    expect({ tags: observed?.tags, evidence: observed?.evidence }).toEqual({ tags: ['research'], evidence: 'observed' });

    // Clear view, from the keyboard: every filter off, every card back.
    await alice.page.getByRole('button', { name: 'Clear view' }).focus();
    await alice.page.keyboard.press('Enter');
    const all = [...everyone, 'Checks the refund rules', 'Quotes a survey'];
    await expect.poll(() => cardValues(alice.page), DEADLINE).toEqual(all);
    expect(await tagFilter(alice.page).inputValue()).toBe('');
    expect(await evidenceFilter(alice.page).inputValue()).toBe('');
    expect(await alice.page.getByRole('combobox', { name: 'Show persona' }).inputValue()).toBe('');
    expect(await viewSummary(alice.page).textContent()).toBe('');
    await expect.poll(() => cardValues(bob.page), DEADLINE).toEqual(all);
  });

  test('channel and department views filter the map, combine with the others, and give new cards their channel and department', async ({
    server,
    map,
    alice,
    bob,
  }) => {
    const channelFilter = (page: Page) => page.getByRole('combobox', { name: 'Show channel' });
    const departmentFilter = (page: Page) => page.getByRole('combobox', { name: 'Show department' });
    const seeder = connect(server.url, map.id, tokenOf(map.links.editor));
    onTestFinished(() => seeder.destroy());
    await synced(seeder);
    // Without a channel or department on any card, their views are not offered.
    await expect.poll(() => tagFilter(alice.page).count(), DEADLINE).toBe(1);
    expect(await channelFilter(alice.page).count()).toBe(0);
    expect(await departmentFilter(alice.page).count()).toBe(0);

    const stageId = addStage(seeder.doc, { name: 'Support' });
    const laneId = addLane(seeder.doc, { title: 'Touchpoints', kind: 'touchpoints' });
    const seed = (text: string, fields: Parameters<typeof updateCard>[2]) =>
      updateCard(seeder.doc, addCard(seeder.doc, { stageId, laneId, text }), fields);
    seed('Opens the help centre', { channels: ['Web'], department: 'Support', tags: ['self-serve'] });
    seed('Calls the hotline', { channels: ['Phone'], department: 'Support' });
    seed('Chats with sales', { channels: ['Web', 'Chat'], department: 'Sales' });
    seed('Reads the invoice', {});
    const everyone = ['Opens the help centre', 'Calls the hotline', 'Chats with sales', 'Reads the invoice'];
    await expect.poll(() => cardValues(alice.page), DEADLINE).toEqual(everyone);
    await expect
      .poll(() => channelFilter(alice.page).locator('option').allTextContents(), DEADLINE)
      .toEqual(['All channels', 'Chat', 'Phone', 'Web']);
    expect(await departmentFilter(alice.page).locator('option').allTextContents()).toEqual(['All departments', 'Sales', 'Support']);

    await channelFilter(alice.page).selectOption({ label: 'Web' });
    await expect.poll(() => cardValues(alice.page), DEADLINE).toEqual(['Opens the help centre', 'Chats with sales']);
    expect(await viewSummary(alice.page).innerText()).toMatch(/^Showing: channel Web\s*Clear view$/);
    await departmentFilter(alice.page).selectOption({ label: 'Support' });
    await expect.poll(() => cardValues(alice.page), DEADLINE).toEqual(['Opens the help centre']);
    expect(await viewSummary(alice.page).innerText()).toMatch(/^Showing: channel Web, department Support\s*Clear view$/);
    // On top of a tag: still the intersection.
    await tagFilter(alice.page).selectOption({ label: '#self-serve' });
    await expect.poll(() => cardValues(alice.page), DEADLINE).toEqual(['Opens the help centre']);
    await tagFilter(alice.page).selectOption({ label: 'All tags' });
    // Bob's map is his own.
    expect(await cardValues(bob.page)).toEqual(everyone);

    // A card added under the view gets its channel and department, and stays in view.
    await addCardButton(alice.page, 'Support', 'Touchpoints').click();
    await expect.poll(() => alice.page.evaluate(() => document.activeElement?.getAttribute('aria-label')), DEADLINE).toBe('Card text');
    await alice.page.keyboard.type('Resets a password', { delay: 20 });
    await expect.poll(() => cardValues(alice.page), DEADLINE).toEqual(['Opens the help centre', 'Resets a password']);
    await waitFor(() => readCards(seeder.doc).some((card) => card.text === 'Resets a password'), 'the new card at the seeder');
    const added = readCards(seeder.doc).find((card) => card.text === 'Resets a password');
    expect({ channels: added?.channels, department: added?.department }).toEqual({ channels: ['Web'], department: 'Support' });

    // Under the department alone, a new card gets the department and no channel.
    await channelFilter(alice.page).selectOption({ label: 'All channels' });
    await expect.poll(() => cardValues(alice.page), DEADLINE).toEqual(['Opens the help centre', 'Calls the hotline', 'Resets a password']);
    await addCardButton(alice.page, 'Support', 'Touchpoints').click();
    await expect.poll(() => alice.page.evaluate(() => document.activeElement?.getAttribute('aria-label')), DEADLINE).toBe('Card text');
    await alice.page.keyboard.type('Asks for a refund', { delay: 20 });
    await waitFor(() => readCards(seeder.doc).some((card) => card.text === 'Asks for a refund'), 'the second new card at the seeder');
    const second = readCards(seeder.doc).find((card) => card.text === 'Asks for a refund');
    expect({ channels: second?.channels, department: second?.department }).toEqual({ channels: [], department: 'Support' });

    await alice.page.getByRole('button', { name: 'Clear view' }).click();
    await expect.poll(() => cardValues(alice.page), DEADLINE).toHaveLength(6);
    expect(await channelFilter(alice.page).inputValue()).toBe('');
    expect(await departmentFilter(alice.page).inputValue()).toBe('');
  });
});
