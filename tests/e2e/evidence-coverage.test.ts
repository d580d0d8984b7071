import { addCard, addLane, addPersona, addStage, readCards, updateCard } from '@waymark/model';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { runAxe } from '../support/axe.js';
import { useBrowserBed } from '../support/browser-bed.js';
import { connect, synced, tokenOf } from '../support/clients.js';
import { openMapAs } from '../support/map-pages.js';
import { seedWorkshopMap } from '../support/workshop-pages.js';

/**
 * Each stage header shows how well evidence backs the stage: a bar named with the counts, and a
 * "Mostly assumed" tag where assumptions outweigh the rest. It follows edits from other people
 * and the persona filter.
 */

const DEADLINE = { timeout: 8_000 };

const evidenceBar = (page: Page, stage: string) => page.getByRole('img', { name: `Evidence at ${stage}:`, exact: false });
const barName = (page: Page, stage: string) => evidenceBar(page, stage).getAttribute('aria-label');
const header = (page: Page, stage: string) => page.locator('.stage-header').filter({ has: page.getByRole('heading', { name: stage }) });
const mostlyAssumedTags = (page: Page, stage: string) => header(page, stage).getByText('Mostly assumed', { exact: true });

describe('evidence coverage in stage headers', () => {
  const bed = useBrowserBed();

  it('counts each stage’s cards by evidence, flags a mostly assumed stage, and updates live', { timeout: 60_000 }, async () => {
    const map = await seedWorkshopMap(bed.running.url, 'Evidence check', (doc) => {
      const purchase = addStage(doc, { name: 'Purchase' });
      const onboarding = addStage(doc, { name: 'Onboarding' });
      addStage(doc, { name: 'Renewal' });
      const actions = addLane(doc, { title: 'Actions', kind: 'actions' });
      const pains = addLane(doc, { title: 'Pain points', kind: 'painPoints' });
      addLane(doc, { title: 'Feelings', kind: 'emotions' });
      const dana = addPersona(doc, { name: 'Dana' });
      const eli = addPersona(doc, { name: 'Eli' });
      addCard(doc, { stageId: purchase, laneId: actions, text: 'Compares plans', evidence: 'assumed' });
      addCard(doc, { stageId: purchase, laneId: actions, text: 'Asks a colleague', evidence: 'assumed', personaIds: [eli] });
      addCard(doc, { stageId: purchase, laneId: pains, text: 'Price is unclear', evidence: 'assumed', personaIds: [dana] });
      addCard(doc, { stageId: purchase, laneId: pains, text: 'Card declined', evidence: 'observed' });
      addCard(doc, { stageId: onboarding, laneId: actions, text: 'Invites the team', evidence: 'observed' });
      addCard(doc, { stageId: onboarding, laneId: pains, text: 'Import fails', evidence: 'observed' });
    });
    const ana = await openMapAs(bed.browser, map.links.editor, 'Ana');
    const page = ana.page;
    const other = connect(bed.running.url, map.id, tokenOf(map.links.editor));
    try {
      await expect
        .poll(() => barName(page, 'Purchase'), DEADLINE)
        .toBe('Evidence at Purchase: 1 of 4 cards observed, 3 assumed, 0 proposed');
      expect(await barName(page, 'Onboarding')).toBe('Evidence at Onboarding: 2 of 2 cards observed, 0 assumed, 0 proposed');
      expect(await barName(page, 'Renewal')).toBe('Evidence at Renewal: No cards yet');
      expect(await evidenceBar(page, 'Purchase').getAttribute('title')).toBe('Evidence: 1 of 4 cards observed, 3 assumed, 0 proposed');
      expect(await mostlyAssumedTags(page, 'Purchase').isVisible()).toBe(true);
      expect(await mostlyAssumedTags(page, 'Onboarding').count()).toBe(0);
      expect(await mostlyAssumedTags(page, 'Renewal').count()).toBe(0);
      // The bar is drawn: one part per level present, observed first, sized by count.
      const parts = await evidenceBar(page, 'Purchase')
        .locator('.evidence-part')
        .evaluateAll((spans) => spans.map((span) => ({ level: span.classList[1], width: Math.round(span.getBoundingClientRect().width) })));
      expect(parts.map((part) => part.level)).toEqual(['observed', 'assumed']);
      expect(parts[1]!.width).toBeGreaterThan(parts[0]!.width * 2);

      const report = await runAxe(page);
      expect(report.violations, `axe found WCAG AA violations:\n  ${report.violations.join('\n  ')}\n`).toEqual([]);

      // Under the persona filter the bar counts the cards the grid shows: Eli's card drops out.
      const filter = page.getByRole('combobox', { name: 'Show persona' });
      await filter.selectOption({ label: 'Dana' });
      await expect
        .poll(() => barName(page, 'Purchase'), DEADLINE)
        .toBe('Evidence at Purchase: 1 of 3 cards observed, 2 assumed, 0 proposed');
      await filter.selectOption({ label: 'All personas' });
      await expect
        .poll(() => barName(page, 'Purchase'), DEADLINE)
        .toBe('Evidence at Purchase: 1 of 4 cards observed, 3 assumed, 0 proposed');

      // Someone else confirms one assumption: two of four assumed is no longer most.
      await synced(other);
      const checked = readCards(other.doc).find((card) => card.text === 'Compares plans');
      updateCard(other.doc, checked!.id, { evidence: 'observed' });
      await expect
        .poll(() => barName(page, 'Purchase'), DEADLINE)
        .toBe('Evidence at Purchase: 2 of 4 cards observed, 2 assumed, 0 proposed');
      await expect.poll(() => mostlyAssumedTags(page, 'Purchase').count(), DEADLINE).toBe(0);
      expect(ana.problems).toEqual([]);
    } finally {
      other.destroy();
      await ana.context.close();
    }
  });
});
