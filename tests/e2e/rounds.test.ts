import { addCard, addLane, addStage } from '@waymark/model';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { controlBorderProblems, runAxe } from '../support/axe.js';
import { useBrowserBed } from '../support/browser-bed.js';
import type { CreatedMap } from '../support/clients.js';
import { cardValues, cell, openMapAs, type MapUser } from '../support/map-pages.js';
import { seedWorkshopMap, workshopBar, workshopBarText, takeFacilitatorSeat } from '../support/workshop-pages.js';

/**
 * Sealed rounds in the browser: the facilitator opens a dot vote or a silent brainstorm, each
 * participant sees only their own dots or private cards while it runs, and the reveal shows
 * everyone the totals, or the cards as normal cards.
 */

const DEADLINE = { timeout: 8_000 };

/** Two stages, a pain point lane with two cards and an opportunity lane with one. */
const seededMap = (url: string): Promise<CreatedMap> =>
  seedWorkshopMap(url, 'Checkout workshop', (doc) => {
    const awareness = addStage(doc, { name: 'Awareness' });
    const purchase = addStage(doc, { name: 'Purchase' });
    const pains = addLane(doc, { title: 'Pain points', kind: 'painPoints' });
    const chances = addLane(doc, { title: 'Opportunities', kind: 'opportunities' });
    addCard(doc, { stageId: awareness, laneId: pains, text: 'Slow checkout' });
    addCard(doc, { stageId: purchase, laneId: pains, text: 'Hidden fees' });
    addCard(doc, { stageId: purchase, laneId: chances, text: 'Offer chat' });
  });

const bar = workshopBar;
const barText = workshopBarText;
const card = (page: Page, text: string) =>
  page.locator('article.card').filter({ has: page.getByRole('button', { name: `Vote for ${text}`, exact: true }) });
const dots = (page: Page, text: string) => card(page, text).getByRole('img', { name: /of your votes$/ });
const totalOn = (page: Page, text: string) =>
  page
    .locator('article.card')
    .filter({ has: page.locator('textarea, p.card-text') })
    .evaluateAll((cards, wanted) => {
      const found = cards.find(
        (element) => (element.querySelector('textarea')?.value ?? element.querySelector('p.card-text')?.textContent) === wanted,
      );
      return found?.querySelector('.vote-total')?.textContent ?? null;
    }, text);

/** Takes the seat in the workshop panel, which stays open. */
describe('sealed rounds', () => {
  const bed = useBrowserBed();

  it('keeps each participant’s dots to themselves until the reveal, then shows everyone the totals', { timeout: 90_000 }, async () => {
    const map = await seededMap(bed.running.url);
    const users: MapUser[] = [];
    try {
      const fay = await openMapAs(bed.browser, map.links.editor, 'Fay');
      const ana = await openMapAs(bed.browser, map.links.participant, 'Ana');
      const bo = await openMapAs(bed.browser, map.links.participant, 'Bo');
      users.push(fay, ana, bo);
      const panel = await takeFacilitatorSeat(fay.page);

      const rounds = panel.getByRole('region', { name: 'Rounds' });
      expect(await rounds.getByRole('radio', { name: 'Dot vote' }).isChecked()).toBe(true);
      expect(await rounds.getByRole('combobox', { name: 'Vote on' }).inputValue()).toBe('laneKind:painPoints');
      expect(await rounds.getByRole('spinbutton', { name: 'Votes per person' }).inputValue()).toBe('3');
      await rounds.getByRole('spinbutton', { name: 'Votes per person' }).fill('2');
      await rounds.getByRole('button', { name: 'Start dot vote' }).click();
      for (const user of users) await expect.poll(() => barText(user.page), DEADLINE).toContain('Dot vote: 0 people have voted');
      await expect.poll(() => barText(ana.page), DEADLINE).toContain('2 of 2 votes left');
      // Only the cards the vote is about take votes.
      expect(await ana.page.getByRole('button', { name: 'Vote for Offer chat' }).count()).toBe(0);

      // Ana puts both her dots on one card.
      await ana.page.getByRole('button', { name: 'Vote for Slow checkout' }).click();
      await ana.page.getByRole('button', { name: 'Vote for Slow checkout' }).click();
      await expect.poll(() => dots(ana.page, 'Slow checkout').getAttribute('aria-label'), DEADLINE).toBe('2 of your votes');
      await expect.poll(() => barText(ana.page), DEADLINE).toContain('0 of 2 votes left');
      await expect.poll(() => barText(bo.page), DEADLINE).toContain('1 person has voted');
      await ana.page.screenshot({ path: '/tmp/rounds-voting.png' });

      // Bo gives one dot, takes it back with the keyboard (which stays on the card), and gives two.
      await bo.page.getByRole('button', { name: 'Vote for Hidden fees' }).click();
      await bo.page.getByRole('button', { name: 'Take back a vote from Hidden fees' }).focus();
      await bo.page.keyboard.press('Enter');
      await expect.poll(() => dots(bo.page, 'Hidden fees').count(), DEADLINE).toBe(0);
      expect(await bo.page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Vote for Hidden fees');
      await bo.page.keyboard.press('Enter');
      await bo.page.getByRole('button', { name: 'Vote for Slow checkout' }).click();

      for (const user of users) await expect.poll(() => barText(user.page), DEADLINE).toContain('Dot vote: 2 people have voted');
      // Each sees only their own dots.
      await expect.poll(() => dots(bo.page, 'Slow checkout').getAttribute('aria-label'), DEADLINE).toBe('1 of your votes');
      expect(await dots(bo.page, 'Hidden fees').getAttribute('aria-label')).toBe('1 of your votes');
      expect(await dots(ana.page, 'Hidden fees').count()).toBe(0);
      expect(await dots(ana.page, 'Slow checkout').getAttribute('aria-label')).toBe('2 of your votes');
      expect(await dots(fay.page, 'Slow checkout').count()).toBe(0);
      expect(await fay.page.locator('.vote-total').count()).toBe(0);
      // The ballot is the server's: a reload shows it again.
      await ana.page.reload();
      await expect
        .poll(
          () =>
            dots(ana.page, 'Slow checkout')
              .getAttribute('aria-label')
              .catch(() => null),
          DEADLINE,
        )
        .toBe('2 of your votes');
      await expect.poll(() => barText(ana.page), DEADLINE).toContain('0 of 2 votes left');
      // Over the allowance: said, nothing sent.
      await ana.page.getByRole('button', { name: 'Vote for Hidden fees' }).focus();
      await ana.page.keyboard.press('Enter');
      await expect.poll(() => ana.page.locator('.notice', { hasText: 'You have used all 2 votes' }).count(), DEADLINE).toBe(1);

      const report = await runAxe(fay.page);
      expect(report.violations, `axe on the open vote:\n  ${report.violations.join('\n  ')}`).toEqual([]);
      expect(await controlBorderProblems(fay.page), 'faint borders on the open vote').toEqual([]);
      const participantReport = await runAxe(bo.page);
      expect(participantReport.violations, `axe on a participant’s vote:\n  ${participantReport.violations.join('\n  ')}`).toEqual([]);

      await rounds.getByRole('button', { name: 'Reveal' }).click();
      for (const user of users) {
        await expect.poll(() => totalOn(user.page, 'Slow checkout'), DEADLINE).toBe('3 votes');
        await expect.poll(() => totalOn(user.page, 'Hidden fees'), DEADLINE).toBe('1 vote');
        expect(await totalOn(user.page, 'Offer chat')).toBeNull();
        expect(await user.page.getByRole('button', { name: /^Vote for / }).count()).toBe(0);
        expect(await barText(user.page)).not.toContain('Dot vote');
      }
      expect(await fay.page.locator('.vote-result').first().getAttribute('title')).toMatch(/^Voted for by (Ana \(2\), Bo|Bo, Ana \(2\))$/);
      const revealedReport = await runAxe(ana.page);
      expect(revealedReport.violations, `axe on revealed totals:\n  ${revealedReport.violations.join('\n  ')}`).toEqual([]);
      await fay.page.screenshot({ path: '/tmp/rounds-revealed.png' });
      for (const user of users) expect(user.problems).toEqual([]);
    } finally {
      for (const user of users) await user.context.close();
    }
  });

  it(
    'keeps private cards private until the reveal makes them normal cards, and cancels a round after asking',
    { timeout: 90_000 },
    async () => {
      const map = await seededMap(bed.running.url);
      const users: MapUser[] = [];
      try {
        const fay = await openMapAs(bed.browser, map.links.owner, 'Fay');
        const ana = await openMapAs(bed.browser, map.links.participant, 'Ana');
        const bo = await openMapAs(bed.browser, map.links.participant, 'Bo');
        users.push(fay, ana, bo);
        const panel = await takeFacilitatorSeat(fay.page);
        const rounds = panel.getByRole('region', { name: 'Rounds' });

        await rounds.getByRole('radio', { name: 'Silent brainstorm' }).check();
        await rounds.getByRole('combobox', { name: 'Cards go to' }).selectOption({ label: 'Opportunities' });
        await rounds.getByRole('spinbutton', { name: 'Time limit in minutes' }).fill('10');
        await rounds.getByRole('button', { name: 'Start silent brainstorm' }).click();
        for (const user of users)
          await expect.poll(() => barText(user.page), DEADLINE).toContain('Silent brainstorm: 0 people have added cards');
        await expect
          .poll(() => bar(bo.page).getByRole('timer').getAttribute('aria-label'), DEADLINE)
          .toMatch(/^round: (9 minutes \d+ seconds|10 minutes) left$/);
        // Only the lane in scope takes private cards.
        expect(await ana.page.getByRole('button', { name: 'Add a private card to Awareness / Pain points' }).count()).toBe(0);

        await ana.page.getByRole('button', { name: 'Add a private card to Awareness / Opportunities' }).click();
        await ana.page.keyboard.type('Guest checkout');
        await ana.page.keyboard.press('Enter');
        await ana.page.keyboard.type('Typo');
        await ana.page.keyboard.press('Enter');
        const opportunity = cell(ana.page, 'Awareness', 'Opportunities');
        await expect.poll(() => opportunity.getByRole('article', { name: /^Private card: / }).count(), DEADLINE).toBe(2);
        expect(await opportunity.getByRole('article', { name: 'Private card: Guest checkout' }).textContent()).toContain(
          'Only you see this until the reveal',
        );
        await opportunity.getByRole('button', { name: 'Delete private card Typo' }).click();
        await expect.poll(() => opportunity.getByRole('article', { name: /^Private card: / }).count(), DEADLINE).toBe(1);

        await ana.page.screenshot({ path: '/tmp/rounds-brainstorm.png' });
        await expect.poll(() => barText(bo.page), DEADLINE).toContain('1 person has added cards');
        expect(await bo.page.locator('body').textContent()).not.toContain('Guest checkout');
        expect(await fay.page.locator('body').textContent()).not.toContain('Guest checkout');
        // Ana's card is the server's to keep: a reload shows it again.
        await ana.page.reload();
        await expect
          .poll(
            () => cell(ana.page, 'Awareness', 'Opportunities').getByRole('article', { name: 'Private card: Guest checkout' }).count(),
            DEADLINE,
          )
          .toBe(1);

        await rounds.getByRole('button', { name: 'Reveal' }).click();
        for (const user of users) {
          await expect.poll(() => cardValues(cell(user.page, 'Awareness', 'Opportunities')), DEADLINE).toEqual(['Guest checkout']);
          expect(await user.page.getByRole('article', { name: /^Private card: / }).count()).toBe(0);
        }

        // A round cancelled after asking shows nobody anything.
        await rounds.getByRole('radio', { name: 'Dot vote' }).check();
        await rounds.getByRole('button', { name: 'Start dot vote' }).click();
        await expect.poll(() => barText(ana.page), DEADLINE).toContain('Dot vote: 0 people have voted');
        await ana.page.getByRole('button', { name: 'Vote for Hidden fees' }).click();
        await expect.poll(() => barText(bo.page), DEADLINE).toContain('1 person has voted');
        await fay.page.screenshot({ path: '/tmp/rounds-panel.png' });
        await rounds.getByRole('button', { name: 'Cancel round' }).click();
        const confirm = fay.page.locator('dialog.confirm');
        await expect.poll(() => confirm.getByRole('heading').textContent(), DEADLINE).toBe('Cancel this dot vote?');
        await confirm.getByRole('button', { name: 'Cancel round' }).click();
        for (const user of users) await expect.poll(() => barText(user.page), DEADLINE).not.toContain('Dot vote');
        expect(await ana.page.locator('.vote-total').count()).toBe(0);
        for (const user of users) expect(user.problems).toEqual([]);
      } finally {
        for (const user of users) await user.context.close();
      }
    },
  );
});
