import { addLane, addStage } from '@waymark/model';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { controlBorderProblems, runAxe } from '../support/axe.js';
import { useBrowserBed } from '../support/browser-bed.js';
import type { CreatedMap } from '../support/clients.js';
import { addCardButton, cardTexts, cardValues, freshProfile, openMapAs, type MapUser } from '../support/map-pages.js';
import { seedWorkshopMap, workshopBarText, takeFacilitatorSeat } from '../support/workshop-pages.js';

/**
 * A workshop run live: the facilitator (an editor) takes the seat, saves an agenda and runs it;
 * participants, and someone joining late, see the same item and the same countdown on the
 * server's clock; a lock holds participants' cards on their devices until it is lifted.
 */

const DEADLINE = { timeout: 8_000 };

const seededMap = (url: string): Promise<CreatedMap> =>
  seedWorkshopMap(url, 'Onboarding workshop', (doc) => {
    addStage(doc, { name: 'Awareness' });
    addStage(doc, { name: 'Purchase' });
    addLane(doc, { title: 'Actions', kind: 'actions' });
  });

const barText = workshopBarText;
/** The countdown as shown, in seconds (negative when over); null when there is none. */
async function shownSeconds(page: Page): Promise<number | null> {
  const figures = page.locator('.workshop-figures');
  if ((await figures.count()) === 0) return null;
  const text = (await figures.textContent()) ?? '';
  const match = /^(\+)?(\d+):(\d\d)/.exec(text.trim());
  if (!match) throw new Error(`a countdown that does not read as m:ss: "${text}"`);
  const seconds = Number(match[2]) * 60 + Number(match[3]);
  return match[1] ? -seconds : seconds;
}

describe('the workshop', () => {
  const bed = useBrowserBed();

  it('runs an agenda everyone follows, on one clock, and locks participants while presenting', { timeout: 90_000 }, async () => {
    const map = await seededMap(bed.running.url);
    const users: MapUser[] = [];
    try {
      const ana = await openMapAs(bed.browser, map.links.editor, 'Ana');
      const pat = await openMapAs(bed.browser, map.links.participant, 'Pat');
      const quinn = await openMapAs(bed.browser, map.links.participant, 'Quinn');
      users.push(ana, pat, quinn);
      // Participants shape nothing: no Workshop button for them.
      expect(await pat.page.getByRole('button', { name: 'Workshop', exact: true }).count()).toBe(0);
      expect(await barText(pat.page)).toBe('');

      const panel = await takeFacilitatorSeat(ana.page);
      await expect.poll(() => barText(pat.page), DEADLINE).toContain('Ana is facilitating');
      await expect.poll(() => panel.getByRole('button', { name: 'Leave the seat' }).count(), DEADLINE).toBe(1);

      await panel.getByRole('button', { name: 'Add item' }).click();
      // The new item's title has the keyboard.
      await ana.page.keyboard.type('Awareness');
      await panel.getByRole('spinbutton', { name: 'Item 1 Minutes' }).fill('5');
      await panel.getByRole('combobox', { name: 'Item 1 Focus' }).selectOption({ label: 'Awareness' });
      await panel.getByRole('button', { name: 'Add item' }).click();
      await panel.getByRole('textbox', { name: 'Item 2 Title' }).fill('Purchase');
      await panel.getByRole('spinbutton', { name: 'Item 2 Minutes' }).fill('3');
      await panel.getByRole('button', { name: 'Save agenda' }).click();
      await expect.poll(() => barText(quinn.page), DEADLINE).toContain('Agenda of 2 not started');

      await panel.getByRole('button', { name: 'Start', exact: true }).click();
      for (const user of users) {
        await expect.poll(() => barText(user.page), DEADLINE).toContain('1 of 2: Awareness');
        await expect.poll(() => shownSeconds(user.page), DEADLINE).toBeGreaterThan(4 * 60 + 50);
      }
      // The item's stage is marked on everyone's grid.
      await expect.poll(() => pat.page.locator('.stage-header.workshop-focus').textContent(), DEADLINE).toContain('Awareness');

      // The countdown ticks.
      const first = (await shownSeconds(pat.page))!;
      await expect.poll(() => shownSeconds(pat.page), { timeout: 4_000 }).toBeLessThan(first);

      // Someone joining late sees the same time as those who were there (to the second).
      // Their laptop's clock is three minutes slow: the countdown runs on the server's clock all the same.
      const lee = await freshProfile(bed.browser, 'Lee');
      users.push(lee);
      await lee.context.clock.install({ time: Date.now() - 3 * 60_000 });
      await lee.page.goto(map.links.participant);
      await expect.poll(() => barText(lee.page), DEADLINE).toContain('1 of 2: Awareness');
      await expect.poll(() => shownSeconds(lee.page), DEADLINE).not.toBeNull();
      for (let sample = 0; sample < 3; sample++) {
        const [late, early] = await Promise.all([shownSeconds(lee.page), shownSeconds(pat.page)]);
        expect(Math.abs(late! - early!), `late joiner ${late}s, participant ${early}s`).toBeLessThanOrEqual(1);
        await lee.page.waitForTimeout(400);
      }

      await panel.getByRole('button', { name: 'Pause' }).click();
      await expect.poll(() => barText(quinn.page), DEADLINE).toContain('paused');
      const paused = await shownSeconds(quinn.page);
      await panel.getByRole('button', { name: 'Resume' }).click();
      await expect.poll(() => barText(quinn.page), DEADLINE).not.toContain('paused');
      expect(Math.abs((await shownSeconds(quinn.page))! - paused!)).toBeLessThanOrEqual(1);

      await panel.getByRole('button', { name: 'Next' }).click();
      for (const user of users) {
        await expect.poll(() => barText(user.page), DEADLINE).toContain('2 of 2: Purchase');
        await expect.poll(() => shownSeconds(user.page), DEADLINE).toBeGreaterThan(2 * 60 + 50);
      }
      expect(await pat.page.locator('.stage-header.workshop-focus').count()).toBe(0);

      // Locked: participants are told, and their new card stays with them.
      await panel.getByRole('button', { name: 'Lock for participants' }).click();
      await expect.poll(() => barText(pat.page), DEADLINE).toContain('Map locked by the facilitator');
      await expect.poll(() => barText(quinn.page), DEADLINE).toContain('Map locked by the facilitator');
      await addCardButton(pat.page, 'Awareness', 'Actions').click();
      await pat.page.keyboard.type('Sees an ad');
      const notice = pat.page.locator('.notice.error', { hasText: 'the facilitator has locked the map while presenting' });
      await expect.poll(() => notice.count(), DEADLINE).toBe(1);
      expect(await notice.textContent()).toContain('your change stays on your device until it is unlocked');
      expect(await cardValues(quinn.page)).toEqual([]);
      expect(await cardValues(ana.page)).toEqual([]);

      await panel.getByRole('button', { name: 'Unlock for participants' }).click();
      for (const user of [ana, quinn, lee]) {
        await expect.poll(() => cardValues(user.page), DEADLINE).toEqual(['Sees an ad']);
        await expect.poll(() => barText(user.page), DEADLINE).not.toContain('Map locked');
      }
      expect(await cardTexts(pat.page).count()).toBe(1);

      // Stopped in its last item, the agenda is finished; the bar stays to offer its summary.
      await panel.getByRole('button', { name: 'Stop' }).click();
      await expect.poll(() => barText(pat.page), DEADLINE).toContain('Agenda finished');
      await panel.getByRole('button', { name: 'Leave the seat' }).click();
      await expect.poll(() => barText(pat.page), DEADLINE).toBe('Agenda finished Workshop summary Parking lot (0)');
    } finally {
      for (const user of users) await user.context.close();
    }
  });

  it('keeps the bar and the facilitator panel at WCAG AA, and hands the seat over', { timeout: 60_000 }, async () => {
    const map = await seededMap(bed.running.url);
    const ana = await openMapAs(bed.browser, map.links.editor, 'Ana');
    const bo = await openMapAs(bed.browser, map.links.editor, 'Bo');
    try {
      await bo.page.getByRole('button', { name: 'Workshop', exact: true }).click();
      const boPanel = bo.page.getByRole('complementary', { name: 'Workshop' });
      const panel = await takeFacilitatorSeat(ana.page);
      await panel.getByRole('button', { name: 'Add item' }).click();
      await ana.page.keyboard.type('Awareness');
      await panel.getByRole('button', { name: 'Add item' }).click();
      await ana.page.keyboard.type('Purchase');
      // Reordering keeps the keyboard on the moved item's button.
      await panel.getByRole('button', { name: 'Move item 2 up' }).click();
      expect(await panel.getByRole('textbox', { name: 'Item 1 Title' }).inputValue()).toBe('Purchase');
      expect(await ana.page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Move item 1 down');
      await panel.getByRole('button', { name: 'Save agenda' }).click();
      await panel.getByRole('button', { name: 'Start', exact: true }).click();
      await panel.getByRole('button', { name: 'Lock for participants' }).click();
      await expect.poll(() => barText(ana.page), DEADLINE).toContain('Map locked by the facilitator');
      await expect.poll(() => barText(bo.page), DEADLINE).toContain('1 of 2: Purchase');

      for (const [page, where] of [
        [ana.page, 'the facilitator’s panel and bar'],
        [bo.page, 'an editor’s workshop panel'],
      ] as const) {
        const report = await runAxe(page);
        expect(report.violations, `axe on ${where}:\n  ${report.violations.join('\n  ')}`).toEqual([]);
        expect(await controlBorderProblems(page), `faint borders on ${where}`).toEqual([]);
      }
      await ana.page.screenshot({ path: '/tmp/workshop.png' });

      // Bo takes the seat over: Ana's panel offers it back and no longer runs the agenda.
      await boPanel.getByRole('button', { name: 'Take over from Ana' }).click();
      await expect.poll(() => barText(ana.page), DEADLINE).toContain('Bo is facilitating');
      await expect.poll(() => panel.getByRole('button', { name: 'Take over from Bo' }).count(), DEADLINE).toBe(1);
      expect(await panel.getByRole('button', { name: 'Next' }).count()).toBe(0);
    } finally {
      await ana.context.close();
      await bo.context.close();
    }
  });

  it('signals time up quietly, then counts the time over', { timeout: 60_000 }, async () => {
    const map = await seededMap(bed.running.url);
    const ana = await openMapAs(bed.browser, map.links.editor, 'Ana');
    // Pat's clock is faked (and runs on from now) so a minute can pass in a moment.
    const pat = await freshProfile(bed.browser, 'Pat');
    try {
      await pat.context.clock.install({ time: Date.now() });
      await pat.page.goto(map.links.participant);
      const panel = await takeFacilitatorSeat(ana.page);
      await panel.getByRole('button', { name: 'Add item' }).click();
      await ana.page.keyboard.type('Warm-up');
      await panel.getByRole('spinbutton', { name: 'Item 1 Minutes' }).fill('1');
      await panel.getByRole('button', { name: 'Save agenda' }).click();
      await expect.poll(() => barText(pat.page), DEADLINE).toContain('Agenda of 1 not started');
      await panel.getByRole('button', { name: 'Start', exact: true }).click();
      await expect.poll(() => shownSeconds(pat.page), DEADLINE).toBeGreaterThan(50);
      const said = pat.page.locator('p[aria-live="polite"]', { hasText: 'Time is up for Warm-up' });
      expect(await said.count()).toBe(0);

      await pat.context.clock.fastForward('01:20');
      await expect.poll(() => said.count(), DEADLINE).toBe(1);
      expect(await pat.page.locator('.workshop-bar.pulse').count()).toBe(1);
      await expect.poll(() => pat.page.locator('.workshop-figures').textContent(), DEADLINE).toMatch(/^\+0:[12]\d over$/);
      expect(await pat.page.locator('.workshop-time.over').count()).toBe(1);
      const report = await runAxe(pat.page);
      expect(report.violations, `axe on the over-time bar:\n  ${report.violations.join('\n  ')}`).toEqual([]);
    } finally {
      await ana.context.close();
      await pat.context.close();
    }
  });
});
