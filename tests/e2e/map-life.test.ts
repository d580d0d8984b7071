import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { type CreatedMap } from '../support/clients.js';
import { expectPageProblems, openMapAs, pageProblems, status } from '../support/map-pages.js';
import { useBrowserBed } from '../support/browser-bed.js';

/**
 * A map's owner (or a workspace admin) duplicates a map and deletes one, after being asked;
 * a workspace admin finds deleted maps in the library's trash and restores them.
 */

const DEADLINE = { timeout: 8_000 };
const TOKEN = 'a-workspace-token-for-tests';
const DELETED = 'This map was deleted. Its owner can restore it from the trash.';

async function createWithWorkspace(url: string, title: string): Promise<CreatedMap> {
  const response = await fetch(`${url}/api/maps`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ title, template: 'buyer-journey' }),
  });
  if (response.status !== 201) throw new Error(`create map failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as CreatedMap;
}

const mapTitle = (page: Page) => page.getByRole('textbox', { name: 'Map title' }).inputValue();
const confirmDialog = (page: Page) => page.locator('dialog.confirm');
const deletedNotice = (page: Page) => page.getByRole('alert').filter({ hasText: 'This map was deleted' });

async function chooseFromMapMenu(page: Page, item: 'Duplicate map' | 'Save as template' | 'Delete map') {
  await page.getByRole('button', { name: 'Map actions' }).click();
  await page.getByRole('menuitem', { name: item }).click();
}

describe('a map’s life', () => {
  const bed = useBrowserBed({ WORKSPACE_TOKEN: TOKEN, TRASH_DAYS: '14' });

  it('duplicates a map under a new title, and opens the copy as its owner', async () => {
    const url = bed.running.url;
    const map = await createWithWorkspace(url, 'Checkout journey');
    // The test server lets anyone make maps, so the owner link may make the copy.
    const owner = await openMapAs(bed.browser, map.links.owner, 'Alice');
    const page = owner.page;
    await expect.poll(() => mapTitle(page), DEADLINE).toBe('Checkout journey');

    await chooseFromMapMenu(page, 'Duplicate map');
    const dialog = page.getByRole('dialog', { name: 'Duplicate map' });
    const title = dialog.getByRole('textbox', { name: 'Title of the copy' });
    expect(await title.inputValue()).toBe('Copy of Checkout journey');
    await title.fill('Checkout journey, EU');
    await dialog.getByRole('button', { name: 'Duplicate', exact: true }).click();
    await expect.poll(() => dialog.getByRole('status').textContent(), DEADLINE).toMatch(/Checkout journey, EU/);
    const stored = await page.evaluate(() => localStorage.getItem('waymark.recentMaps') ?? '');
    expect(stored).toContain('Checkout journey, EU');

    await dialog.getByRole('link', { name: 'Open the copy' }).click();
    await expect.poll(() => page.url(), DEADLINE).not.toContain(map.id);
    await expect.poll(() => status(page).textContent(), DEADLINE).toBe('Connected');
    await expect.poll(() => mapTitle(page), DEADLINE).toBe('Checkout journey, EU');
    // The copy is a map of its own: the original is unchanged.
    const original = await fetch(`${url}/api/maps/${map.id}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(((await original.json()) as { meta: { title: string } }).meta.title).toBe('Checkout journey');

    expect(owner.problems).toEqual([]);
    await owner.context.close();
  });

  it('asks before deleting a map; once deleted, every page on it says so, and an admin restores it from the trash', async () => {
    const url = bed.running.url;
    const map = await createWithWorkspace(url, 'Renewal journey');
    const owner = await openMapAs(bed.browser, map.links.owner, 'Alice');
    const editor = await openMapAs(bed.browser, map.links.editor, 'Bob');

    // With the keyboard: the menu, then Delete map; Cancel keeps the map.
    await owner.page.getByRole('button', { name: 'Map actions' }).focus();
    await owner.page.keyboard.press('Enter');
    expect(await owner.page.evaluate(() => document.activeElement?.textContent)).toBe('Duplicate map');
    await owner.page.keyboard.press('ArrowDown');
    expect(await owner.page.evaluate(() => document.activeElement?.textContent)).toBe('Save as template');
    await owner.page.keyboard.press('End');
    await owner.page.keyboard.press('Enter');
    await expect.poll(() => confirmDialog(owner.page).getByRole('heading').textContent(), DEADLINE).toBe('Delete this map?');
    expect(await confirmDialog(owner.page).textContent()).toMatch(/goes to the trash.*stops working.*restore it for 14 days/s);
    await confirmDialog(owner.page).getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => confirmDialog(owner.page).isVisible(), DEADLINE).toBe(false);
    expect((await fetch(`${url}/api/maps/${map.id}`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    expect(await status(editor.page).textContent()).toBe('Connected');

    // Confirming deletes it, and both pages say so.
    await chooseFromMapMenu(owner.page, 'Delete map');
    await confirmDialog(owner.page).getByRole('button', { name: 'Delete map' }).click();
    await expect.poll(() => deletedNotice(owner.page).textContent(), DEADLINE).toContain(DELETED);
    await expect.poll(() => deletedNotice(editor.page).textContent(), DEADLINE).toContain(DELETED);
    expect((await fetch(`${url}/api/maps/${map.id}`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(410);
    // Opening the editor link again is refused in the same words.
    expectPageProblems(editor.page, 'the map is in the trash: its look-up answers 410', (problem) => problem.includes('status of 410'));
    await editor.page.reload();
    await expect.poll(() => editor.page.getByRole('heading', { level: 1 }).textContent(), DEADLINE).toBe(DELETED);

    // The admin's library: the map is not listed, the trash has it.
    const admin = await bed.browser.newContext({ viewport: { width: 1440, height: 900 } });
    admin.setDefaultTimeout(8_000);
    const library = await admin.newPage();
    await library.goto(`${url}/#workspace=${TOKEN}`);
    const listed = () => library.getByRole('list', { name: 'Maps in this workspace' }).locator('.library-title').allTextContents();
    await expect.poll(listed, DEADLINE).toContain('Checkout journey');
    expect(await listed()).not.toContain('Renewal journey');
    await library.getByRole('button', { name: 'Trash' }).click();
    const trashed = library.getByRole('list', { name: 'Maps in the trash' });
    await expect.poll(() => trashed.locator('.trashed-title').allTextContents(), DEADLINE).toEqual(['Renewal journey']);
    expect(await trashed.locator('.library-facts').textContent()).toMatch(/Deleted just now/);

    await trashed.getByRole('button', { name: 'Restore Renewal journey' }).click();
    await expect.poll(listed, DEADLINE).toContain('Renewal journey');
    await expect.poll(() => library.locator('#library-trash .library-empty').textContent(), DEADLINE).toBe('The trash is empty.');

    // The editor link works again, on the page that was refused it (no answer kept from before).
    await editor.page.reload();
    await expect.poll(() => status(editor.page).textContent(), DEADLINE).toBe('Connected');
    expect(await mapTitle(editor.page)).toBe('Renewal journey');

    expect(owner.problems).toEqual([]);
    await owner.context.close();
    await editor.context.close();
    await admin.close();
  });

  it('shows no trash to a workspace member', async () => {
    const url = bed.running.url;
    const made = await fetch(`${url}/api/workspace/links`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ role: 'member', label: 'Research team' }),
    });
    expect(made.status).toBe(201);
    const { token } = (await made.json()) as { token: string };
    const member = await bed.browser.newContext({ viewport: { width: 1440, height: 900 } });
    member.setDefaultTimeout(8_000);
    const page = await member.newPage();
    let askedForTrash = false;
    page.on('response', (response) => {
      if (response.url().endsWith('/api/maps?trash=1')) askedForTrash = true;
    });
    const problems = pageProblems(page);
    await page.goto(`${url}/#workspace=${token}`);
    await expect
      .poll(
        async () => (await page.getByRole('list', { name: 'Maps in this workspace' }).locator('.library-title').allTextContents()).length,
        DEADLINE,
      )
      .toBeGreaterThan(0);
    // The library said the link is a member's, so the page never asks for the trash (and is never refused it).
    expect(askedForTrash).toBe(false);
    expect(problems).toEqual([]);
    expect(await page.getByRole('button', { name: 'Trash' }).count()).toBe(0);
    expect(await page.getByRole('alert').count()).toBe(0);
    await member.close();
  });
});

describe('a copy on a server where only workspace links make maps', () => {
  const bed = useBrowserBed({ WORKSPACE_TOKEN: TOKEN, MAP_CREATION: 'workspace' });

  it('says why the owner link’s copy was not made', async () => {
    const url = bed.running.url;
    const map = await createWithWorkspace(url, 'Onboarding');
    const owner = await openMapAs(bed.browser, map.links.owner, 'Alice');
    const page = owner.page;
    expectPageProblems(
      page,
      'making maps needs a workspace link here: the copy is refused with 401',
      (problem) => problem.includes('status of 401') && problem.includes(`/api/maps/${map.id}/duplicate`),
    );
    await chooseFromMapMenu(page, 'Duplicate map');
    const dialog = page.getByRole('dialog', { name: 'Duplicate map' });
    await dialog.getByRole('button', { name: 'Duplicate', exact: true }).click();
    await expect
      .poll(() => dialog.getByRole('alert').textContent(), DEADLINE)
      .toMatch(/^The map was not duplicated: creating maps needs a workspace link/);
    expect(await page.evaluate(() => localStorage.getItem('waymark.recentMaps') ?? '')).not.toContain('Copy of Onboarding');
    await owner.context.close();
  });

  it('saves the map as a template of the workspace, which Start a map then offers', async () => {
    const url = bed.running.url;
    const map = await createWithWorkspace(url, 'Support journey');
    // Alice holds the map's owner link and, in this browser, a workspace link.
    const owner = await openMapAs(bed.browser, map.links.owner, 'Alice');
    const page = owner.page;
    await page.evaluate((token) => localStorage.setItem('waymark.workspace', token), TOKEN);
    await page.getByRole('button', { name: 'Add stage' }).click();
    const stageName = page.getByRole('textbox', { name: 'Stage name' });
    await stageName.fill('Escalation');
    await stageName.press('Enter');
    await expect.poll(() => page.getByRole('heading', { level: 2, name: 'Escalation' }).count(), DEADLINE).toBe(1);

    await chooseFromMapMenu(page, 'Save as template');
    const dialog = page.getByRole('dialog', { name: 'Save as template' });
    const name = dialog.getByRole('textbox', { name: 'Template name' });
    expect(await name.inputValue()).toBe('Support journey template');
    await name.fill('Support journey (our template)');
    await dialog.getByRole('button', { name: 'Save template' }).click();
    await expect.poll(() => dialog.getByRole('status').textContent(), DEADLINE).toMatch(/is a template of the workspace now/);

    // The home page offers it first, under This workspace, with its stages; a map made from it is a copy.
    await page.goto(`${url}/`);
    const picker = page.getByRole('combobox', { name: 'Template' });
    await expect
      .poll(() => picker.locator('optgroup[label="This workspace"] option').allTextContents(), DEADLINE)
      .toEqual(['Support journey (our template)']);
    expect(await picker.locator('optgroup[label="Built in"] option').allTextContents()).toContain('Lead nurturing');
    await picker.selectOption({ label: 'Support journey (our template)' });
    expect(await page.getByRole('list', { name: 'Stages it starts with' }).textContent()).toContain('Escalation');
    await page.getByRole('textbox', { name: 'Map title' }).fill('Support, EMEA');
    await page.getByRole('button', { name: 'Create map' }).click();
    await page.getByRole('link', { name: 'Open as owner' }).click();
    await expect.poll(() => status(page).textContent(), DEADLINE).toBe('Connected');
    // "Connected" can show a moment before the first sync has filled in the title.
    await expect.poll(() => mapTitle(page), DEADLINE).toBe('Support, EMEA');
    await expect.poll(() => page.getByRole('heading', { level: 2, name: 'Escalation' }).count(), DEADLINE).toBe(1);

    expect(owner.problems).toEqual([]);
    await owner.context.close();
  });
});
