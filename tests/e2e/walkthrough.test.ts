import { addCard, addLane, addPersona, addStage, setEmotion } from '@waymark/model';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { runAxe } from '../support/axe.js';
import { useBrowserBed } from '../support/browser-bed.js';
import { connect, createMap, synced, tokenOf } from '../support/clients.js';
import { artifactsDir } from '../support/editor-fixtures.js';
import { openMapAs, type MapUser } from '../support/map-pages.js';

/**
 * The walkthrough (issue 11): Present steps through the map stage by stage, full screen, calls out
 * where each persona's journey peaks and dips, shows the whole curve as numbers, and shares the
 * presenter's stage so others can jump to it and follow.
 */

const DEADLINE = { timeout: 8_000 };
const STAGES = ['Awareness', 'Research', 'Decision', 'Onboarding'];
/** Evaluating buyer's scores by stage: Research is the low, Decision the high, the rest neither. */
const BUYER = [1, -2, 3, 0];
/** Pain points by stage: Research has the most. */
const PAIN_POINTS = [1, 3, 0, 1];
/** The smallest text, in CSS px as drawn, that still reads on a projector. */
const LEGIBLE_PX = 20;

async function seededMap(url: string) {
  const map = await createMap(url, { title: 'Buyer journey', template: 'blank' });
  const seeder = connect(url, map.id, tokenOf(map.links.editor));
  await synced(seeder);
  const stageIds = STAGES.map((name) => addStage(seeder.doc, { name }));
  const actions = addLane(seeder.doc, { title: 'Actions', kind: 'actions' });
  addLane(seeder.doc, { title: 'Emotions', kind: 'emotions' });
  const pains = addLane(seeder.doc, { title: 'Pain points', kind: 'painPoints' });
  const buyer = addPersona(seeder.doc, { name: 'Evaluating buyer', colour: '#0ea5e9' });
  addPersona(seeder.doc, { name: 'Account admin', colour: '#e11d48' });
  stageIds.forEach((stageId, index) => {
    setEmotion(seeder.doc, { personaId: buyer, stageId, score: BUYER[index]! });
    addCard(seeder.doc, { stageId, laneId: actions, text: `Does something in ${STAGES[index]}` });
    for (let n = 0; n < PAIN_POINTS[index]!; n++)
      addCard(seeder.doc, { stageId, laneId: pains, text: `Pain ${n + 1} in ${STAGES[index]}` });
  });
  return { map, seeder, buyer, stageIds };
}

const dialogOf = (page: Page): Locator => page.getByRole('dialog');
const presentedStage = (page: Page) => dialogOf(page).getByRole('heading', { level: 2 }).textContent();
const callouts = (page: Page) => dialogOf(page).getByRole('region', { name: 'Highs and lows' }).innerText();
const fullScreen = (page: Page) => page.evaluate(() => document.fullscreenElement?.tagName ?? null);
const presenceBar = (page: Page): Locator => page.getByRole('region', { name: 'People on this map' });

/** The drawn font size (zoom included) of every text node's element under `scope`, smallest first. */
async function drawnSizes(scope: Locator): Promise<number[]> {
  return scope.evaluate((root) => {
    const sizes: number[] = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const element = node.parentElement;
      if (!element || node.textContent!.trim() === '' || element.closest('.visually-hidden')) continue;
      let zoom = 1;
      for (let each: Element | null = element; each; each = each.parentElement) zoom *= Number(getComputedStyle(each).zoom) || 1;
      sizes.push(parseFloat(getComputedStyle(element).fontSize) * zoom);
    }
    return sizes.sort((a, b) => a - b);
  });
}

describe('the walkthrough', () => {
  const bed = useBrowserBed();

  it('presents full screen and calls out each stage’s highs and lows in words, with the whole curve as numbers', async () => {
    const { map, seeder, buyer, stageIds } = await seededMap(bed.running.url);
    let alice: MapUser | undefined;
    try {
      alice = await openMapAs(bed.browser, map.links.editor, 'Alice');
      const page = alice.page;
      await page.getByRole('heading', { level: 2, name: 'Onboarding' }).waitFor();
      await page.getByRole('button', { name: 'Present' }).click();
      await page.getByRole('dialog', { name: 'Stage 1 of 4 Awareness' }).waitFor();
      await expect.poll(() => fullScreen(page), DEADLINE).toBe('HTML');
      const dialog = dialogOf(page);

      // The overview: every stage, the current one marked, the buyer's curve as numbers.
      const overview = dialog.getByRole('navigation', { name: 'Journey overview' });
      expect(await overview.getByRole('button').allInnerTexts()).toEqual(STAGES.map((name, index) => `${index + 1} ${name}`));
      const marked = () => overview.locator('[aria-current="step"]').innerText();
      expect(await marked()).toBe('1 Awareness');
      const buyerRow = overview.getByRole('row', { name: /Evaluating buyer/ });
      expect(await buyerRow.getByRole('cell').allInnerTexts()).toEqual(['+1', '−2', '+3', '0']);
      expect(
        await overview
          .getByRole('row', { name: /Account admin/ })
          .getByRole('cell')
          .allTextContents(),
      ).toEqual(Array(4).fill('·not scored'));
      // Awareness is neither the buyer's high nor low.
      expect(await callouts(page)).toBe('No high or low point of the journey at this stage.');

      await page.keyboard.press('ArrowRight');
      await expect.poll(() => presentedStage(page), DEADLINE).toBe('Stage 2 of 4 Research');
      expect(await marked()).toBe('2 Research');
      await expect.poll(() => callouts(page), DEADLINE).toContain('Lowest point for Evaluating buyer: −2');
      expect(await callouts(page)).toContain('Most pain points of the journey: 3');
      expect(await callouts(page)).not.toMatch(/Highest/);
      // The stage's pain points come first, ahead of the map's lane order.
      expect(await dialog.locator('.presentation-lanes').getByRole('region').first().getAttribute('aria-label')).toBe('Pain points');
      expect(await dialog.getByRole('region', { name: 'Pain points' }).locator('.card-text').count()).toBe(3);

      // Legible from the back of the room: nothing in the overview or the callout under 20 px.
      for (const scope of [overview, dialog.getByRole('region', { name: 'Highs and lows' })]) {
        expect((await drawnSizes(scope))[0]).toBeGreaterThanOrEqual(LEGIBLE_PX);
      }
      await page.screenshot({ path: '/tmp/walkthrough.png' });
      const report = await runAxe(page);
      expect(report.violations, `axe found WCAG AA violations in the walkthrough:\n  ${report.violations.join('\n  ')}\n`).toEqual([]);

      // A clicker's PageDown; the overview jumps anywhere.
      await page.keyboard.press('PageDown');
      await expect.poll(() => callouts(page), DEADLINE).toContain('Highest point for Evaluating buyer: +3');
      expect(await callouts(page)).not.toMatch(/Lowest|pain points/);
      await overview.getByRole('button', { name: '4 Onboarding' }).click();
      await expect.poll(() => presentedStage(page), DEADLINE).toBe('Stage 4 of 4 Onboarding');
      expect(await callouts(page)).toBe('No high or low point of the journey at this stage.');

      // The scores change live: Onboarding becomes the new low.
      setEmotion(seeder.doc, { personaId: buyer, stageId: stageIds[3]!, score: -3 });
      await expect.poll(() => callouts(page), DEADLINE).toContain('Lowest point for Evaluating buyer: −3');

      // Escape leaves the presentation and full screen together.
      await page.keyboard.press('Escape');
      await expect.poll(() => dialog.count(), DEADLINE).toBe(0);
      await expect.poll(() => fullScreen(page), DEADLINE).toBeNull();
    } finally {
      seeder.destroy();
      await alice?.context.close();
    }
  }, 60_000);

  it('shares the presenter’s stage: another person jumps to it, follows it, and stops following', async () => {
    const { map, seeder } = await seededMap(bed.running.url);
    seeder.destroy();
    let alice: MapUser | undefined;
    let bob: MapUser | undefined;
    try {
      [alice, bob] = await Promise.all([
        openMapAs(bed.browser, map.links.editor, 'Alice'),
        openMapAs(bed.browser, map.links.editor, 'Bob'),
      ]);
      const presenter = alice.page;
      const follower = bob.page;
      await presenter.getByRole('heading', { level: 2, name: 'Onboarding' }).waitFor();
      expect(await presenceBar(follower).innerText()).not.toMatch(/presenting/);

      await presenter.getByRole('button', { name: 'Present' }).click();
      await presenter.getByRole('dialog', { name: 'Stage 1 of 4 Awareness' }).waitFor();
      await presenter.keyboard.press('ArrowRight');
      await expect.poll(() => presenceBar(follower).innerText(), DEADLINE).toMatch(/Alice is presenting: Stage 2 Research/);
      await follower.screenshot({ path: join(artifactsDir, 'walkthrough-presence.png') });

      // Jump: Bob's presentation opens at Alice's stage and follows her.
      await presenceBar(follower).getByRole('button', { name: 'Jump to presenter' }).click();
      await expect.poll(() => presentedStage(follower), DEADLINE).toBe('Stage 2 of 4 Research');
      expect(await dialogOf(follower).innerText()).toMatch(/Following Alice: Stage 2 Research/);
      // A follower is not announced as a presenter: Alice sees nobody else presenting.
      expect(await dialogOf(presenter).innerText()).not.toMatch(/Bob/);

      await presenter.keyboard.press('ArrowRight');
      await expect.poll(() => presentedStage(follower), DEADLINE).toBe('Stage 3 of 4 Decision');
      await presenter.keyboard.press('End');
      await expect.poll(() => presentedStage(follower), DEADLINE).toBe('Stage 4 of 4 Onboarding');

      // Stepping away: Bob stays where he is while Alice moves on.
      await dialogOf(follower).getByRole('button', { name: 'Stop following' }).click();
      await presenter.keyboard.press('Home');
      await expect.poll(() => dialogOf(follower).innerText(), DEADLINE).toMatch(/Alice is presenting: Stage 1 Awareness/);
      expect(await presentedStage(follower)).toBe('Stage 4 of 4 Onboarding');
      // And on his own keys too: he browses while she presents.
      await follower.keyboard.press('ArrowLeft');
      await expect.poll(() => presentedStage(follower), DEADLINE).toBe('Stage 3 of 4 Decision');

      // One click to rejoin.
      await dialogOf(follower).getByRole('button', { name: 'Jump to presenter' }).click();
      await expect.poll(() => presentedStage(follower), DEADLINE).toBe('Stage 1 of 4 Awareness');
      await presenter.keyboard.press('ArrowRight');
      await expect.poll(() => presentedStage(follower), DEADLINE).toBe('Stage 2 of 4 Research');

      // Alice ends her presentation: Bob stays on the stage, no longer following anyone.
      await presenter.keyboard.press('Escape');
      await expect.poll(() => dialogOf(follower).innerText(), DEADLINE).not.toMatch(/Alice/);
      expect(await presentedStage(follower)).toBe('Stage 2 of 4 Research');
      await follower.keyboard.press('Escape');
      await expect.poll(() => dialogOf(follower).count(), DEADLINE).toBe(0);
      expect(await presenceBar(follower).innerText()).not.toMatch(/presenting/);
    } finally {
      await alice?.context.close();
      await bob?.context.close();
    }
  }, 60_000);
});
