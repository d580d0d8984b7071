import { addLane, addStage, type LaneKind } from '@waymark/model';
import type { Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { connect, synced, tokenOf } from '../support/clients.js';
import { test } from '../support/editor-fixtures.js';
import { addCardButton, cardValues, cell, openMapAs } from '../support/map-pages.js';
import { seedCards } from '../support/seed-map.js';

const DEADLINE = { timeout: 5_000 };
const KINDS: LaneKind[] = [
  'actions',
  'goals',
  'touchpoints',
  'channels',
  'thoughts',
  'painPoints',
  'opportunities',
  'kpis',
  'backstage',
  'notes',
  'actions',
];

/** Writes `stages` × `lanes` onto the map (named "Stage 1…", "Lane 1…"), with `cardsPerCell` cards in each cell. */
async function shapeMap(serverUrl: string, mapId: string, link: string, stages: number, lanes: number, cardsPerCell: number) {
  const seeder = connect(serverUrl, mapId, tokenOf(link));
  await synced(seeder);
  for (let s = 1; s <= stages; s++) addStage(seeder.doc, { name: `Stage ${s}` });
  for (let l = 1; l <= lanes; l++) addLane(seeder.doc, { title: `Lane ${l}`, kind: KINDS[(l - 1) % KINDS.length]! });
  seedCards(seeder.doc, { totalCards: stages * lanes * cardsPerCell });
  await new Promise((resolve) => setTimeout(resolve, 0));
  seeder.destroy();
}

/** What has focus: its accessible label or text, and the grid cell it sits in. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    return {
      label: element?.getAttribute('aria-label') ?? element?.textContent?.trim() ?? '',
      cell: element?.closest('[role="cell"], [role="columnheader"], [role="rowheader"]')?.getAttribute('aria-label') ?? null,
      inGrid: element?.closest('[role="grid"]') !== null,
      tag: element?.tagName.toLowerCase() ?? '',
    };
  });

/** Where the focused element is hidden by the sticky stage row or lane column, or lies outside the scroller. */
const coverage = (page: Page) =>
  page.evaluate(() => {
    const element = document.activeElement as HTMLElement;
    const box = element.getBoundingClientRect();
    const corner = document.querySelector('.corner')!.getBoundingClientRect();
    const scroller = document.querySelector('.grid-scroller') as HTMLElement;
    const view = scroller.getBoundingClientRect();
    const problems: string[] = [];
    if (box.top < corner.bottom) problems.push(`top ${box.top} is under the stage row (to ${corner.bottom})`);
    if (box.left < corner.right) problems.push(`left ${box.left} is under the lane column (to ${corner.right})`);
    if (box.bottom > view.top + scroller.clientHeight) problems.push('below the scroller');
    if (box.right > view.left + scroller.clientWidth) problems.push('right of the scroller');
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    if (!hit || !element.contains(hit)) problems.push(`its centre shows ${hit?.className ?? 'nothing'}`);
    return problems;
  });

describe('using the map by keyboard', () => {
  test('skip links show on the first Tab and move focus to the map, the toolbar and an open panel', async ({ server, map, browser }) => {
    await shapeMap(server.url, map.id, map.links.editor, 3, 2, 1);
    const { page } = await openMapAs(browser, map.links.editor, 'Alice');
    await expect.poll(() => page.locator('[data-card-id]').count(), DEADLINE).toBe(6);
    const skipToMap = page.getByRole('button', { name: 'Skip to map' });
    const shown = (name: string) =>
      page.getByRole('button', { name }).evaluate((button) => {
        const box = button.getBoundingClientRect();
        return box.width > 20 && document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2) === button;
      });
    expect(await shown('Skip to map')).toBe(false);

    await page.keyboard.press('Tab');
    expect(await skipToMap.evaluate((button) => button === document.activeElement)).toBe(true);
    expect(await shown('Skip to map')).toBe(true);
    expect(await shown('Skip to toolbar')).toBe(true);
    expect(await page.getByRole('button', { name: /^Skip to (personas|card details)$/ }).count()).toBe(0);
    await page.keyboard.press('Enter');
    expect(await focused(page)).toMatchObject({ inGrid: true, cell: 'Stage 1 / Lane 1', tag: 'article' });
    expect(await shown('Skip to map')).toBe(false);

    await skipToMap.focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.closest('[role="toolbar"]')?.getAttribute('aria-label'))).toBe('Map tools');

    // With the personas panel open there is a third link, to it.
    await page.getByRole('button', { name: 'Personas', exact: true }).click();
    await skipToMap.focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await shown('Skip to personas')).toBe(true);
    await page.screenshot({ path: '/tmp/keyboard-skip-links.png' });
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.closest('aside')?.getAttribute('aria-label'))).toBe('Personas');
  });

  test('the middle cell of an 8 × 11 map is a handful of key presses away, and the grid is one tab stop', async ({
    server,
    map,
    browser,
  }) => {
    await shapeMap(server.url, map.id, map.links.editor, 8, 11, 2);
    const { page } = await openMapAs(browser, map.links.editor, 'Alice');
    await expect.poll(() => cell(page, 'Stage 4', 'Lane 6').locator('[data-card-id]').count(), DEADLINE).toBe(2);
    const grid = page.getByRole('grid', { name: 'Journey map' });
    expect(await grid.evaluate((g) => [...g.querySelectorAll<HTMLElement>('*')].filter((e) => e.tabIndex >= 0).length)).toBe(1);

    let presses = 0;
    const press = async (key: string, times = 1) => {
      for (let i = 0; i < times; i++, presses++) await page.keyboard.press(key);
    };
    await press('Tab');
    await press('Enter'); // Skip to map
    await press('PageDown', 5); // a lane at a time
    await press('ArrowRight', 3);
    expect(await focused(page)).toMatchObject({ cell: 'Stage 4 / Lane 6', tag: 'article' });
    expect(presses).toBeLessThanOrEqual(12);
    expect(await coverage(page)).toEqual([]);
    // Still one tab stop, now on this card.
    expect(
      await grid.evaluate((g) => [...g.querySelectorAll<HTMLElement>('[tabindex="0"]')].map((e) => e === document.activeElement)),
    ).toEqual([true]);

    // The ring around it is solid, at least 2px, and 3:1 against the map behind it.
    const ring = await page.evaluate(() => {
      const style = getComputedStyle(document.activeElement!);
      const behind = getComputedStyle(document.querySelector('.grid-scroller')!).backgroundColor;
      const channels = (colour: string) => (colour.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
      const luminance = (colour: string) => {
        const [r, g, b] = channels(colour).map((c) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4));
        return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
      };
      const [light, dark] = [luminance(style.outlineColor), luminance(behind)].sort((a, b) => b - a);
      return { style: style.outlineStyle, width: parseFloat(style.outlineWidth), contrast: (light! + 0.05) / (dark! + 0.05) };
    });
    expect(ring.style).toBe('solid');
    expect(ring.width).toBeGreaterThanOrEqual(2);
    expect(ring.contrast).toBeGreaterThanOrEqual(3);

    // Arrows step card by card; Home, End and Ctrl+Home/End jump to the ends.
    await press('ArrowDown');
    expect(await focused(page)).toMatchObject({ cell: 'Stage 4 / Lane 6', tag: 'article' });
    await press('ArrowDown');
    expect(await focused(page)).toMatchObject({ label: 'Add card to Stage 4 / Lane 6' });
    await press('ArrowDown');
    expect(await focused(page)).toMatchObject({ cell: 'Stage 4 / Lane 7', tag: 'article' });
    await press('End');
    expect((await focused(page)).cell).toBe('Stage 8 / Lane 7');
    await press('Home');
    expect((await focused(page)).cell).toBe('Stage 1 / Lane 7');
    await press('Home');
    expect((await focused(page)).cell).toBe(null);
    expect(await focused(page)).toMatchObject({ tag: 'div' });
    await press('Control+End');
    expect((await focused(page)).cell).toBe('Stage 8 / Lane 11');
    expect(await coverage(page)).toEqual([]);
    await press('Control+Home');
    expect((await focused(page)).cell).toBe('Stage 1 / Lane 1');
    await page.screenshot({ path: '/tmp/keyboard-focused-card.png' });
  });

  test('a card is added, written and rewritten by keyboard alone, and arrows stay inside the text being edited', async ({
    server,
    map,
    browser,
  }) => {
    await shapeMap(server.url, map.id, map.links.editor, 3, 2, 0);
    const { page } = await openMapAs(browser, map.links.editor, 'Alice');
    await expect.poll(() => addCardButton(page, 'Stage 3', 'Lane 2').count(), DEADLINE).toBe(1);

    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter'); // Skip to map: the empty first cell's "Add card"
    expect(await focused(page)).toMatchObject({ label: 'Add card to Stage 1 / Lane 1' });
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused(page)).label, DEADLINE).toBe('Card text');
    await page.keyboard.type('Hello');

    // Arrows move the caret, never the focus.
    for (const key of [
      'ArrowLeft',
      'ArrowLeft',
      'ArrowUp',
      'ArrowDown',
      'ArrowRight',
      'ArrowLeft',
      'Home',
      'End',
      'ArrowLeft',
      'ArrowLeft',
      'PageDown',
    ]) {
      await page.keyboard.press(key);
      expect(await focused(page), key).toMatchObject({ label: 'Card text', cell: 'Stage 1 / Lane 1' });
    }
    await page.keyboard.type('X');
    await expect.poll(() => cardValues(page), DEADLINE).toEqual(['HelXlo']);

    // Escape goes back to moving about the grid, from the card.
    await page.keyboard.press('Escape');
    expect(await focused(page)).toMatchObject({ tag: 'article', cell: 'Stage 1 / Lane 1' });
    await page.keyboard.press('ArrowRight');
    expect(await focused(page)).toMatchObject({ label: 'Add card to Stage 2 / Lane 1' });
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused(page)).label, DEADLINE).toBe('Card text');
    await page.keyboard.type('World');
    await page.keyboard.press('Escape');
    await page.keyboard.press('ArrowLeft');
    expect(await focused(page)).toMatchObject({ tag: 'article', cell: 'Stage 1 / Lane 1' });
    await page.keyboard.press('Enter'); // edits the card's text
    expect(await focused(page)).toMatchObject({ label: 'Card text', cell: 'Stage 1 / Lane 1' });
    await page.keyboard.press('End');
    await page.keyboard.type('!');
    await expect.poll(() => cardValues(page), DEADLINE).toEqual(['HelXlo!', 'World']);

    // Tab leaves the grid; Shift+Tab comes back to the card it left.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    expect((await focused(page)).inGrid).toBe(false);
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toMatchObject({ tag: 'article', cell: 'Stage 1 / Lane 1' });
  });

  test('headers are renamed, and cards deleted, from the keyboard without losing the place', async ({ server, map, browser }) => {
    await shapeMap(server.url, map.id, map.links.editor, 3, 2, 2);
    const { page } = await openMapAs(browser, map.links.editor, 'Alice');
    await expect.poll(() => page.locator('[data-card-id]').count(), DEADLINE).toBe(12);
    await page.getByRole('button', { name: 'Skip to map' }).focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowRight');
    expect((await focused(page)).cell).toBe('Stage 2 / Lane 1');

    // Up from the first card is the stage's header; Enter goes to its options, whose menu renames it.
    await page.keyboard.press('ArrowUp');
    expect(await focused(page)).toMatchObject({ tag: 'div', cell: null, inGrid: true });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('columnheader');
    await page.screenshot({ path: '/tmp/keyboard-focused-header.png', clip: { x: 0, y: 100, width: 1000, height: 300 } });
    await page.keyboard.press('Enter');
    expect((await focused(page)).label).toBe('Stage options: Stage 2');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused(page)).label, DEADLINE).toBe('Rename');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused(page)).label, DEADLINE).toBe('Stage name');
    await page.keyboard.type('Compare');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('heading', { level: 2 }).allTextContents(), DEADLINE).toEqual(['Stage 1', 'Compare', 'Stage 3']);
    // The rename box is gone; focus is back on the header, not dropped to the page.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('role')), DEADLINE).toBe('columnheader');
    await page.keyboard.press('ArrowDown');
    expect(await focused(page)).toMatchObject({ tag: 'article', cell: 'Compare / Lane 1' });

    // Into the card, back to its grip, Delete: the tab stop goes to the card that took its place.
    const before = await cardValues(cell(page, 'Compare', 'Lane 1'));
    await page.keyboard.press('Enter');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    expect((await focused(page)).label).toBe('Move card');
    await page.keyboard.press('Delete');
    await expect.poll(() => cardValues(cell(page, 'Compare', 'Lane 1')), DEADLINE).toEqual(before.slice(1));
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')), DEADLINE).toBe(`Card: ${before[1]}`);
    expect(await page.getByRole('grid').evaluate((g) => g.querySelectorAll('[tabindex="0"]').length)).toBe(1);
  });

  test('a viewer, with nothing to edit, moves over cells and cards the same way', async ({ server, map, browser }) => {
    await shapeMap(server.url, map.id, map.links.editor, 3, 2, 0);
    const seeder = connect(server.url, map.id, tokenOf(map.links.editor));
    await synced(seeder);
    seedCards(seeder.doc, { totalCards: 1 });
    await new Promise((resolve) => setTimeout(resolve, 0));
    seeder.destroy();
    const { page } = await openMapAs(browser, map.links.viewer, 'Viewer');
    await expect.poll(() => page.locator('[data-card-id]').count(), DEADLINE).toBe(1);
    await page.getByRole('button', { name: 'Skip to map' }).focus();
    await page.keyboard.press('Enter');
    expect(await focused(page)).toMatchObject({ tag: 'article', cell: 'Stage 1 / Lane 1' });
    await page.keyboard.press('ArrowDown');
    // An empty cell is itself the stop.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Stage 1 / Lane 2');
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Stage 2 / Lane 2');
    expect(await page.getByRole('grid').evaluate((g) => g.querySelectorAll('[tabindex="0"]').length)).toBe(1);
  });

  test('focus moved far into a scrolled grid is never under the sticky stage row or lane column', async ({ server, map, browser }) => {
    await shapeMap(server.url, map.id, map.links.editor, 8, 11, 2);
    const { page } = await openMapAs(browser, map.links.editor, 'Alice');
    await page.setViewportSize({ width: 1000, height: 640 });
    await expect.poll(() => page.locator('[data-card-id]').count(), DEADLINE).toBe(176);
    await page.getByRole('button', { name: 'Skip to map' }).focus();
    await page.keyboard.press('Enter');

    const walk = async (key: string, times: number) => {
      for (let i = 0; i < times; i++) {
        await page.keyboard.press(key);
        const where = await focused(page);
        expect(await coverage(page), `${key} #${i + 1} onto ${where.label} in ${where.cell}`).toEqual([]);
      }
    };
    await walk('ArrowRight', 7);
    await walk('ArrowDown', 20);
    await walk('PageDown', 4);
    expect(await page.locator('.grid-scroller').evaluate((s) => [s.scrollLeft > 0, s.scrollTop > 0])).toEqual([true, true]);
    // Coming back is where sticky headers hide things: the cell just above or left of the view.
    await walk('ArrowLeft', 6);
    await walk('ArrowUp', 20);
    await walk('PageUp', 3);
    await page.screenshot({ path: '/tmp/keyboard-scrolled.png' });

    // Tab into a card's own controls, from a card half under the stage row, is corrected too.
    await page.locator('.grid-scroller').evaluate((s) => s.scrollBy({ top: 60 }));
    await page.keyboard.press('Enter');
    await expect.poll(() => coverage(page), DEADLINE).toEqual([]);
  });
});
