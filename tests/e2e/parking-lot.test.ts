import { addLane, addStage } from '@waymark/model';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { controlBorderProblems, runAxe } from '../support/axe.js';
import { useBrowserBed } from '../support/browser-bed.js';
import { tokenOf, type CreatedMap } from '../support/clients.js';
import { cardValues, cell, expectPageProblems, openMapAs } from '../support/map-pages.js';
import { seedWorkshopMap, takeFacilitatorSeat } from '../support/workshop-pages.js';

/**
 * The workshop's parking lot: a participant drops an off-agenda topic, the facilitator sees who
 * parked it, makes a card of it in a chosen cell (everyone sees the card) or discards it after
 * confirming; the server's refusals show in the dialog word for word.
 */

const DEADLINE = { timeout: 8_000 };

const seededMap = (url: string): Promise<CreatedMap> =>
  seedWorkshopMap(url, 'Checkout workshop', (doc) => {
    addStage(doc, { name: 'Browse' });
    addStage(doc, { name: 'Pay' });
    addLane(doc, { title: 'Actions', kind: 'actions' });
    addLane(doc, { title: 'Pain points', kind: 'painPoints' });
  });

const parkingButton = (page: Page) =>
  page.getByRole('region', { name: 'Workshop status' }).getByRole('button', { name: /^Parking lot \(\d+\)$/ });
const lot = (page: Page) => page.getByRole('dialog', { name: 'Parking lot' });
const topic = (page: Page, text: string) => lot(page).getByRole('listitem').filter({ hasText: text });
const topicTexts = (page: Page) => lot(page).locator('.parking-text').allTextContents();

describe('the parking lot', () => {
  const bed = useBrowserBed();

  it('takes a participant’s topic, which the facilitator makes a card of or discards', { timeout: 90_000 }, async () => {
    const map = await seededMap(bed.running.url);
    const ana = await openMapAs(bed.browser, map.links.editor, 'Ana');
    const pat = await openMapAs(bed.browser, map.links.participant, 'Pat Ó Sé');
    const vic = await openMapAs(bed.browser, map.links.viewer, 'Vic');
    try {
      await takeFacilitatorSeat(ana.page);

      // The participant parks two topics from the keyboard: Enter parks, Shift+Enter is a new line.
      await expect.poll(() => parkingButton(pat.page).textContent(), DEADLINE).toBe('Parking lot (0)');
      await parkingButton(pat.page).focus();
      await pat.page.keyboard.press('Enter');
      await expect.poll(() => lot(pat.page).isVisible(), DEADLINE).toBe(true);
      await lot(pat.page).getByRole('textbox', { name: 'Park a topic' }).focus();
      await pat.page.keyboard.type('Refund policy unclear');
      await pat.page.keyboard.press('Shift+Enter');
      await pat.page.keyboard.type('ask legal');
      await pat.page.keyboard.press('Enter');
      await expect.poll(() => topicTexts(pat.page), DEADLINE).toEqual(['Refund policy unclear\nask legal']);
      expect(await lot(pat.page).getByRole('textbox', { name: 'Park a topic' }).inputValue()).toBe('');
      await pat.page.keyboard.type('Gift cards at checkout');
      await lot(pat.page).getByRole('button', { name: 'Park it' }).click();
      await expect.poll(() => topicTexts(pat.page), DEADLINE).toHaveLength(2);
      // A participant does not decide what becomes of a topic.
      expect(
        await lot(pat.page)
          .getByRole('button', { name: /Make a card|Discard/ })
          .count(),
      ).toBe(0);
      expect(await topic(pat.page, 'Gift cards').locator('.parking-by').textContent()).toBe('Pat Ó Sé · just now');
      // A viewer has no parking lot to write to, even when the bar shows.
      await expect
        .poll(() => vic.page.getByRole('region', { name: 'Workshop status' }).textContent(), DEADLINE)
        .toContain('Ana is facilitating');
      expect(await vic.page.getByRole('button', { name: /^Parking lot/ }).count()).toBe(0);

      // The facilitator sees both, with who parked them.
      await expect.poll(() => parkingButton(ana.page).textContent(), DEADLINE).toBe('Parking lot (2)');
      await parkingButton(ana.page).click();
      await expect.poll(() => topicTexts(ana.page), DEADLINE).toEqual(['Refund policy unclear\nask legal', 'Gift cards at checkout']);
      expect(await topic(ana.page, 'Refund policy').locator('.parking-by').textContent()).toMatch(/^Pat Ó Sé · /);

      const report = await runAxe(ana.page);
      expect(report.violations, `axe on the facilitator’s parking lot:\n  ${report.violations.join('\n  ')}`).toEqual([]);
      expect(await controlBorderProblems(ana.page), 'faint borders on the parking lot').toEqual([]);

      // Make a card: the stage's select has the keyboard; the card lands in the chosen cell for everyone.
      await topic(ana.page, 'Refund policy').getByRole('button', { name: 'Make a card' }).click();
      const place = topic(ana.page, 'Refund policy').getByRole('group', { name: 'Card from this topic' });
      expect(await ana.page.evaluate(() => document.activeElement?.tagName)).toBe('SELECT');
      await place.getByRole('combobox', { name: 'Stage' }).selectOption({ label: 'Pay' });
      await place.getByRole('combobox', { name: 'Lane' }).selectOption({ label: 'Pain points' });
      const placed = await runAxe(ana.page);
      expect(placed.violations, `axe on the open Make a card row:\n  ${placed.violations.join('\n  ')}`).toEqual([]);
      expect(await controlBorderProblems(ana.page), 'faint borders on the Make a card row').toEqual([]);
      await ana.page.screenshot({ path: '/tmp/parking-lot.png' });
      await place.getByRole('button', { name: 'Add' }).click();
      for (const user of [ana, pat]) {
        await expect.poll(() => cardValues(cell(user.page, 'Pay', 'Pain points')), DEADLINE).toEqual(['Refund policy unclear\nask legal']);
        expect(await cardValues(user.page)).toEqual(['Refund policy unclear\nask legal']);
      }
      await expect.poll(() => topicTexts(pat.page), DEADLINE).toEqual(['Gift cards at checkout']);

      // Discard asks first; cancelling keeps the topic.
      await topic(ana.page, 'Gift cards').getByRole('button', { name: 'Discard' }).click();
      const confirm = ana.page.getByRole('dialog', { name: 'Discard this topic?' });
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      expect(await topicTexts(ana.page)).toEqual(['Gift cards at checkout']);
      await topic(ana.page, 'Gift cards').getByRole('button', { name: 'Discard' }).click();
      await confirm.getByRole('button', { name: 'Discard' }).click();
      await expect.poll(() => topicTexts(pat.page), DEADLINE).toEqual([]);
      await expect.poll(() => parkingButton(pat.page).textContent(), DEADLINE).toBe('Parking lot (0)');
      expect(await lot(ana.page).getByText('Nothing parked yet.').isVisible()).toBe(true);
      expect(await cardValues(pat.page)).toEqual(['Refund policy unclear\nask legal']);

      // Escape closes the list and gives the keyboard back to the bar's button.
      await ana.page.keyboard.press('Escape');
      await expect.poll(() => lot(ana.page).isVisible(), DEADLINE).toBe(false);
      expect(await ana.page.evaluate(() => document.activeElement?.textContent)).toBe('Parking lot (0)');
    } finally {
      await ana.context.close();
      await pat.context.close();
      await vic.context.close();
    }
  });

  it('keeps the bar up while topics wait, and shows the server’s refusal word for word', { timeout: 60_000 }, async () => {
    const map = await seededMap(bed.running.url);
    // A full parking lot (200 topics), with nobody facilitating: the bar shows for the topics alone.
    for (let index = 0; index < 200; index++) {
      const answer = await fetch(`${bed.running.url}/api/maps/${map.id}/workshop/parking`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${tokenOf(map.links.participant)}`,
          'content-type': 'application/json',
          'x-waymark-person': 'Seed',
        },
        body: JSON.stringify({ text: `Topic ${index + 1}` }),
      });
      expect(answer.status).toBe(201);
    }
    const pat = await openMapAs(bed.browser, map.links.participant, 'Pat');
    try {
      expectPageProblems(pat.page, 'parking in a full lot is refused with 409', (problem) => problem.includes('409'));
      await expect.poll(() => parkingButton(pat.page).textContent(), DEADLINE).toBe('Parking lot (200)');
      await parkingButton(pat.page).click();
      await lot(pat.page).getByRole('textbox', { name: 'Park a topic' }).fill('One more');
      await pat.page.keyboard.press('Enter');
      const alert = lot(pat.page).getByRole('alert');
      await expect
        .poll(() => alert.textContent(), DEADLINE)
        .toBe('the parking lot holds at most 200 topics; the facilitator can clear some');
      // The draft stays for another try.
      expect(await lot(pat.page).getByRole('textbox', { name: 'Park a topic' }).inputValue()).toBe('One more');
    } finally {
      await pat.context.close();
    }
  });
});
