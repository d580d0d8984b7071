import { addCard, addLane, addStage } from '@waymark/model';
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { connect, createMap, synced, tokenOf, type CreatedMap } from '../support/clients.js';
import { useBrowserBed } from '../support/browser-bed.js';
import { openMapAs } from '../support/map-pages.js';

/**
 * Small things an editor meets every day (issue 12, item 9): avatar initials, the card panel's
 * keyboard behaviour, long stage and lane names, and the first-visit name prompt.
 */

const DEADLINE = { timeout: 8_000 };
const LONG_STAGE = 'Compares delivery options across three competing shops before deciding';
const LONG_LANE = 'Questions the customer asks the support team while waiting for the parcel';

const bed = useBrowserBed();

/** A map with one long-named stage, one long-named lane and one card in their cell. */
async function seededMap(): Promise<CreatedMap> {
  const map = await createMap(bed.running.url, { title: 'Checkout journey', template: 'blank' });
  const seeder = connect(bed.running.url, map.id, tokenOf(map.links.editor));
  await synced(seeder);
  const stageId = addStage(seeder.doc, { name: LONG_STAGE });
  const laneId = addLane(seeder.doc, { title: LONG_LANE, kind: 'actions' });
  addCard(seeder.doc, { stageId, laneId, text: 'Reads reviews' });
  const check = connect(bed.running.url, map.id, tokenOf(map.links.viewer));
  await synced(check);
  await expect.poll(() => check.doc.getMap('cards').size, DEADLINE).toBe(1);
  check.destroy();
  seeder.destroy();
  return map;
}

function overlaps(a: { x: number; y: number; width: number; height: number }, b: typeof a): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

describe('editor details', () => {
  it('draws initials from the letters of names, not from brackets or small words', async () => {
    const map = await seededMap();
    const cleo = await openMapAs(bed.browser, map.links.editor, 'Cleo (CX lead)');
    const sam = await openMapAs(bed.browser, map.links.editor, 'Sam from Support');
    try {
      const self = cleo.page.getByRole('button', { name: /^You: Cleo \(CX lead\)/ });
      expect((await self.textContent())?.trim()).toBe('C');
      const samOnCleos = cleo.page.locator('.avatar[title="Sam from Support"] [aria-hidden="true"]');
      await expect.poll(async () => (await samOnCleos.count()) === 1 && (await samOnCleos.textContent())?.trim(), DEADLINE).toBe('SS');
      const cleoOnSams = sam.page.locator('.avatar[title="Cleo (CX lead)"] [aria-hidden="true"]');
      await expect.poll(async () => (await cleoOnSams.count()) === 1 && (await cleoOnSams.textContent())?.trim(), DEADLINE).toBe('C');
    } finally {
      await cleo.context.close();
      await sam.context.close();
    }
  });

  it('moves focus into the card panel when it opens, and Escape closes it and gives focus back', async () => {
    const map = await seededMap();
    const alice = await openMapAs(bed.browser, map.links.editor, 'Alice');
    try {
      const { page } = alice;
      const opener = page.getByRole('button', { name: 'Card details' });
      await opener.focus();
      await page.keyboard.press('Enter');
      const panel = page.getByRole('complementary', { name: 'Card details' });
      await expect.poll(() => panel.count(), DEADLINE).toBe(1);
      await expect.poll(() => panel.evaluate((aside) => aside.contains(document.activeElement)), DEADLINE).toBe(true);

      await page.keyboard.press('Escape');
      await expect.poll(() => panel.count(), DEADLINE).toBe(0);
      expect(await opener.evaluate((button) => button === document.activeElement)).toBe(true);

      // The same from a control deep in the panel, opened with the mouse.
      await opener.click();
      await expect.poll(() => panel.evaluate((aside) => aside.contains(document.activeElement)), DEADLINE).toBe(true);
      await panel.getByRole('textbox', { name: 'Add tag' }).focus();
      await page.keyboard.press('Escape');
      await expect.poll(() => panel.count(), DEADLINE).toBe(0);
      expect(await opener.evaluate((button) => button === document.activeElement)).toBe(true);
    } finally {
      await alice.context.close();
    }
  });

  it('lets a cut-short stage or lane name be read in full', async () => {
    const map = await seededMap();
    const alice = await openMapAs(bed.browser, map.links.editor, 'Alice');
    try {
      const readable = async (heading: Locator, name: string) => {
        expect(await heading.count()).toBe(1);
        const { clipped, title } = await heading.evaluate((element) => ({
          clipped: element.scrollWidth > element.clientWidth || element.scrollHeight > element.clientHeight,
          title: element.getAttribute('title'),
        }));
        // Either all of it shows, or hovering it does.
        if (clipped) expect(title).toBe(name);
      };
      const stage = alice.page.getByRole('heading', { name: LONG_STAGE, exact: true });
      const lane = alice.page.getByRole('heading', { name: LONG_LANE, exact: true });
      await readable(stage, LONG_STAGE);
      await readable(lane, LONG_LANE);
      // The stage name is cut to one line: without its tooltip it cannot be read.
      expect(await stage.getAttribute('title')).toBe(LONG_STAGE);
      expect(await lane.getAttribute('title')).toBe(LONG_LANE);
    } finally {
      await alice.context.close();
    }
  });

  it('asks a first-time visitor their name without covering Scope, and never on an embedded map', async () => {
    const map = await seededMap();
    const context = await bed.browser.newContext({ viewport: { width: 1440, height: 900 } });
    try {
      const page = await context.newPage();
      const prompt = page.getByRole('textbox', { name: 'Your name, so others know who is editing' });

      await page.goto(map.links.editor);
      await expect.poll(() => prompt.count(), DEADLINE).toBe(1);
      const scope = page.getByRole('textbox', { name: 'Scope' });
      const form = page.locator('form', { has: prompt });
      const [scopeBox, formBox] = [await scope.boundingBox(), await form.boundingBox()];
      expect(scopeBox && formBox && !overlaps(scopeBox, formBox)).toBe(true);
      // Nothing lies over the Scope field: a click there lands in it.
      await scope.click({ timeout: 2_000 });
      await page.keyboard.type('First-time buyers');
      expect(await scope.inputValue()).toBe('First-time buyers');

      // A viewer is seen by others too, so a viewer is asked as well.
      await page.goto(map.links.viewer);
      await expect.poll(() => page.getByRole('status').textContent(), DEADLINE).toMatch(/^Read-only/);
      await expect.poll(() => prompt.count(), DEADLINE).toBe(1);

      await page.goto(map.links.viewer.replace('/maps/', '/embed/'));
      await expect.poll(() => page.getByRole('status').textContent(), DEADLINE).toMatch(/^Read-only/);
      await expect.poll(() => page.locator('body').innerText(), DEADLINE).toContain('Checkout journey');
      expect(await prompt.count()).toBe(0);
      expect(await page.getByRole('textbox', { name: /^Your name/ }).count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
