import { addCard, addLane, addStage } from '@waymark/model';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { runAxe } from '../support/axe.js';
import { useBrowserBed } from '../support/browser-bed.js';
import { tokenOf, type CreatedMap } from '../support/clients.js';
import { cardTexts, cell, openMapAs } from '../support/map-pages.js';
import { seedWorkshopMap } from '../support/workshop-pages.js';

/**
 * Comments: someone with a commenter link comments on a card, mentioning Ben from the people on
 * the map (offered as they type @, picked from the keyboard); Ben's page shows the mention and opens
 * its thread; the card counts its open comments for everyone until the thread is resolved. The
 * commenter still cannot change the card.
 */

const DEADLINE = { timeout: 8_000 };
const PAIN = 'Card fees surprise people at checkout';

const seededMap = (url: string): Promise<CreatedMap> =>
  seedWorkshopMap(url, 'Checkout journey', (doc) => {
    const pay = addStage(doc, { name: 'Pay' });
    const pains = addLane(doc, { title: 'Pain points', kind: 'painPoints' });
    addCard(doc, { stageId: pay, laneId: pains, text: PAIN });
  });

const painCard = (page: Page) => cell(page, 'Pay', 'Pain points').getByRole('article');
const details = (page: Page) => page.getByRole('complementary', { name: 'Card details' });
const commentCount = (page: Page) => painCard(page).locator('.card-comment-count');

/** A link for Ben the map's owner makes: his name is among the people on the map from then on. */
async function linkFor(url: string, map: CreatedMap, label: string): Promise<string> {
  const response = await fetch(`${url}/api/maps/${map.id}/links`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenOf(map.links.owner)}` },
    body: JSON.stringify({ role: 'participant', label, personal: true }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { url: string }).url;
}

describe('comments', () => {
  const bed = useBrowserBed();

  it('shows a comment that mentions Ben on Ben’s page, and counts it on the card until resolved', { timeout: 90_000 }, async () => {
    const map = await seededMap(bed.running.url);
    const benLink = await linkFor(bed.running.url, map, 'Ben');
    const olive = await openMapAs(bed.browser, map.links.owner, 'Olive');
    const cleo = await openMapAs(bed.browser, map.links.commenter, 'Cleo');
    const ben = await openMapAs(bed.browser, benLink, 'Ben');
    try {
      // The commenter reads the card but has no way to change it.
      await expect.poll(() => painCard(cleo.page).count(), DEADLINE).toBe(1);
      expect(await cardTexts(cleo.page).count()).toBe(0);
      await painCard(cleo.page).getByRole('button', { name: 'Comment on this card' }).click();
      expect(await details(cleo.page).getByRole('radio').count()).toBe(0);

      // @ offers the people on the map; the arrow keys and Enter pick one; Ctrl+Enter sends.
      const box = details(cleo.page).getByRole('textbox', { name: 'Write a comment' });
      await box.click();
      await box.pressSequentially('@Be');
      const people = details(cleo.page).getByRole('listbox', { name: 'People to mention' });
      await expect.poll(() => people.getByRole('option').allTextContents(), DEADLINE).toEqual(['Ben']);
      expect(await box.getAttribute('aria-activedescendant')).toBe(await people.getByRole('option').first().getAttribute('id'));
      await box.press('Enter');
      expect(await people.count()).toBe(0);
      await box.pressSequentially('is this in the survey?');
      expect(await box.inputValue()).toBe('@Ben is this in the survey?');
      await box.press('Control+Enter');
      await expect.poll(() => box.inputValue(), DEADLINE).toBe('');
      const thread = details(cleo.page).getByRole('article', { name: /^Thread: / });
      await expect.poll(() => thread.locator('mark.mention').allTextContents(), DEADLINE).toEqual(['@Ben']);
      expect(await thread.textContent()).toContain('Cleo');
      const onCard = await runAxe(cleo.page);
      expect(onCard.violations, `axe on the commenter's card details:\n  ${onCard.violations.join('\n  ')}`).toEqual([]);

      // Ben's page shows the mention, and opens the thread from it.
      const mentions = ben.page.getByRole('button', { name: /^Mentions \(\d+\)$/ });
      await expect.poll(() => mentions.textContent(), DEADLINE).toBe('Mentions (1)');
      await mentions.click();
      const list = ben.page.getByRole('complementary', { name: 'Mentions' });
      expect(await list.textContent()).toContain('@Ben is this in the survey?');
      expect(await list.textContent()).toContain(`Cleo on card “${PAIN}”`);
      const report = await runAxe(ben.page);
      expect(report.violations, `axe on Ben's mentions:\n  ${report.violations.join('\n  ')}`).toEqual([]);
      await list.getByRole('button', { name: 'Open the thread' }).click();
      const benThread = details(ben.page).getByRole('article', { name: /^Thread: / });
      await expect.poll(() => benThread.textContent(), DEADLINE).toContain('@Ben is this in the survey?');

      // The card counts the open comment, for everyone.
      for (const user of [olive, cleo, ben]) await expect.poll(() => commentCount(user.page).textContent(), DEADLINE).toBe('1 comment');

      // Resolved, the count goes and the mention with it; reopened, both come back.
      await benThread.getByRole('button', { name: 'Resolve' }).click();
      for (const user of [olive, cleo, ben]) await expect.poll(() => commentCount(user.page).count(), DEADLINE).toBe(0);
      await expect.poll(() => mentions.textContent(), DEADLINE).toBe('Mentions (0)');
      await details(cleo.page).getByRole('button', { name: 'Reopen' }).click();
      await expect.poll(() => commentCount(olive.page).textContent(), DEADLINE).toBe('1 comment');

      // Ben may not change Cleo's comment: he is offered no way to.
      expect(await benThread.getByRole('button', { name: /^(Edit|Delete) comment/ }).count()).toBe(0);
      expect(await details(cleo.page).getByRole('button', { name: 'Edit comment by Cleo' }).count()).toBe(1);
      for (const user of [olive, cleo, ben]) expect(user.problems).toEqual([]);
    } finally {
      for (const user of [olive, cleo, ben]) await user.context.close();
    }
  });
});
