import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectPageProblems, freshProfile } from '../support/map-pages.js';
import { useBrowserBed } from '../support/browser-bed.js';

/**
 * A workspace admin manages the workspace's links from the library: makes a member link, sees
 * it work, revokes it; a member's link has no such section, and a revoked one is refused.
 */

const DEADLINE = { timeout: 8_000 };
const TOKEN = 'a-workspace-token-for-tests';

interface ListedLink {
  id: string;
  role: string;
  label: string;
  revokedAt: number | null;
  url: string;
}

const listedTitles = (page: Page) => page.getByRole('list', { name: 'Maps in this workspace' }).locator('.library-title').allTextContents();
const section = (page: Page) => page.getByRole('region', { name: 'Workspace links' });
const toggle = (page: Page) => page.getByRole('button', { name: 'Workspace links' });
const confirmDialog = (page: Page) => page.locator('dialog.confirm');
/** Chromium logs every refused request itself: a member's probe of admin-only lists, a revoked link's library. */
const refusedAt = (url: string, path: string) => (problem: string) =>
  /^console error: Failed to load resource: the server responded with a status of 40[13]/.test(problem) &&
  problem.includes(`${url}${path}`);

describe('workspace links', () => {
  const bed = useBrowserBed({ WORKSPACE_TOKEN: TOKEN });

  async function workspaceLinks(): Promise<ListedLink[]> {
    const response = await fetch(`${bed.running.url}/api/workspace/links`, { headers: { authorization: `Bearer ${TOKEN}` } });
    return (await response.json()) as ListedLink[];
  }

  it('an admin makes a member link in the library, it opens the library without admin tools, and once revoked it is refused', async () => {
    const url = bed.running.url;
    const made = await fetch(`${url}/api/maps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ template: 'buyer-journey', title: 'Checkout journey' }),
    });
    expect(made.status).toBe(201);

    const admin = await freshProfile(bed.browser, 'Alice');
    const page = admin.page;
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
    await page.goto(`${url}/#workspace=${TOKEN}`);
    await expect.poll(() => listedTitles(page), DEADLINE).toEqual(['Checkout journey']);

    // The section opens from its toggle, with the keyboard.
    await toggle(page).focus();
    await page.keyboard.press('Enter');
    expect(await toggle(page).getAttribute('aria-pressed')).toBe('true');
    // Opened with the server's own admin token, which is not a link: none stands yet.
    await expect.poll(() => section(page).locator('.owner-links > p.muted').textContent(), DEADLINE).toMatch(/^No workspace link stands/);

    // A member link for the design team; the form offers member first.
    const form = section(page).getByRole('form', { name: 'New link' });
    expect(await form.getByRole('combobox', { name: 'Role' }).inputValue()).toBe('member');
    expect(await form.getByRole('combobox', { name: 'Role' }).locator('option').allTextContents()).toEqual(['Admin', 'Member']);
    await form.getByRole('textbox', { name: /^Label/ }).fill('Design team');
    await form.getByRole('button', { name: 'Create link' }).click();
    const members = section(page).getByRole('region', { name: /^Member\b/ });
    await expect.poll(() => members.locator('.map-link-title').allTextContents(), DEADLINE).toEqual(['Design team']);
    const created = (await workspaceLinks()).find((link) => link.label === 'Design team');
    expect(created).toMatchObject({ role: 'member', revokedAt: null, url: expect.stringMatching(new RegExp(`^${url}/#workspace=`)) });
    expect(await members.locator('.map-link-facts').textContent()).toBe('Created just now · No expiry · Never used');
    expect(await section(page).getByRole('status').textContent()).toBe('Design team link created. Copy it below.');
    // Ready to copy: focus is on its Copy button, and Copy puts the link on the clipboard.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Copy Design team link');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText()), DEADLINE).toBe(created!.url);
    await page.screenshot({ path: '/tmp/workspace-links.png', fullPage: true });

    // The new link works on another laptop: the library, and no admin tools.
    const member = await freshProfile(bed.browser, 'Bob');
    await member.page.goto(created!.url);
    await expect.poll(() => listedTitles(member.page), DEADLINE).toEqual(['Checkout journey']);
    // The library said the link is a member's: the admin-only lists are never asked for, so never refused.
    expect(member.problems).toEqual([]);
    expect(await toggle(member.page).count()).toBe(0);
    expect(await section(member.page).count()).toBe(0);
    expect(await member.page.getByRole('alert').count()).toBe(0);

    // Revoking asks first; Cancel keeps it, confirming revokes it.
    const revoke = members.getByRole('button', { name: 'Revoke Design team link' });
    await revoke.click();
    await expect.poll(() => confirmDialog(page).getByRole('heading').textContent(), DEADLINE).toBe('Revoke the Design team link?');
    expect(await confirmDialog(page).textContent()).toMatch(/loses the library and every map it opens at once/);
    await confirmDialog(page).getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => confirmDialog(page).isVisible(), DEADLINE).toBe(false);
    expect((await workspaceLinks()).find((link) => link.id === created!.id)?.revokedAt).toBeNull();
    await revoke.focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab'); // from Cancel to the confirming button
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Revoke link');
    await page.keyboard.press('Enter');
    await expect.poll(() => section(page).getByRole('status').textContent(), DEADLINE).toBe('Design team link revoked.');
    expect(
      await section(page)
        .getByRole('region', { name: /^Member\b/ })
        .count(),
    ).toBe(0);
    expect(await section(page).locator('.revoked-links summary').textContent()).toBe('Revoked links (1)');
    expect((await workspaceLinks()).find((link) => link.id === created!.id)?.revokedAt).toEqual(expect.any(Number));

    // The revoked link is refused: its library says the link ended.
    expectPageProblems(member.page, 'Chromium logs the requests the revoked link is refused', refusedAt(url, '/api/'));
    await member.page.reload();
    await expect.poll(() => member.page.getByRole('alert').textContent(), DEADLINE).toMatch(/^This workspace link no longer works\./);
    expect(await toggle(member.page).count()).toBe(0);

    expect(admin.problems).toEqual([]);
    expect(member.problems.filter((problem) => !refusedAt(url, '/api/')(problem))).toEqual([]);
    await admin.close();
    await member.close();
  });

  it('warns an admin who revokes the link the page itself uses, and then shows the link ended', async () => {
    const url = bed.running.url;
    const response = await fetch(`${url}/api/workspace/links`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ role: 'admin', label: 'Carol' }),
    });
    const carol = (await response.json()) as ListedLink;

    const { page, problems, close } = await freshProfile(bed.browser, 'Carol');
    expectPageProblems(page, 'Chromium logs the refused library once the link is revoked', refusedAt(url, '/api/'));
    await page.goto(carol.url);
    await toggle(page).click();
    const own = section(page).getByRole('listitem').filter({ hasText: 'Carol' });
    await expect.poll(() => own.locator('.link-tag.own').textContent(), DEADLINE).toBe('Yours');

    await own.getByRole('button', { name: 'Revoke Carol link' }).click();
    await expect.poll(() => confirmDialog(page).getByRole('heading').textContent(), DEADLINE).toBe('Revoke the link you are using?');
    expect(await confirmDialog(page).textContent()).toMatch(/ends your own access at once.*only the admin link in the server’s log/);
    await confirmDialog(page).getByRole('button', { name: 'Revoke my link' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent(), DEADLINE).toMatch(/^This workspace link no longer works\./);
    expect(await section(page).count()).toBe(0);
    expect(problems.filter((problem) => !refusedAt(url, '/api/')(problem))).toEqual([]);
    await close();
  });
});
