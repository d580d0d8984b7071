import { addCard, deleteCard, readLanes, readStages } from '@waymark/model';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { controlBorderProblems, runAxe } from '../support/axe.js';
import { useBrowserBed } from '../support/browser-bed.js';
import { connect, createMap, synced, tokenOf, waitFor, type Client, type CreatedMap } from '../support/clients.js';
import { addCardButton, cardValues, cell, expectPageProblems, openMapAs } from '../support/map-pages.js';

/**
 * Who changed what, in the browser: a card's panel names its last editor, and the history panel's
 * Activity view lists each person's burst of edits in words, told against the map as it is now.
 */

const DEADLINE = { timeout: 8_000 };

const historyPanel = (page: Page) => page.getByRole('complementary', { name: 'History' });
const cardPanel = (page: Page) => page.getByRole('complementary', { name: 'Card details' });
const activityItems = (page: Page) => historyPanel(page).getByRole('list', { name: 'Activity, newest first' }).getByRole('listitem');
const texts = (page: Page) =>
  activityItems(page).evaluateAll((items) => items.map((item) => item.textContent?.replace(/\s+/g, ' ').trim() ?? ''));

/** A participant link labelled "Support team", made by the owner. */
async function supportLink(url: string, map: CreatedMap): Promise<string> {
  const made = await fetch(`${url}/api/maps/${map.id}/links`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenOf(map.links.owner)}` },
    body: JSON.stringify({ role: 'participant', label: 'Support team' }),
  });
  return ((await made.json()) as { token: string }).token;
}

/** Sam, on the Support team's link, with a name others see. */
async function joinAsSam(url: string, map: CreatedMap, token: string): Promise<Client> {
  const sam = connect(url, map.id, token);
  sam.provider.awareness.setLocalStateField('user', { name: 'Sam', colour: '#0ea5e9' });
  await synced(sam);
  return sam;
}

/** Leaving stores the person's entry: waits until the server lists `count` of them. */
async function activityStored(url: string, map: CreatedMap, count: number): Promise<void> {
  await waitFor(async () => {
    const answer = await fetch(`${url}/api/maps/${map.id}/activity`, { headers: { authorization: `Bearer ${tokenOf(map.links.viewer)}` } });
    // Entries still in progress (people editing now) are listed too; only stored ones count here.
    return ((await answer.json()) as { inProgress?: boolean }[]).filter((entry) => !entry.inProgress).length === count;
  }, `${count} activity entries stored`);
}

describe('who changed what, in the browser', () => {
  const bed = useBrowserBed();

  it('names a card’s last editor and lists each person’s edits in words', async () => {
    const url = bed.running.url;
    const map = await createMap(url, { title: 'Support journey' });
    const token = await supportLink(url, map);
    const sam = await joinAsSam(url, map, token);
    const stage = readStages(sam.doc)[0]!;
    const lane = readLanes(sam.doc)[0]!;
    const cardId = addCard(sam.doc, { stageId: stage.id, laneId: lane.id, text: 'Waits on hold for twenty long minutes' });

    const owner = await openMapAs(bed.browser, map.links.owner, 'Alice');
    const page = owner.page;
    await expect.poll(() => cardValues(page), DEADLINE).toContain('Waits on hold for twenty long minutes');
    sam.destroy();
    await activityStored(url, map, 1);

    // The card's panel names Sam and the link Sam came in on.
    await cell(page, stage.name, lane.title).getByRole('button', { name: 'Card details' }).click();
    await expect
      .poll(() => cardPanel(page).locator('.card-history').textContent(), DEADLINE)
      .toMatch(/^Last edited by Sam \(Support team\) · just now$/);
    expect(await cardPanel(page).locator('.card-history').getAttribute('title')).toMatch(/\d{4}/);
    await page.screenshot({ path: '/tmp/activity-card.png' });

    // A card the owner adds is hers at once: the server counts edits still in progress too.
    await addCardButton(page, stage.name, lane.title).click();
    await page.keyboard.type('Asks for a call back');
    await page.keyboard.press('Escape');
    await expect.poll(() => cardValues(cell(page, stage.name, lane.title)), DEADLINE).toContain('Asks for a call back');
    await cell(page, stage.name, lane.title)
      .locator(`[data-card-id]:not([data-card-id="${cardId}"])`)
      .getByRole('button', { name: 'Card details' })
      .click();
    await expect
      .poll(() => cardPanel(page).locator('.card-history').textContent(), DEADLINE)
      .toMatch(/^Last edited by Alice \(owner link\) · just now$/);
    await cardPanel(page).getByRole('button', { name: 'Close card details' }).click();

    // The Activity view, reached from the Versions tab by the arrow key.
    await page.getByRole('button', { name: 'History', exact: true }).click();
    const versionsTab = historyPanel(page).getByRole('tab', { name: 'Versions' });
    const activityTab = historyPanel(page).getByRole('tab', { name: 'Activity' });
    expect(await versionsTab.getAttribute('aria-selected')).toBe('true');
    await versionsTab.focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => activityTab.getAttribute('aria-selected'), DEADLINE).toBe('true');
    expect(await activityTab.evaluate((tab) => tab === document.activeElement)).toBe(true);
    expect(await versionsTab.getAttribute('tabindex')).toBe('-1');
    expect(await historyPanel(page).getByRole('tabpanel').getAttribute('aria-labelledby')).toBe('history-tab-activity');

    // Alice's own edits, still in progress, come first; then Sam's.
    await expect
      .poll(() => texts(page), DEADLINE)
      .toContain(`Sam Support team · Participant Added “Waits on hold for twenty long…” in ${stage.name}. just now`);
    expect((await texts(page))[0]).toMatch(/^Alice .*Added “Asks for a call back” in /);
    expect(await activityItems(page).first().locator('time').getAttribute('title')).toMatch(/\d{4}/);

    const report = await runAxe(page);
    expect(report.violations).toEqual([]);
    expect(report.contrastPasses.some((target) => target.includes('activity'))).toBe(true);
    expect(await controlBorderProblems(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/activity.png' });

    // Ana, on the unlabelled editor link, deletes Sam's card: after Refresh the newest entry says
    // so, and Sam's, told against the map now, names a card since deleted.
    const ana = connect(url, map.id, tokenOf(map.links.editor));
    ana.provider.awareness.setLocalStateField('user', { name: 'Ana', colour: '#e11d48' });
    await synced(ana);
    deleteCard(ana.doc, cardId);
    await expect.poll(() => cardValues(page), DEADLINE).not.toContain('Waits on hold for twenty long minutes');
    ana.destroy();
    await activityStored(url, map, 2);
    await historyPanel(page).getByRole('button', { name: 'Refresh' }).click();
    // By their last edit: Ana's, then Alice's own (still in progress), then Sam's.
    await expect
      .poll(() => texts(page), DEADLINE)
      .toEqual([
        'Ana Editor link Deleted 1 card. just now',
        `Alice Owner link Added “Asks for a call back” in ${stage.name}. just now`,
        'Sam Support team · Participant Added a card since deleted. just now',
      ]);
    expect(await historyPanel(page).getByRole('status').textContent()).toBe('Activity up to date: 3 entries.');

    // Back to Versions with the other arrow; closing and reopening keeps the view chosen.
    await activityTab.focus();
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => versionsTab.getAttribute('aria-selected'), DEADLINE).toBe('true');
    expect(await historyPanel(page).getByRole('list', { name: 'Versions, newest first' }).isVisible()).toBe(true);
    await page.keyboard.press('End');
    await expect.poll(() => activityTab.getAttribute('aria-selected'), DEADLINE).toBe('true');
    await historyPanel(page).getByRole('button', { name: 'Close history' }).click();
    await page.getByRole('button', { name: 'History', exact: true }).click();
    await expect.poll(() => activityItems(page).count(), DEADLINE).toBe(3);

    await owner.context.close();
  }, 90_000);

  it('says when there is no activity yet, and when the history cannot be read', async () => {
    const url = bed.running.url;
    const map = await createMap(url, { title: 'Quiet journey' });
    const owner = await openMapAs(bed.browser, map.links.owner, 'Alice');
    const page = owner.page;

    await page.getByRole('button', { name: 'History', exact: true }).click();
    await historyPanel(page).getByRole('tab', { name: 'Activity' }).click();
    await expect.poll(() => historyPanel(page).getByText('No activity yet.').isVisible(), DEADLINE).toBe(true);

    // The server failing: the view says so in words, and the card panel quietly.
    expectPageProblems(page, 'the activity and edits requests are made to fail', (problem) => /status of 500/.test(problem));
    await page.route(/\/api\/maps\/[^/]+\/(activity|edits)/, (route) =>
      route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: 'the store is unwell' }) }),
    );
    await historyPanel(page).getByRole('button', { name: 'Refresh' }).click();
    await expect
      .poll(() => historyPanel(page).getByRole('alert').textContent(), DEADLINE)
      .toBe('The activity could not be loaded: the store is unwell.');

    await page
      .getByRole('button', { name: /^Add card to / })
      .first()
      .click();
    await page.keyboard.type('Cannot say who');
    await page.keyboard.press('Escape');
    await page.locator('[data-card-id]').first().getByRole('button', { name: 'Card details' }).click();
    await expect.poll(() => cardPanel(page).locator('.card-history').textContent(), DEADLINE).toBe('Editing history unavailable');

    await owner.context.close();
  }, 60_000);
});
