import { addStage } from '@waymark/model';
import { describe, expect, it } from 'vitest';
import { useBrowserBed } from '../support/browser-bed.js';
import { connect, createMap, synced, tokenOf } from '../support/clients.js';
import { addCardButton, openMapAs } from '../support/map-pages.js';

/** Printing the map page gives the whole map, scaled to the page, not the part that was on screen. */

const PAGE_WIDTH = 1062; // A4 landscape less 8 mm margins, in CSS px (print.css)

describe('printing a map', () => {
  const bed = useBrowserBed();

  it('lays every stage and lane of a wide map on the page width, with no editing controls', async () => {
    const map = await createMap(bed.running.url, { title: 'Eight-stage journey', goal: 'Why they stall' });
    const seeder = connect(bed.running.url, map.id, tokenOf(map.links.editor));
    await synced(seeder);
    for (const name of ['Renewal', 'Advocacy again']) addStage(seeder.doc, { name });
    const owner = await openMapAs(bed.browser, map.links.owner, 'Alice');
    const page = owner.page;
    await addCardButton(page, 'Awareness', 'Actions').waitFor();
    // On screen at 1440 px, most stages are out of view.
    const stageNames = await page.getByRole('heading', { level: 2 }).allTextContents();
    expect(stageNames.length).toBe(9);

    await page.setViewportSize({ width: PAGE_WIDTH, height: 750 });
    await page.emulateMedia({ media: 'print' });
    const laidOut = await page.evaluate(() => {
      const right = (element: Element) => element.getBoundingClientRect().right;
      return {
        stages: [...document.querySelectorAll('.stage-header')].map(right),
        lanes: [...document.querySelectorAll('.lane-header')].map((lane) => lane.getBoundingClientRect().height > 0),
        controls: ['.toolbar', '.add-card', '.add-stage-cell', '.name-form'].map((selector) =>
          [...document.querySelectorAll(selector)].some((element) => element.getBoundingClientRect().height > 0),
        ),
        scrollWidth: document.documentElement.scrollWidth,
      };
    });
    expect(laidOut.stages).toHaveLength(9);
    for (const edge of laidOut.stages) expect(edge).toBeLessThanOrEqual(PAGE_WIDTH);
    expect(laidOut.lanes.every(Boolean)).toBe(true);
    expect(laidOut.controls).toEqual([false, false, false, false]);
    expect(laidOut.scrollWidth).toBeLessThanOrEqual(PAGE_WIDTH);
    // The title and goal head the page.
    expect(await page.getByRole('textbox', { name: 'Map title' }).isVisible()).toBe(true);

    // What the browser's "Save as PDF" makes of it: one page wide.
    const pdf = await page.pdf({ format: 'A4', landscape: true, preferCSSPageSize: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    seeder.destroy();
    expect(owner.problems).toEqual([]);
    await owner.context.close();
  });
});
