import { readCards } from '@waymark/model';
import type { Browser, Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { connect, createMap, synced, tokenOf } from '../support/clients.js';
import { addCardButton, cardTexts, cell, pageProblems, status } from '../support/map-pages.js';
import { useBrowserBed } from '../support/browser-bed.js';

/**
 * A phone (390 × 844) views the map and adds and edits cards; a tablet (768 × 1024) does
 * everything a laptop does. Nothing lays out wider than the screen, and nothing covers a control.
 */

const DEADLINE = { timeout: 8_000 };
const PHONE = { width: 390, height: 844 };
const TABLET = { width: 768, height: 1024 };

async function openOn(browser: Browser, link: string, viewport: { width: number; height: number }, touch: boolean) {
  const context = await browser.newContext({ viewport, isMobile: touch, hasTouch: touch });
  context.setDefaultTimeout(8_000);
  const page = await context.newPage();
  const problems = pageProblems(page);
  await page.goto(link);
  await expect.poll(() => status(page).textContent(), DEADLINE).toBe('Connected');
  return { context, page, problems };
}

/** Scrolled to as a user would, `locator` must lie inside the viewport and be the topmost thing at its centre. */
async function reachable(page: Page, locator: Locator, what: string): Promise<void> {
  await locator.scrollIntoViewIfNeeded();
  const box = await locator.boundingBox();
  expect(box, `${what} is laid out`).not.toBeNull();
  const viewport = page.viewportSize()!;
  expect(box!.x, `${what} starts on screen`).toBeGreaterThanOrEqual(0);
  expect(box!.y, `${what} starts on screen`).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, `${what} ends on screen`).toBeLessThanOrEqual(viewport.width + 0.5);
  expect(box!.y + box!.height, `${what} ends on screen`).toBeLessThanOrEqual(viewport.height + 0.5);
  const onTop = await locator.evaluate((element) => {
    const rect = element.getBoundingClientRect();
    const hit = document.elementFromPoint(rect.x + rect.width / 2, rect.y + rect.height / 2);
    return hit !== null && (hit === element || element.contains(hit));
  });
  expect(onTop, `${what} is not covered`).toBe(true);
}

const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

describe('small screens', () => {
  const bed = useBrowserBed();

  it('on a phone, shows the title, goal, status and Share uncovered, asks the name on screen, and adds and edits a card', async () => {
    const map = await createMap(bed.running.url, {
      title: 'Checkout journey for returning customers',
      goal: 'Why carts are abandoned at the last step',
      scope: 'Web shop, EU',
    });
    const { context, page, problems } = await openOn(bed.browser, map.links.editor!, PHONE, true);
    expect(await pageWidth(page)).toBe(PHONE.width);
    await reachable(page, page.getByRole('textbox', { name: 'Map title' }), 'the title field');
    expect((await page.getByRole('textbox', { name: 'Map title' }).boundingBox())!.width).toBeGreaterThan(180);
    await reachable(page, page.getByRole('button', { name: 'Share' }), 'Share');
    await reachable(page, status(page), 'the status pill');
    // The goal reads as a line of text, not a letter per line.
    const goal = page.getByRole('textbox', { name: /why we map this/i });
    expect((await goal.boundingBox())!.width).toBeGreaterThan(300);
    // The first-visit name prompt is on screen, whole.
    await reachable(page, page.getByRole('textbox', { name: 'Your name, so others know who is editing' }), 'the name field');
    await reachable(page, page.getByRole('button', { name: 'Save' }), 'the name prompt’s Save');
    await page.getByRole('textbox', { name: 'Your name, so others know who is editing' }).fill('Sam');
    await page.getByRole('button', { name: 'Save' }).click();

    // A whole stage column fits beside the lane column.
    const firstCell = cell(page, 'Awareness', 'Customer goals');
    await reachable(page, firstCell, 'the first cell');
    await addCardButton(page, 'Awareness', 'Customer goals').tap();
    const text = cardTexts(firstCell).first();
    await expect.poll(() => text.evaluate((element) => element === document.activeElement), DEADLINE).toBe(true);
    await page.keyboard.type('Finds us through a friend');

    // Card details open as a sheet over the lower map, leaving most of the map above it.
    await firstCell.getByRole('button', { name: 'Card details' }).tap();
    const panel = page.getByRole('complementary', { name: 'Card details' });
    const sheet = (await panel.boundingBox())!;
    expect(sheet.width).toBe(PHONE.width);
    expect(sheet.y).toBeGreaterThanOrEqual(PHONE.height * 0.3 - 1);
    await reachable(page, panel.getByRole('button', { name: 'Close card details' }), 'the panel’s Close');
    await panel.getByRole('button', { name: 'Close card details' }).tap();
    await expect.poll(() => panel.count(), DEADLINE).toBe(0);

    // The card reached the server.
    const reader = connect(bed.running.url, map.id, tokenOf(map.links.viewer!));
    await synced(reader);
    await expect.poll(() => readCards(reader.doc).map((card) => card.text.toString()), DEADLINE).toContain('Finds us through a friend');
    reader.destroy();
    expect(await pageWidth(page)).toBe(PHONE.width);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('on a tablet, does everything: stages, lanes, cards, personas and Share, all on screen', async () => {
    const map = await createMap(bed.running.url, { title: 'Onboarding', template: 'onboarding' });
    const { context, page, problems } = await openOn(bed.browser, map.links.owner!, TABLET, true);
    expect(await pageWidth(page)).toBe(TABLET.width);
    await page.getByRole('button', { name: 'Not now' }).tap();
    for (const control of ['Add stage', 'Add lane', 'Personas', 'Share']) {
      await reachable(page, page.getByRole('button', { name: control, exact: true }).first(), control);
    }
    await page.getByRole('button', { name: 'Add stage' }).tap();
    const stageName = page.getByRole('textbox', { name: 'Stage name' });
    await stageName.fill('Renewal');
    await stageName.press('Enter');
    await expect.poll(() => page.getByRole('heading', { level: 2, name: 'Renewal' }).count(), DEADLINE).toBe(1);

    await page.getByRole('button', { name: 'Personas' }).tap();
    const personas = page.getByRole('complementary', { name: 'Personas' });
    await reachable(page, personas.getByRole('button', { name: 'Add persona' }), 'Add persona');
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Share' }).tap();
    const share = page.getByRole('dialog', { name: /share/i });
    const box = (await share.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(TABLET.width);
    await page.keyboard.press('Escape');

    const firstStage = (await page.getByRole('heading', { level: 2 }).first().textContent())!.trim();
    const lane = (await page.getByRole('heading', { level: 3 }).first().textContent())!.trim();
    await addCardButton(page, firstStage, lane).tap();
    await page.keyboard.type('Signs up on a tablet');
    await expect
      .poll(
        () =>
          cardTexts(cell(page, firstStage, lane))
            .first()
            .inputValue(),
        DEADLINE,
      )
      .toBe('Signs up on a tablet');
    expect(await pageWidth(page)).toBe(TABLET.width);
    expect(problems).toEqual([]);
    await context.close();
  });
});
