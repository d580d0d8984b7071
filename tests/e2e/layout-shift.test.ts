import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createMap, type CreatedMap } from '../support/clients.js';
import { pageProblems, status } from '../support/map-pages.js';
import { useBrowserBed } from '../support/browser-bed.js';

/**
 * Nothing jumps while a map page loads: the cumulative layout shift of a first visit (name
 * prompt, presence, the grid arriving) stays under 0.1, the "good" threshold of Core Web Vitals
 * (web.dev/articles/cls).
 */

const DEADLINE = { timeout: 8_000 };

interface Shift {
  value: number;
  sources: string[];
}

/** Opens `link` in a fresh profile (a first visit: no name chosen) and sums its layout shifts until the page settles. */
async function layoutShiftOf(
  browser: Browser,
  link: string,
  viewport: { width: number; height: number },
): Promise<{ total: number; shifts: Shift[] }> {
  const context = await browser.newContext({ viewport });
  await context.addInitScript(() => {
    const shifts: { value: number; sources: string[] }[] = [];
    (window as unknown as { __shifts: typeof shifts }).__shifts = shifts;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as (PerformanceEntry & {
        value: number;
        hadRecentInput: boolean;
        sources?: { node?: Node }[];
      })[]) {
        if (entry.hadRecentInput) continue;
        const sources = (entry.sources ?? []).map(({ node }) =>
          node instanceof Element ? `${node.tagName.toLowerCase()}.${[...node.classList].join('.')}` : String(node?.nodeName),
        );
        shifts.push({ value: entry.value, sources });
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
  const page = await context.newPage();
  const problems = pageProblems(page);
  await page.goto(link);
  await expect.poll(() => status(page).textContent(), DEADLINE).toMatch(/^(Connected|Read-only)$/);
  await expect.poll(() => page.getByRole('cell').count(), DEADLINE).toBeGreaterThan(10);
  // Two frames after the grid, presence and the name prompt are all in.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const shifts = await page.evaluate(() => (window as unknown as { __shifts: Shift[] }).__shifts);
  expect(problems).toEqual([]);
  await context.close();
  return { total: shifts.reduce((sum, shift) => sum + shift.value, 0), shifts };
}

describe('layout shift at load', () => {
  const bed = useBrowserBed();
  let map: CreatedMap;

  it('stays under 0.1 on a first visit, for an editor and a viewer, on a laptop, a tablet and a phone', async () => {
    map = await createMap(bed.running.url, { title: 'Checkout journey', goal: 'Why carts are abandoned', scope: 'Web shop, EU' });
    for (const [role, link] of [
      ['editor', map.links.editor],
      ['viewer', map.links.viewer],
    ] as const) {
      for (const viewport of [
        { width: 1440, height: 900 },
        { width: 768, height: 1024 },
        { width: 390, height: 844 },
      ]) {
        const { total, shifts } = await layoutShiftOf(bed.browser, link!, viewport);
        expect(total, `${role} at ${viewport.width}×${viewport.height}: ${JSON.stringify(shifts)}`).toBeLessThan(0.1);
      }
    }
  });
});
