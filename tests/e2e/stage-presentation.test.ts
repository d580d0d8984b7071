import { addLane, addPersona, addStage, LANE_KINDS, LANE_KIND_LABELS, readCards, readStages } from '@waymark/model';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { runAxe } from '../support/axe.js';
import { useBrowserBed } from '../support/browser-bed.js';
import { connect, createMap, synced, tokenOf } from '../support/clients.js';
import { artifactsDir } from '../support/editor-fixtures.js';
import { cardTexts, openMapAs } from '../support/map-pages.js';
import { seedCards } from '../support/seed-map.js';

/**
 * A big map fitted to a projector is too small to read (8 stages × 11 lanes fit at 44 % or less), so the
 * toolbar's Present shows one stage at a time, full width, large enough to read from the back.
 */

const DEADLINE = { timeout: 8_000 };
const STAGES = ['Awareness', 'Research', 'Shortlist', 'Trial', 'Decision', 'Purchase', 'Onboarding', 'Renewal'];
/** The smallest note text, in CSS px as drawn, that still reads on a projector. */
const LEGIBLE_PX = 20;

/** Every card text in the presentation: its font size as drawn (zoom included), and its list's width. */
async function presentedText(page: Page) {
  return page
    .getByRole('dialog')
    .locator('.card-text')
    .evaluateAll((texts) =>
      texts.map((text) => {
        let zoom = 1;
        for (let node: Element | null = text; node; node = node.parentElement) zoom *= Number(getComputedStyle(node).zoom) || 1;
        return {
          drawnPx: parseFloat(getComputedStyle(text).fontSize) * zoom,
          listWidth: text.closest('ul')!.getBoundingClientRect().width,
        };
      }),
    );
}

const presentedStage = (page: Page) => page.getByRole('dialog').getByRole('heading', { level: 2 }).textContent();

describe('presenting a map stage by stage', () => {
  const bed = useBrowserBed();

  it('shows one stage of an 8 × 11 map readable at full width, moves by keyboard and leaves with Escape', async () => {
    const url = bed.running.url;
    const map = await createMap(url, { title: 'Renewal journey', template: 'blank' });
    const seeder = connect(url, map.id, tokenOf(map.links.editor));
    await synced(seeder);
    for (const name of STAGES) addStage(seeder.doc, { name });
    for (const kind of LANE_KINDS) addLane(seeder.doc, { title: LANE_KIND_LABELS[kind], kind });
    addPersona(seeder.doc, { name: 'Account admin', colour: '#0ea5e9' });
    const made = seedCards(seeder.doc, { totalCards: 120 });
    const stageIds = readStages(seeder.doc).map((stage) => stage.id);
    const cardsInStage = (index: number) => readCards(seeder.doc).filter((card) => card.stageId === stageIds[index]).length;

    const alice = await openMapAs(bed.browser, map.links.editor, 'Alice');
    const page = alice.page;
    try {
      await expect.poll(() => cardTexts(page).count(), DEADLINE).toBe(made);
      expect(LANE_KINDS.length).toBe(11);
      await page.screenshot({ path: join(artifactsDir, 'projector-editor.png') });
      // Fitted, the whole map is there and nothing on it is readable.
      await page.getByRole('button', { name: 'Fit to screen' }).click();
      await expect
        .poll(async () => parseInt((await page.getByTitle('Zoom level').textContent()) ?? '100', 10), DEADLINE)
        .toBeLessThanOrEqual(50);
      await page.screenshot({ path: join(artifactsDir, 'projector-map.png') });

      const present = page.getByRole('button', { name: 'Present' });
      await present.click();
      await page.getByRole('dialog', { name: 'Stage 1 of 8 Awareness' }).waitFor();
      const dialog = page.getByRole('dialog');
      expect(await presentedStage(page)).toBe('Stage 1 of 8 Awareness');
      expect(await dialog.getByRole('button', { name: 'Previous stage' }).isDisabled()).toBe(true);
      // Every lane of the stage, each with the stage's cards at full width and large type.
      expect(await dialog.locator('.presentation-lanes').getByRole('region').count()).toBe(11);
      const first = await presentedText(page);
      expect(first.length).toBe(cardsInStage(0));
      const viewport = page.viewportSize()!.width;
      for (const text of first) {
        expect(text.drawnPx).toBeGreaterThanOrEqual(LEGIBLE_PX);
        expect(text.listWidth).toBeGreaterThan(0.7 * viewport);
      }
      await page.screenshot({ path: join(artifactsDir, 'projector-stage.png') });
      const report = await runAxe(page);
      expect(report.violations, `axe found WCAG AA violations while presenting:\n  ${report.violations.join('\n  ')}\n`).toEqual([]);

      // Next and previous by the arrow keys and a clicker's PageDown / PageUp; the ends stop.
      await page.keyboard.press('ArrowRight');
      await expect.poll(() => presentedStage(page), DEADLINE).toBe('Stage 2 of 8 Research');
      expect((await presentedText(page)).length).toBe(cardsInStage(1));
      await page.keyboard.press('PageDown');
      await expect.poll(() => presentedStage(page), DEADLINE).toBe('Stage 3 of 8 Shortlist');
      await page.keyboard.press('ArrowLeft');
      await expect.poll(() => presentedStage(page), DEADLINE).toBe('Stage 2 of 8 Research');
      await page.keyboard.press('End');
      await expect.poll(() => presentedStage(page), DEADLINE).toBe('Stage 8 of 8 Renewal');
      await page.keyboard.press('ArrowRight');
      expect(await presentedStage(page)).toBe('Stage 8 of 8 Renewal');
      expect(await dialog.getByRole('button', { name: 'Next stage' }).isDisabled()).toBe(true);
      await dialog.getByRole('button', { name: 'Previous stage' }).click();
      await expect.poll(() => presentedStage(page), DEADLINE).toBe('Stage 7 of 8 Onboarding');

      // Escape goes back to the map, at the stage presented, with focus on Present again.
      await page.keyboard.press('Escape');
      await expect.poll(() => page.getByRole('dialog').count(), DEADLINE).toBe(0);
      expect(await present.evaluate((button) => button === document.activeElement)).toBe(true);
      const onboarding = page.getByRole('heading', { level: 2, name: 'Onboarding' });
      await expect.poll(() => onboarding.isVisible(), DEADLINE).toBe(true);
      const box = (await onboarding.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(viewport);
      expect(await cardTexts(page).count()).toBe(made);
    } finally {
      seeder.destroy();
      await alice.context.close();
    }
  }, 60_000);
});
