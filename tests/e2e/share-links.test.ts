import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createMap, tokenOf, type CreatedMap } from '../support/clients.js';
import { expectPageProblems, openMapAs, pageProblems, status } from '../support/map-pages.js';
import { useBrowserBed } from '../support/browser-bed.js';

/**
 * The share panel lists every link of a map to its owner, on any machine, and makes and revokes
 * them; whoever holds a revoked link is told so in plain words, live or on opening it.
 */

const DEADLINE = { timeout: 8_000 };
const DAY = 24 * 3600 * 1000;

interface ListedLink {
  id: string;
  role: string;
  label: string;
  personal?: boolean;
  expiresAt: number | null;
  revokedAt: number | null;
  url: string;
}

describe('share links', () => {
  const bed = useBrowserBed();

  /** The owner's calls to the links API, as a script or another machine would make them. */
  async function api(map: CreatedMap, method: string, path = '', body?: unknown): Promise<Response> {
    return fetch(`${bed.running.url}/api/maps/${map.id}/links${path}`, {
      method,
      headers: { authorization: `Bearer ${tokenOf(map.links.owner)}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }
  const listed = async (map: CreatedMap) => (await (await api(map, 'GET')).json()) as ListedLink[];
  async function revokeThrough(map: CreatedMap, url: string) {
    const link = (await listed(map)).find((candidate) => candidate.url === url);
    if (!link) throw new Error(`no listed link has the address ${url}`);
    expect((await api(map, 'DELETE', `/${link.id}`)).status).toBe(204);
  }

  const shareDialog = (page: Page) => page.getByRole('dialog', { name: 'Share this map' });
  const confirmDialog = (page: Page) => page.locator('dialog.confirm');
  /** Titles of the rows in one role's group of the panel. */
  const titlesIn = (dialog: Locator, role: string) =>
    dialog
      .getByRole('region', { name: new RegExp(`^${role}\\b`) })
      .locator('.map-link-title')
      .allTextContents();

  it('shows the owner every link of the map on a machine that never saw them, and makes and revokes them', async () => {
    const map = await createMap(bed.running.url, { title: 'Renewal journey' });
    // A link made elsewhere (by a script, or on the owner's other laptop).
    const made = await api(map, 'POST', '', { role: 'viewer', label: 'Board deck', expiresAt: Date.now() + 7 * DAY });
    expect(made.status).toBe(201);

    // A fresh bed.browser context: nothing about this map in its storage.
    const owner = await openMapAs(bed.browser, map.links.owner, 'Alice');
    const page = owner.page;
    await owner.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: bed.running.url });
    expect(await page.evaluate(() => localStorage.getItem('waymark.recentMaps') ?? '')).not.toContain(map.links.viewer);

    await page.getByRole('button', { name: 'Share' }).click();
    const dialog = shareDialog(page);
    await expect
      .poll(() => dialog.locator('.map-link-title').allTextContents(), DEADLINE)
      .toEqual(['Owner link', 'Editor link', 'Participant link', 'Commenter link', 'Viewer link', 'Board deck']);
    expect(await titlesIn(dialog, 'Viewer')).toEqual(['Viewer link', 'Board deck']);
    const boardDeck = dialog.getByRole('listitem').filter({ hasText: 'Board deck' });
    expect(await boardDeck.locator('.map-link-facts').textContent()).toMatch(/^Created just now · Expires in 7 days · Never used$/);
    // The owner's own link is marked, and has been used (to open this page).
    const ownRow = dialog.getByRole('listitem').filter({ hasText: 'Owner link' });
    expect(await ownRow.locator('.link-tag.own').textContent()).toBe('Yours');
    expect(await ownRow.locator('.map-link-facts').textContent()).toMatch(/Last used just now/);
    expect(await dialog.getByRole('textbox', { name: 'Participant link address' }).inputValue()).toBe(map.links.participant);

    // Create a participant link for a workshop, lasting a week.
    await dialog.getByRole('combobox', { name: 'Role' }).selectOption('participant');
    await dialog.getByRole('textbox', { name: /^Label/ }).fill('Workshop room');
    await dialog.getByRole('combobox', { name: 'Expires' }).selectOption('7d');
    await dialog.getByRole('button', { name: 'Create link' }).click();
    await expect.poll(() => titlesIn(dialog, 'Participant'), DEADLINE).toEqual(['Participant link', 'Workshop room']);
    const workshop = (await listed(map)).find((link) => link.label === 'Workshop room');
    expect(workshop).toMatchObject({ role: 'participant', revokedAt: null });
    expect(workshop!.expiresAt! - Date.now()).toBeGreaterThan(6.9 * DAY);
    // Ready to copy: focus is on its Copy button, and Copy puts the link on the clipboard.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Copy Workshop room link');
    await dialog.getByRole('button', { name: 'Copy Workshop room link' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText()), DEADLINE).toBe(workshop!.url);
    expect(await dialog.getByRole('status').textContent()).toBe('Workshop room link created. Copy it below.');

    // For a person to look at: the panel with several links.
    await page.setViewportSize({ width: 1440, height: 1300 });
    await page.screenshot({ path: '/tmp/share-panel.png' });

    // A bad expiry is refused with a reason, before anything reaches the server.
    await dialog.getByRole('combobox', { name: 'Expires' }).selectOption('date');
    await dialog.getByLabel('Last day').fill('2001-01-01');
    await dialog.getByRole('button', { name: 'Create link' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent(), DEADLINE).toBe('Pick today or a later day.');
    expect((await listed(map)).length).toBe(7);

    // Revoking the link this page was opened with warns that the owner loses access too.
    await dialog.getByRole('button', { name: 'Revoke Owner link' }).click();
    await expect.poll(() => confirmDialog(page).getByRole('heading').textContent(), DEADLINE).toBe('Revoke the link you are using?');
    expect(await confirmDialog(page).textContent()).toMatch(/ends your own access/);
    await confirmDialog(page).getByRole('button', { name: 'Cancel' }).click();

    // Revoke the board deck link with the keyboard: Escape keeps it, confirming revokes it.
    const revokeBoardDeck = dialog.getByRole('button', { name: 'Revoke Board deck link' });
    await revokeBoardDeck.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => confirmDialog(page).getByRole('heading').textContent(), DEADLINE).toBe('Revoke the Board deck link?');
    await page.keyboard.press('Escape');
    await expect.poll(() => confirmDialog(page).isVisible(), DEADLINE).toBe(false);
    expect(await titlesIn(dialog, 'Viewer')).toEqual(['Viewer link', 'Board deck']);
    await revokeBoardDeck.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => confirmDialog(page).isVisible(), DEADLINE).toBe(true);
    await page.keyboard.press('Tab'); // from Cancel to the confirming button
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Revoke link');
    await page.keyboard.press('Enter');
    await expect.poll(() => titlesIn(dialog, 'Viewer'), DEADLINE).toEqual(['Viewer link']);
    expect(await dialog.getByRole('status').textContent()).toBe('Board deck link revoked.');
    expect(await dialog.locator('.revoked-links summary').textContent()).toBe('Revoked links (1)');
    expect((await listed(map)).find((link) => link.label === 'Board deck')?.revokedAt).toEqual(expect.any(Number));
    // The share dialog is still open and the keyboard is still in it.
    expect(await page.evaluate(() => document.activeElement?.closest('dialog')?.getAttribute('aria-labelledby'))).toBe('share-title');

    // Reopening the panel asks the server afresh: a link made elsewhere meanwhile shows up.
    await dialog.getByRole('button', { name: 'Done' }).click();
    expect((await api(map, 'POST', '', { role: 'editor', label: 'Sales team' })).status).toBe(201);
    await page.getByRole('button', { name: 'Share' }).click();
    await expect.poll(() => titlesIn(dialog, 'Editor'), DEADLINE).toEqual(['Editor link', 'Sales team']);

    expect(owner.problems).toEqual([]);
    await owner.context.close();
  });

  it('makes a personal link for one named person, and marks it in the list', async () => {
    const map = await createMap(bed.running.url, { title: 'Workshop map' });
    const owner = await openMapAs(bed.browser, map.links.owner, 'Alice');
    const page = owner.page;
    await page.getByRole('button', { name: 'Share' }).click();
    const dialog = shareDialog(page);
    await expect.poll(() => dialog.locator('.map-link-title').count(), DEADLINE).toBe(5);

    await dialog.getByRole('combobox', { name: 'Role' }).selectOption('participant');
    await dialog.getByRole('checkbox', { name: 'For one person (personal link)' }).check();
    // A personal link is named for its person: without a name, the form says so and sends nothing.
    await dialog.getByRole('button', { name: 'Create link' }).click();
    await expect
      .poll(() => dialog.getByRole('alert').textContent(), DEADLINE)
      .toBe('Write the person’s name as the label of a personal link.');
    expect((await listed(map)).length).toBe(5);

    await dialog.getByRole('textbox', { name: 'Person’s name' }).fill('Cy Lima');
    await dialog.getByRole('button', { name: 'Create link' }).click();
    await expect.poll(() => titlesIn(dialog, 'Participant'), DEADLINE).toEqual(['Participant link', 'Cy Lima']);
    const row = dialog.getByRole('listitem').filter({ hasText: 'Cy Lima' });
    expect(await row.locator('.link-tag.personal').textContent()).toBe('Personal');
    expect(await dialog.locator('.link-tag.personal').count()).toBe(1);
    expect((await listed(map)).find((link) => link.label === 'Cy Lima')).toMatchObject({ role: 'participant', personal: true });
    // The form is back to a shared link for the next one.
    expect(await dialog.getByRole('checkbox', { name: 'For one person (personal link)' }).isChecked()).toBe(false);
    expect(owner.problems).toEqual([]);
    await owner.context.close();
  });

  it('tells whoever has the map open that their link was revoked, and takes away the editing controls', async () => {
    const map = await createMap(bed.running.url, { title: 'Workshop map', template: 'onboarding' });
    const participant = await openMapAs(bed.browser, map.links.participant, 'Bob');
    const page = participant.page;
    await expect.poll(() => page.getByRole('button', { name: /^Add card to / }).count(), DEADLINE).toBeGreaterThan(0);

    await revokeThrough(map, map.links.participant);

    const banner = page.getByRole('alert').filter({ hasText: 'revoked' });
    await expect
      .poll(() => banner.textContent(), DEADLINE)
      .toMatch(
        /^This link was revoked by the map’s owner\. This page no longer shows live changes or saves yours; ask the map’s owner for a new link\./,
      );
    expect(await status(page).textContent()).toBe('No access');
    expect(await page.getByRole('button', { name: /^(Add card to |Undo|Redo|Work offline|Reconnect)/ }).count()).toBe(0);
    expect(await page.getByRole('textbox', { name: 'Card text' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Share' }).count()).toBe(0);
    expect(await page.getByText('Only you').count()).toBe(0);
    // The map stays in view as it was.
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Workshop map');

    // Coming back later with the same link: a dead end that says why.
    expectPageProblems(page, 'Chromium logs the refused look-up of the revoked link', (problem) => isRefusedLookup(problem, map));
    await page.reload();
    await expect.poll(() => page.locator('main h1').textContent(), DEADLINE).toBe('This link was revoked by the map’s owner.');
    expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
    expect(participant.problems.filter((problem) => !isRefusedLookup(problem, map))).toEqual([]);
    await participant.context.close();
  });

  it('opening a link that was revoked before shows a clear dead end and opens no connection', async () => {
    const map = await createMap(bed.running.url, { title: 'Closed map' });
    await revokeThrough(map, map.links.editor);

    const context = await bed.browser.newContext();
    const page = await context.newPage();
    const problems = pageProblems(page);
    expectPageProblems(page, 'Chromium logs the refused look-up of the revoked link', (problem) => isRefusedLookup(problem, map));
    const sockets: string[] = [];
    page.on('websocket', (socket) => sockets.push(socket.url()));
    await page.goto(map.links.editor);

    await expect.poll(() => page.locator('main h1').textContent(), DEADLINE).toBe('This link was revoked by the map’s owner.');
    expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
    expect(await page.locator('main').textContent()).toContain("Ask the map's owner for a new link.");
    expect(await page.getByRole('link', { name: 'All maps' }).count()).toBeGreaterThan(0);
    expect(await status(page).textContent()).toBe('No access');
    expect(await page.getByRole('button', { name: /^(Share|Reconnect|Add stage|Add card to )/ }).count()).toBe(0);
    expect(await page.locator('.map-grid').count()).toBe(0);
    expect(sockets).toEqual([]);
    // The browser's own log line for the refused look-up is the only one.
    expect(problems).toEqual([expect.stringMatching(/^console error: Failed to load resource: the server responded with a status of 403/)]);
    expect(problems.every((problem) => isRefusedLookup(problem, map))).toBe(true);
    await context.close();
  });

  it('a forged link on a map this browser has open offline shows one dead end: no cached title, no pill retrying, no Share', async () => {
    const map = await createMap(bed.running.url, { title: 'Cached map' });
    // The map is in this browser's offline copy from an earlier visit with a real link.
    const visitor = await openMapAs(bed.browser, map.links.editor, 'Dana');
    await expect.poll(() => visitor.page.getByRole('textbox', { name: 'Map title' }).inputValue(), DEADLINE).toBe('Cached map');
    const page = await visitor.context.newPage();
    const problems = pageProblems(page);
    const forgedLookup = (problem: string) =>
      problem.startsWith('console error: Failed to load resource: the server responded with a status of 401') &&
      problem.includes(`/api/maps/${map.id}?token=`);
    expectPageProblems(page, 'Chromium logs the refused look-up of the forged link', forgedLookup);
    const sockets: string[] = [];
    page.on('websocket', (socket) => sockets.push(socket.url()));
    const forged = `${tokenOf(map.links.editor).slice(0, -4)}AAAA`;
    await page.goto(`${bed.running.url}/maps/${map.id}#token=${forged}`);

    await expect.poll(() => page.locator('main h1').textContent(), DEADLINE).toBe('This link is not valid for this map.');
    expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
    expect(await page.getByRole('textbox', { name: 'Map title' }).count()).toBe(0);
    expect(await page.locator('body').textContent()).not.toContain('Cached map');
    expect(await status(page).textContent()).toBe('No access');
    expect(await page.getByRole('button', { name: /^(Share|Reconnect)/ }).count()).toBe(0);
    // It stays a dead end: no socket, no retries.
    await page.waitForTimeout(1_500);
    expect(sockets).toEqual([]);
    expect(await status(page).textContent()).toBe('No access');
    expect(problems.length).toBe(1);
    expect(visitor.problems).toEqual([]);
    await visitor.context.close();
  });
});

/** Chromium logs every 4xx answer to the console itself: the expected 403 for a revoked link's look-up. */
function isRefusedLookup(problem: string, map: CreatedMap): boolean {
  return (
    problem.startsWith('console error: Failed to load resource: the server responded with a status of 403') &&
    problem.includes(`/api/maps/${map.id}?token=`)
  );
}
