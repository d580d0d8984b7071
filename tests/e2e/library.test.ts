import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { waitFor, type CreatedMap } from '../support/clients.js';
import { expectPageProblems, freshProfile, status } from '../support/map-pages.js';
import { useBrowserBed } from '../support/browser-bed.js';

/**
 * The home page, opened with a workspace link, is the library: every map of the workspace,
 * searched, sorted and opened with that link; creating maps may need the link.
 */

const DEADLINE = { timeout: 8_000 };
const TOKEN = 'a-workspace-token-for-tests';
const NEEDS_LINK =
  'Creating maps needs a workspace link. Ask your Waymark admin for one; whoever started this server finds the admin link in its log.';

/** Creates a map the way a script holding the workspace link would. */
async function createWithWorkspace(url: string, body: Record<string, unknown>): Promise<CreatedMap> {
  const response = await fetch(`${url}/api/maps`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ template: 'buyer-journey', ...body }),
  });
  if (response.status !== 201) throw new Error(`create map failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as CreatedMap;
}

const listedTitles = (page: Page) => page.getByRole('list', { name: 'Maps in this workspace' }).locator('.library-title').allTextContents();
const row = (page: Page, title: string) =>
  page.getByRole('list', { name: 'Maps in this workspace' }).getByRole('listitem').filter({ hasText: title });

describe('the library', () => {
  const bed = useBrowserBed({ WORKSPACE_TOKEN: TOKEN });

  it('lists every map of the workspace, finds one by its goal, sorts by title and opens a map with the workspace link', async () => {
    const url = bed.running.url;
    const checkout = await createWithWorkspace(url, { title: 'Checkout journey', goal: 'Find where carts are abandoned' });
    await createWithWorkspace(url, { title: 'Renewal', goal: 'Why customers renew late' });
    await createWithWorkspace(url, { title: 'Account setup', template: 'onboarding', goal: 'The first week of a new account' });

    const alice = await freshProfile(bed.browser, 'Alice');
    const page = alice.page;
    await page.goto(`${url}/#workspace=${TOKEN}`);

    // The link is kept in this browser and gone from the address bar.
    await expect.poll(() => page.url(), DEADLINE).toBe(`${url}/`);
    expect(await page.evaluate(() => localStorage.getItem('waymark.workspace'))).toBe(TOKEN);

    await expect.poll(async () => (await listedTitles(page)).sort(), DEADLINE).toEqual(['Account setup', 'Checkout journey', 'Renewal']);
    const setup = row(page, 'Account setup');
    expect(await setup.locator('.template-tag').textContent()).toBe('Customer onboarding');
    expect(await setup.locator('.library-goal').textContent()).toBe('The first week of a new account');
    expect(await setup.locator('.library-facts').textContent()).toMatch(/^\s*Edited just now\s*$/);
    expect(await page.getByRole('heading', { name: 'Library' }).count()).toBe(1);

    // Search reaches the goal, not only the title.
    const search = page.getByRole('searchbox', { name: 'Search maps' });
    await search.fill('abandoned');
    await expect.poll(() => listedTitles(page), DEADLINE).toEqual(['Checkout journey']);
    await search.fill('nothing mentions this');
    await expect
      .poll(() => page.locator('.library-empty').textContent(), DEADLINE)
      .toBe('No map’s title or goal mentions “nothing mentions this”.');
    await search.fill('');
    await expect.poll(async () => (await listedTitles(page)).length, DEADLINE).toBe(3);

    await page.getByRole('combobox', { name: 'Sort by' }).selectOption('title');
    await expect.poll(() => listedTitles(page), DEADLINE).toEqual(['Account setup', 'Checkout journey', 'Renewal']);

    await page.screenshot({ path: '/tmp/library.png', fullPage: true });

    // Opening a map uses the workspace link as the map's link.
    await page.getByRole('link', { name: 'Checkout journey' }).click();
    await expect.poll(() => page.url(), DEADLINE).toBe(`${url}/maps/${checkout.id}#token=${TOKEN}`);
    await expect.poll(() => status(page).textContent(), DEADLINE).toBe('Connected');
    await page
      .getByRole('button', { name: /^Add card to / })
      .first()
      .click();

    // Whoever else opens the library sees who is on that map now.
    const bob = await freshProfile(bed.browser, 'Bob');
    await bob.page.goto(`${url}/#workspace=${TOKEN}`);
    await expect.poll(() => row(bob.page, 'Checkout journey').locator('.library-people').textContent(), DEADLINE).toBe('On it now: Alice');
    expect(await row(bob.page, 'Renewal').locator('.library-people').count()).toBe(0);
    // Alice's edit is kept in the library once her edits pause: last edited, by her, first in the list.
    await waitFor(async () => {
      await bob.page.reload();
      const facts = row(bob.page, 'Checkout journey').locator('.library-facts');
      await facts.waitFor();
      return /Edited just now by Alice/.test((await facts.textContent()) ?? '');
    }, 'the library to show Alice’s edit');
    expect((await listedTitles(bob.page))[0]).toBe('Checkout journey');
    await bob.page.screenshot({ path: '/tmp/library.png', fullPage: true });

    // Leaving the workspace forgets the link, and the maps this browser opened with it.
    await page.goto(`${url}/`);
    await page.getByRole('button', { name: 'Leave workspace' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Your maps' }).count(), DEADLINE).toBe(1);
    expect(await page.getByRole('heading', { name: 'Library' }).count()).toBe(0);
    expect(await page.evaluate(() => localStorage.getItem('waymark.workspace'))).toBeNull();
    expect(await page.evaluate(() => localStorage.getItem('waymark.recentMaps') ?? '')).not.toContain(TOKEN);

    expect(alice.problems).toEqual([]);
    expect(bob.problems).toEqual([]);
    await alice.close();
    await bob.close();
  });

  it('says in plain words when the workspace link no longer works, and forgets it on request', async () => {
    const { page, problems, close } = await freshProfile(bed.browser, 'Alice');
    const refused = (problem: string) => problem.includes('status of 401') && problem.includes('/api/maps?');
    expectPageProblems(page, 'Chromium logs the refused library request', refused);
    await page.goto(`${bed.running.url}/#workspace=a-link-nobody-ever-made`);

    const alert = page.getByRole('alert');
    // The text as read (innerText), not as the markup wraps it.
    await expect
      .poll(() => alert.innerText(), DEADLINE)
      .toMatch(/^This workspace link no longer works\. .*Ask your Waymark admin for a new link\./);
    await page.screenshot({ path: '/tmp/library-link-ended.png' });
    await alert.getByRole('button', { name: 'Forget this workspace link' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Your maps' }).count(), DEADLINE).toBe(1);
    expect(await page.evaluate(() => localStorage.getItem('waymark.workspace'))).toBeNull();
    expect(problems.filter((problem) => !refused(problem))).toEqual([]);
    await close();
  });
});

describe('creating maps with MAP_CREATION=workspace', () => {
  const bed = useBrowserBed({ WORKSPACE_TOKEN: TOKEN, MAP_CREATION: 'workspace' });

  it('says how to get a workspace link without one, keeps listing the maps this browser knows, and creates the map with one', async () => {
    const url = bed.running.url;
    const known = await createWithWorkspace(url, { title: 'Support journey' });
    const { page, problems, close } = await freshProfile(bed.browser, 'Alice');
    const refused = (problem: string) => problem.includes('status of 401') && problem.endsWith(`(${url}/api/maps)`);
    expectPageProblems(page, 'Chromium logs the refused creation', refused);
    // This browser opened a map before, with its owner link.
    await page.goto(known.links.owner);
    await expect.poll(() => status(page).textContent(), DEADLINE).toBe('Connected');

    await page.goto(`${url}/`);
    await page.getByLabel('Map title').fill('Refund journey');
    await page.getByRole('button', { name: 'Create map' }).click();
    await expect.poll(() => page.getByRole('form', { name: 'Create a map' }).getByRole('alert').textContent(), DEADLINE).toBe(NEEDS_LINK);
    await page.screenshot({ path: '/tmp/library-needs-link.png' });
    expect(await page.getByRole('list', { name: 'Recently opened maps' }).getByRole('link').allTextContents()).toEqual(['Support journey']);
    expect(problems.filter(refused).length).toBe(1);

    await page.goto(`${url}/#workspace=${TOKEN}`);
    await expect.poll(async () => (await listedTitles(page)).sort(), DEADLINE).toEqual(['Support journey']);
    await page.getByLabel('Map title').fill('Refund journey');
    await page.getByLabel(/^Why we map this/).fill('Where refunds stall');
    await page.getByRole('button', { name: 'Create map' }).click();
    await expect
      .poll(() => page.getByRole('region', { name: 'Links to the new map' }).getByRole('heading').textContent(), DEADLINE)
      .toBe('Your map is ready');
    await expect.poll(async () => (await listedTitles(page)).sort(), DEADLINE).toEqual(['Refund journey', 'Support journey']);
    expect(await row(page, 'Refund journey').locator('.library-goal').textContent()).toBe('Where refunds stall');
    expect(await page.getByRole('form', { name: 'Create a map' }).getByRole('alert').count()).toBe(0);

    expect(problems.filter((problem) => !refused(problem))).toEqual([]);
    await close();
  });
});
