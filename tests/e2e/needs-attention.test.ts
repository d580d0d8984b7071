import { addAction, addCard, addLane, addMetric, addStage, dayOf, readMeta } from '@waymark/model';
import type { Page } from 'playwright-core';
import { describe, expect, onTestFinished } from 'vitest';
import { runAxe } from '../support/axe.js';
import { connect, synced, tokenOf, waitFor } from '../support/clients.js';
import { test } from '../support/editor-fixtures.js';
import { cardTexts, openMapAs } from '../support/map-pages.js';

const DEADLINE = { timeout: 5_000 };
const DAY = 24 * 60 * 60 * 1000;

const panel = (page: Page) => page.getByRole('complementary', { name: 'Needs attention' });
const group = (page: Page, heading: RegExp) => panel(page).getByRole('region', { name: heading });
const entries = (page: Page, heading: RegExp) => group(page, heading).getByRole('listitem').getByRole('button').allTextContents();
const staleFlag = (page: Page, stageId: string) => page.locator(`[data-stage-id="${stageId}"] .stale-metrics`);
const reviewRow = (page: Page) => page.getByRole('group', { name: 'Review dates' });
const localDay = (time: number) => {
  const date = new Date(time);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
};

describe('needs attention and review dates', () => {
  test('lists overdue and unowned actions, assumed pain points first and stale stages; each entry opens what it names', async ({
    server,
    browser,
    map,
    alice,
  }) => {
    const seeder = connect(server.url, map.id, tokenOf(map.links.editor));
    onTestFinished(() => seeder.destroy());
    await synced(seeder);
    const research = addStage(seeder.doc, { name: 'Research' });
    const checkout = addStage(seeder.doc, { name: 'Checkout' });
    const notes = addLane(seeder.doc, { title: 'Notes', kind: 'notes' });
    const pains = addLane(seeder.doc, { title: 'Pain points', kind: 'painPoints' });
    addCard(seeder.doc, { stageId: research, laneId: notes, text: 'Probably reads reviews' });
    addCard(seeder.doc, { stageId: research, laneId: notes, text: 'Compares three plans', evidence: 'observed' });
    const pain = addCard(seeder.doc, { stageId: checkout, laneId: pains, text: 'Shipping costs appear late' });
    addAction(seeder.doc, { title: 'Show fees up front', owner: 'Dana', due: dayOf(Date.now() - 10 * DAY), cardIds: [pain] });
    addAction(seeder.doc, { title: 'Call back customers' });
    addAction(seeder.doc, { title: 'Ship the new basket', owner: 'Eli', due: dayOf(Date.now() - 10 * DAY), status: 'done' });
    // Research was last measured 200 days ago; Checkout this week.
    addMetric(seeder.doc, { stageId: research, name: 'CSAT', value: 3.4, date: dayOf(Date.now() - 200 * DAY) });
    addMetric(seeder.doc, { stageId: checkout, name: 'CSAT', value: 4.1, date: dayOf(Date.now() - 3 * DAY) });
    await expect.poll(() => cardTexts(alice.page).count(), DEADLINE).toBe(3);

    // The map says when its data was refreshed and when it is next reviewed; the old stage is flagged.
    await expect.poll(() => reviewRow(alice.page).locator('time').first().getAttribute('datetime'), DEADLINE).toBe(localDay(Date.now()));
    expect(await reviewRow(alice.page).innerText()).toMatch(/Data last refreshed .+\s+Next review .+/);
    expect(await reviewRow(alice.page).locator('time').nth(1).getAttribute('datetime')).toBe(dayOf(Date.now() + 90 * DAY));
    await expect.poll(() => staleFlag(alice.page, research).textContent(), DEADLINE).toBe('Metrics older than 90 days');
    expect(await staleFlag(alice.page, checkout).count()).toBe(0);

    await alice.page.getByRole('button', { name: 'Needs attention' }).click();
    await expect.poll(() => entries(alice.page, /^Overdue actions/), DEADLINE).toEqual(['Show fees up front']);
    expect(await entries(alice.page, /^Unowned actions/)).toEqual(['Call back customers']);
    // The pain point comes first, though the note was added before it and sits in an earlier stage.
    expect(await entries(alice.page, /^Assumed evidence/)).toEqual(['Shipping costs appear late', 'Probably reads reviews']);
    expect(await entries(alice.page, /^Metrics older than 90 days/)).toEqual(['Research']);
    expect(
      await group(alice.page, /^Overdue actions/)
        .getByRole('heading')
        .textContent(),
    ).toBe('Overdue actions (1)');
    expect(
      await group(alice.page, /^Assumed evidence/)
        .getByRole('heading')
        .textContent(),
    ).toBe('Assumed evidence (2)');
    await expect
      .poll(
        () =>
          group(alice.page, /^Stale cards/)
            .getByRole('heading')
            .textContent(),
        DEADLINE,
      )
      .toBe('Stale cards (0)');
    const report = await runAxe(alice.page);
    expect(report.violations, `axe found WCAG AA violations:\n  ${report.violations.join('\n  ')}\n`).toEqual([]);

    // Opening the pain point selects it: its details open.
    await group(alice.page, /^Assumed evidence/)
      .getByRole('button', { name: 'Shipping costs appear late' })
      .click();
    const details = alice.page.getByRole('complementary', { name: 'Card details' });
    await expect.poll(() => details.locator('.card-quote').textContent(), DEADLINE).toBe('Shipping costs appear late');
    expect(await alice.page.locator(`[data-card-id="${pain}"]`).getAttribute('class')).toMatch(/\bselected\b/);

    // Opening the overdue action opens it in the action plan, ready to edit.
    await alice.page.getByRole('button', { name: 'Needs attention' }).click();
    await group(alice.page, /^Overdue actions/)
      .getByRole('button', { name: 'Show fees up front' })
      .click();
    await expect.poll(() => alice.page.getByRole('form', { name: 'Edit Show fees up front' }).isVisible(), DEADLINE).toBe(true);

    // Opening the stale stage opens its metrics.
    await alice.page.getByRole('button', { name: 'Needs attention' }).click();
    await group(alice.page, /^Metrics older than/)
      .getByRole('button', { name: 'Research' })
      .click();
    await expect.poll(() => alice.page.getByRole('dialog').count(), DEADLINE).toBe(1);
    await alice.page.keyboard.press('Escape');

    // A viewer sees the dates and the interval, but cannot change it.
    const viewer = await openMapAs(browser, map.links.viewer, 'Viewer');
    onTestFinished(() => viewer.context.close());
    await expect.poll(() => reviewRow(viewer.page).innerText(), DEADLINE).toMatch(/Reviewed every 90 days/);
    expect(await reviewRow(viewer.page).getByRole('spinbutton').count()).toBe(0);
    await expect.poll(() => staleFlag(viewer.page, research).count(), DEADLINE).toBe(1);

    // A longer interval, set by an editor: Research's data is no longer too old, for everyone.
    const interval = reviewRow(alice.page).getByRole('spinbutton', { name: 'Review interval in days' });
    await interval.fill('0');
    await interval.press('Enter');
    await expect
      .poll(() => reviewRow(alice.page).getByRole('alert').textContent(), DEADLINE)
      .toBe('Enter a whole number of days from 1 to 730.');
    expect(readMeta(seeder.doc).reviewIntervalDays).toBe(90);
    await interval.fill('365');
    await interval.press('Enter');
    await waitFor(() => readMeta(seeder.doc).reviewIntervalDays === 365, 'the interval at the seeder');
    expect(await reviewRow(alice.page).getByRole('alert').count()).toBe(0);
    await expect.poll(() => staleFlag(viewer.page, research).count(), DEADLINE).toBe(0);
    await expect
      .poll(() => reviewRow(viewer.page).locator('time').nth(1).getAttribute('datetime'), DEADLINE)
      .toBe(dayOf(Date.now() + 365 * DAY));
    expect(await reviewRow(viewer.page).innerText()).toMatch(/Reviewed every 365 days/);
  });

  test('a map without customer data says so, and a review date that has passed is overdue', async ({ server, map, alice }) => {
    await expect.poll(() => reviewRow(alice.page).innerText(), DEADLINE).toMatch(/^No customer data yet\s+Next review/);
    // The map was made today: its first review is one interval on.
    expect(await reviewRow(alice.page).locator('time').getAttribute('datetime')).toBe(dayOf(Date.now() + 90 * DAY));
    // Data last entered 400 days ago (entered then, measured then): the review is long overdue.
    const seeder = connect(server.url, map.id, tokenOf(map.links.editor));
    onTestFinished(() => seeder.destroy());
    await synced(seeder);
    const stageId = addStage(seeder.doc, { name: 'Research' });
    const realNow = Date.now;
    Date.now = () => realNow() - 400 * DAY;
    try {
      addMetric(seeder.doc, { stageId, name: 'NPS', value: 12, date: dayOf(Date.now()) });
    } finally {
      Date.now = realNow;
    }
    await expect.poll(() => reviewRow(alice.page).innerText(), DEADLINE).toMatch(/Review overdue since/);
    expect(await reviewRow(alice.page).locator('.overdue time').getAttribute('datetime')).toBe(dayOf(Date.now() - 310 * DAY));
    expect(await staleFlag(alice.page, stageId).count()).toBe(1);
  });
});
