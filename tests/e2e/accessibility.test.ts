import { addCard, addLane, readLanes, readPersonas, readStages, type Evidence } from '@waymark/model';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { controlBorderProblems, runAxe } from '../support/axe.js';
import { useBrowserBed } from '../support/browser-bed.js';
import { connect, createMap, synced, tokenOf, type CreatedMap } from '../support/clients.js';
import { cardTexts, openMapAs, status } from '../support/map-pages.js';
import { seedCards } from '../support/seed-map.js';

/**
 * Every page a workshop uses passes axe-core's WCAG 2 A and AA rules, colour contrast above all:
 * a map is read off a projector from the back of the room.
 */

const DEADLINE = { timeout: 8_000 };
const TOKEN = 'a-workspace-token-for-accessibility';
/** The sticky-note colours the card details offer (apps/web/src/lib/card-look.ts). */
const CARD_COLOURS = ['#fde68a', '#fed7aa', '#fbcfe8', '#ddd6fe', '#bfdbfe', '#bbf7d0', '#e5e7eb', '#ffffff'];
const EVIDENCE: Evidence[] = ['observed', 'assumed', 'proposed'];

/**
 * The buyer journey with a notes lane too, so every lane kind is on it: cards in every lane, and
 * in the first stage one card of every colour at every evidence level, some with persona and tags.
 */
async function populatedMap(url: string): Promise<{ map: CreatedMap; cards: number }> {
  const map = await createMap(url, { title: 'Buyer journey: self-serve CRM', template: 'buyer-journey' });
  const seeder = connect(url, map.id, tokenOf(map.links.editor));
  await synced(seeder);
  addLane(seeder.doc, { title: 'Notes', kind: 'notes' });
  let cards = seedCards(seeder.doc, { totalCards: 60 });
  const [first] = readStages(seeder.doc);
  const lanes = readLanes(seeder.doc).filter((lane) => lane.kind !== 'emotions');
  const persona = readPersonas(seeder.doc)[0]!;
  CARD_COLOURS.forEach((colour, index) => {
    for (const evidence of EVIDENCE) {
      addCard(seeder.doc, {
        stageId: first!.id,
        laneId: lanes[index % lanes.length]!.id,
        text: `A ${evidence} note on ${colour}`,
        colour,
        evidence,
        tags: ['research'],
        personaIds: [persona.id],
      });
      cards++;
    }
  });
  const check = connect(url, map.id, tokenOf(map.links.viewer));
  await synced(check);
  await expect.poll(() => check.doc.getMap('cards').size, DEADLINE).toBe(cards);
  check.destroy();
  seeder.destroy();
  return { map, cards };
}

async function expectNoViolations(page: Page, where: string): Promise<string[]> {
  const report = await runAxe(page);
  expect(report.violations, `axe found WCAG AA violations on ${where}:\n  ${report.violations.join('\n  ')}\n`).toEqual([]);
  const borders = await controlBorderProblems(page);
  expect(borders, `form fields whose border is too faint to see on ${where}:\n  ${borders.join('\n  ')}\n`).toEqual([]);
  return report.contrastPasses;
}

describe('accessibility (axe-core, WCAG 2 A and AA)', () => {
  const bed = useBrowserBed({ WORKSPACE_TOKEN: TOKEN });

  it('the home page with a workspace link: the library and Start a map', async () => {
    const url = bed.running.url;
    for (const title of ['Checkout journey', 'Renewal']) {
      const response = await fetch(`${url}/api/maps`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify({ template: 'buyer-journey', title, goal: `Why ${title.toLowerCase()} stalls` }),
      });
      expect(response.status).toBe(201);
    }
    const context = await bed.browser.newContext({ viewport: { width: 1440, height: 900 } });
    try {
      const page = await context.newPage();
      await page.goto(`${url}/#workspace=${TOKEN}`);
      await expect.poll(() => page.getByRole('list', { name: 'Maps in this workspace' }).getByRole('listitem').count(), DEADLINE).toBe(2);
      await page.getByRole('heading', { name: 'Start a map' }).waitFor();
      const checked = await expectNoViolations(page, 'the home page');
      expect(checked.length).toBeGreaterThan(10);
    } finally {
      await context.close();
    }
  });

  it('the editor on a full map, with the Share, Personas and card panels open', async () => {
    const { map, cards } = await populatedMap(bed.running.url);
    const owner = await openMapAs(bed.browser, map.links.owner, 'Alice');
    const page = owner.page;
    try {
      await expect.poll(() => cardTexts(page).count(), DEADLINE).toBe(cards);
      const checked = await expectNoViolations(page, 'the editor');
      // The text the projector complaint named was measured, not skipped as hidden.
      expect(checked.some((target) => target.includes('.add-card'))).toBe(true);
      expect(checked.some((target) => target.includes('.evidence'))).toBe(true);
      expect(checked.some((target) => target.includes('.lanes'))).toBe(true);

      await page.getByRole('button', { name: 'Share' }).click();
      const share = page.getByRole('dialog', { name: 'Share this map' });
      await expect.poll(() => share.getByRole('region').count(), DEADLINE).toBe(5);
      await expectNoViolations(page, 'the Share panel');
      await page.keyboard.press('Escape');
      await expect.poll(() => share.isVisible(), DEADLINE).toBe(false);

      await page.getByRole('button', { name: 'Personas' }).click();
      await page.getByRole('complementary', { name: 'Personas' }).waitFor();
      await expectNoViolations(page, 'the Personas panel');

      await page.locator('[data-card-id]').first().hover();
      await page.getByRole('button', { name: 'Card details' }).first().click();
      await page.getByRole('complementary', { name: 'Card details' }).waitFor();
      await expectNoViolations(page, 'the card details panel');
    } finally {
      await owner.context.close();
    }
  });

  it('a viewer’s read-only map', async () => {
    const { map, cards } = await populatedMap(bed.running.url);
    const viewer = await openMapAs(bed.browser, map.links.viewer, 'Viewer');
    try {
      expect(await status(viewer.page).textContent()).toBe('Read-only');
      await expect.poll(() => viewer.page.locator('[data-card-id]').count(), DEADLINE).toBe(cards);
      const checked = await expectNoViolations(viewer.page, 'the viewer page');
      expect(checked.some((target) => target.includes('.evidence'))).toBe(true);
    } finally {
      await viewer.context.close();
    }
  });
});
