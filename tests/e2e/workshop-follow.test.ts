import { addLane, addStage } from '@waymark/model';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { controlBorderProblems, runAxe } from '../support/axe.js';
import { useBrowserBed } from '../support/browser-bed.js';
import type { CreatedMap } from '../support/clients.js';
import { openMapAs, status, type MapUser } from '../support/map-pages.js';
import { seedWorkshopMap, workshopBar, takeFacilitatorSeat } from '../support/workshop-pages.js';

/**
 * Following the facilitator in a live workshop (issue 13): participants who follow see the
 * facilitator's scroll, zoom, focused stage and presented stage; one who steps away stays put,
 * and "Bring everyone here" brings them back.
 */

const DEADLINE = { timeout: 8_000 };
const STAGES = ['Awareness', 'Research', 'Compare', 'Decide', 'Purchase', 'Onboard', 'Use', 'Renew'];

const seededMap = (url: string): Promise<CreatedMap> =>
  seedWorkshopMap(url, 'Follow workshop', (doc) => {
    for (const name of STAGES) addStage(doc, { name });
    addLane(doc, { title: 'Actions', kind: 'actions' });
    addLane(doc, { title: 'Pain points', kind: 'painPoints' });
  });

const bar = workshopBar;
const scroll = (page: Page) =>
  page.locator('.grid-scroller').evaluate((node) => ({ left: Math.round(node.scrollLeft), top: Math.round(node.scrollTop) }));
const scrollLeft = async (page: Page) => (await scroll(page)).left;
const zoomLevel = (page: Page) => page.locator('.zoom-level').textContent();
const presented = async (page: Page) =>
  (await page.getByRole('dialog').count()) === 0 ? null : await page.getByRole('dialog').getByRole('heading', { level: 2 }).textContent();
/** Whether the stage's header is wholly in sight, right of the lane column that stays put. */
const stageInSight = (page: Page, name: string) =>
  page.evaluate((stage) => {
    const scroller = document.querySelector('.grid-scroller')!.getBoundingClientRect();
    const lanes = document.querySelector('.lane-header')!.getBoundingClientRect();
    const header = [...document.querySelectorAll('.stage-header')]
      .find((each) => each.textContent?.includes(stage))!
      .getBoundingClientRect();
    return header.left >= lanes.right - 1 && header.right <= scroller.right + 1;
  }, name);

describe('following the facilitator', () => {
  const bed = useBrowserBed();

  it('moves followers with the facilitator, leaves one who stepped away, and brings everyone back', { timeout: 120_000 }, async () => {
    const map = await seededMap(bed.running.url);
    const users: MapUser[] = [];
    try {
      const ana = await openMapAs(bed.browser, map.links.editor, 'Ana');
      const pat = await openMapAs(bed.browser, map.links.participant, 'Pat');
      const quinn = await openMapAs(bed.browser, map.links.participant, 'Quinn');
      users.push(ana, pat, quinn);
      // Quinn's window is narrower: the corner Ana sees lines up, and a stage she works in is brought into his sight.
      await quinn.page.setViewportSize({ width: 1000, height: 800 });

      const panel = await takeFacilitatorSeat(ana.page);
      await panel.getByRole('button', { name: 'Close workshop' }).click();
      await bar(ana.page).getByRole('button', { name: 'Bring everyone here' }).waitFor();
      // The facilitator follows nobody; the others may follow her.
      expect(await bar(ana.page).getByRole('button', { name: 'Follow Ana' }).count()).toBe(0);
      for (const user of [pat, quinn]) {
        expect(await bar(user.page).getByRole('button', { name: 'Bring everyone here' }).count()).toBe(0);
        await bar(user.page).getByRole('button', { name: 'Follow Ana' }).click();
        await bar(user.page).getByText('Following Ana').waitFor();
      }

      // Ana scrolls: both followers' grids show the same corner.
      await ana.page.locator('.grid-scroller').hover();
      await ana.page.mouse.wheel(700, 0);
      await expect.poll(() => scrollLeft(ana.page), DEADLINE).toBeGreaterThan(600);
      const anaLeft = await scrollLeft(ana.page);
      await expect.poll(() => scrollLeft(pat.page), DEADLINE).toBe(anaLeft);
      await expect.poll(() => scrollLeft(quinn.page), DEADLINE).toBe(anaLeft);

      // Back at the start she works in the fourth stage, in her sight but not in Quinn's narrower
      // window: his grid scrolls just enough to show it.
      await ana.page.locator('.grid-scroller').evaluate((node) => node.scrollTo({ left: 0, top: 0 }));
      await expect.poll(() => scrollLeft(quinn.page), DEADLINE).toBe(0);
      expect(await stageInSight(quinn.page, 'Decide')).toBe(false);
      await ana.page.getByRole('button', { name: 'Add card to Decide / Actions' }).focus();
      await expect.poll(() => stageInSight(quinn.page, 'Decide'), DEADLINE).toBe(true);
      expect(await scrollLeft(ana.page)).toBe(0);
      expect(await scrollLeft(pat.page)).toBe(0);

      // Her walkthrough is theirs: the stage she presents, step by step, and closed with hers.
      await ana.page.getByRole('button', { name: 'Present' }).click();
      await ana.page.getByRole('dialog').waitFor();
      const first = await presented(ana.page);
      await expect.poll(() => presented(pat.page), DEADLINE).toBe(first);
      await expect.poll(() => presented(quinn.page), DEADLINE).toBe(first);
      await ana.page.keyboard.press('ArrowRight');
      await expect.poll(() => presented(ana.page), DEADLINE).not.toBe(first);
      const second = await presented(ana.page);
      await expect.poll(() => presented(pat.page), DEADLINE).toBe(second);
      await expect.poll(() => presented(quinn.page), DEADLINE).toBe(second);
      await ana.page.keyboard.press('Escape');
      await expect.poll(() => presented(pat.page), DEADLINE).toBeNull();
      await expect.poll(() => presented(quinn.page), DEADLINE).toBeNull();

      // The bar says whom Pat follows, at WCAG AA.
      const report = await runAxe(pat.page);
      expect(report.violations, `axe on a follower's page:\n  ${report.violations.join('\n  ')}`).toEqual([]);
      expect(await controlBorderProblems(pat.page), "faint borders on a follower's page").toEqual([]);

      // Quinn scrolls on his own: he stops following and can go back in one click.
      await quinn.page.locator('.grid-scroller').hover();
      await quinn.page.mouse.wheel(0, 120);
      await bar(quinn.page).getByRole('button', { name: 'Back to Ana' }).waitFor();
      await quinn.page.screenshot({ path: '/tmp/workshop-follow.png' });
      const quinnWhere = await scroll(quinn.page);
      await ana.page.locator('.grid-scroller').evaluate((node) => node.scrollTo({ left: 0, top: 0 }));
      await ana.page.getByRole('button', { name: 'Zoom out' }).click();
      await expect.poll(() => scrollLeft(pat.page), DEADLINE).toBe(0);
      await expect.poll(() => zoomLevel(pat.page), DEADLINE).toBe('90%');
      // Pat has had Ana's last move: Quinn, who gets the same news, stayed where he was.
      expect(await scroll(quinn.page)).toEqual(quinnWhere);
      expect(await zoomLevel(quinn.page)).toBe('100%');

      // Pat steps away by the button; Ana brings everyone here, and both follow again.
      await bar(pat.page).getByRole('button', { name: 'Step away' }).click();
      await bar(pat.page).getByRole('button', { name: 'Back to Ana' }).waitFor();
      await ana.page.locator('.grid-scroller').evaluate((node) => node.scrollTo({ left: 500, top: 0 }));
      await expect.poll(() => scrollLeft(ana.page), DEADLINE).toBe(500);
      await bar(ana.page).getByRole('button', { name: 'Bring everyone here' }).click();
      for (const user of [pat, quinn]) {
        await bar(user.page).getByText('Following Ana').waitFor();
        await user.page.getByText('Ana brought everyone here').waitFor();
        await expect.poll(() => zoomLevel(user.page), DEADLINE).toBe('90%');
        await expect.poll(() => scrollLeft(user.page), DEADLINE).toBe(500);
      }

      // Ana's page reloads (a new presence id): it tells the server, and the followers follow it.
      await ana.page.reload();
      await expect.poll(() => status(ana.page).textContent(), DEADLINE).toBe('Connected');
      await bar(ana.page).getByRole('button', { name: 'Bring everyone here' }).waitFor();
      await ana.page.locator('.grid-scroller').evaluate((node) => node.scrollTo({ left: 300, top: 0 }));
      for (const user of [pat, quinn]) {
        await expect.poll(() => zoomLevel(user.page), DEADLINE).toBe('100%');
        await expect.poll(() => scrollLeft(user.page), DEADLINE).toBe(300);
      }
    } finally {
      for (const user of users) await user.context.close();
    }
  });
});
