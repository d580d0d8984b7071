import type { Locator, Page } from 'playwright-core';
import type * as Y from 'yjs';
import { connect, createMap, synced, tokenOf, waitFor, type CreatedMap } from './clients.js';

const SEEDED = ['stages', 'lanes', 'personas', 'cards'] as const;

/**
 * A blank map called `title`, filled by `seed` through an editor's client. Returns once another
 * client holds everything `seed` wrote, so the pages that open it next see it whole.
 */
export async function seedWorkshopMap(url: string, title: string, seed: (doc: Y.Doc) => void): Promise<CreatedMap> {
  const map = await createMap(url, { title, template: 'blank' });
  const seeder = connect(url, map.id, tokenOf(map.links.editor));
  const check = connect(url, map.id, tokenOf(map.links.viewer));
  try {
    await synced(seeder);
    seed(seeder.doc);
    await synced(check);
    const held = () => SEEDED.every((name) => check.doc.getMap(name).size === seeder.doc.getMap(name).size);
    await waitFor(held, 'the seeded map to reach the server');
  } finally {
    check.destroy();
    seeder.destroy();
  }
  return map;
}

/** The workshop bar. */
export const workshopBar = (page: Page) => page.getByRole('region', { name: 'Workshop status' });

/** The workshop bar's text, spaces collapsed; empty when the bar is not shown. */
export const workshopBarText = async (page: Page) =>
  (await workshopBar(page).count()) === 0 ? '' : ((await workshopBar(page).textContent()) ?? '').replace(/\s+/g, ' ').trim();

/** Opens the workshop panel on `page` and takes the facilitator seat; the panel, once the seat is taken. */
export async function takeFacilitatorSeat(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Workshop', exact: true }).click();
  const panel = page.getByRole('complementary', { name: 'Workshop' });
  await panel.getByRole('button', { name: 'Take the facilitator seat' }).click();
  await panel.getByRole('button', { name: 'Leave the seat' }).waitFor({ timeout: 8_000 });
  return panel;
}
