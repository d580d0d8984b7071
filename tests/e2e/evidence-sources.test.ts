import { addCard, addLane, addStage, readCards } from '@waymark/model';
import type { Page } from 'playwright-core';
import { describe, expect, onTestFinished } from 'vitest';
import { runAxe } from '../support/axe.js';
import { connect, synced, tokenOf, waitFor } from '../support/clients.js';
import { test } from '../support/editor-fixtures.js';
import { cardTexts, openMapAs } from '../support/map-pages.js';

const DEADLINE = { timeout: 5_000 };

const sources = (page: Page) => page.getByRole('list', { name: 'Sources' }).getByRole('listitem');
/** Each listed source as "Kind: what it says" (the kind is shown in capitals by CSS). */
const sourceTexts = (page: Page) =>
  sources(page).evaluateAll((items) =>
    items.map((item) => {
      const text = (selector: string) => (item.querySelector(selector)?.textContent ?? '').replace(/\s+/g, ' ').trim();
      return `${text('.source-kind')}: ${text('.source-body')}`;
    }),
  );
const sourceForm = (page: Page) => page.getByRole('form', { name: 'Add a source' });

async function openCardDetails(page: Page) {
  await page.getByRole('button', { name: 'Card details' }).first().click();
  await page.getByRole('heading', { name: 'Card', exact: true }).waitFor();
}

async function addSource(page: Page, kind: string, fields: Record<string, string>) {
  if (!(await sourceForm(page).isVisible())) await page.getByRole('button', { name: 'Add a source' }).click();
  await sourceForm(page).getByRole('combobox', { name: 'Kind' }).selectOption({ label: kind });
  for (const [label, value] of Object.entries(fields)) await sourceForm(page).getByLabel(label, { exact: true }).fill(value);
  await sourceForm(page).getByRole('button', { name: 'Add source' }).click();
}

describe('evidence sources on cards', () => {
  test('quotes and links added in one page show in another; a javascript: address is refused; removing one can be undone', async ({
    server,
    browser,
    map,
    alice,
    bob,
  }) => {
    const seeder = connect(server.url, map.id, tokenOf(map.links.editor));
    onTestFinished(() => seeder.destroy());
    await synced(seeder);
    const stageId = addStage(seeder.doc, { name: 'Checkout' });
    const laneId = addLane(seeder.doc, { title: 'Pain points', kind: 'painPoints' });
    const cardId = addCard(seeder.doc, { stageId, laneId, text: 'Shipping costs appear late' });
    await expect.poll(() => cardTexts(alice.page).count(), DEADLINE).toBe(1);
    await expect.poll(() => cardTexts(bob.page).count(), DEADLINE).toBe(1);

    await openCardDetails(alice.page);
    await expect.poll(() => alice.page.getByText('No sources yet', { exact: false }).isVisible(), DEADLINE).toBe(true);

    // A quote. The card is still assumed: Waymark offers to mark it observed rather than doing it.
    await addSource(alice.page, 'Quote', { 'What the customer said': '  I only saw the delivery fee at the very end  ' });
    await expect.poll(() => sourceTexts(alice.page), DEADLINE).toEqual(['Quote: I only saw the delivery fee at the very end']);
    expect(readCards(seeder.doc)[0]?.evidence).toBe('assumed');
    await alice.page.getByRole('button', { name: 'Mark observed' }).click();
    await waitFor(() => readCards(seeder.doc)[0]?.evidence === 'observed', 'the card marked observed');

    // A javascript: address is refused with a clear error, and nothing is written.
    await addSource(alice.page, 'Link', { Address: 'javascript:alert(document.cookie)', 'Title (optional)': 'Innocent report' });
    const error = sourceForm(alice.page).getByRole('alert');
    await expect.poll(() => error.textContent(), DEADLINE).toBe('The address must be a web address starting with http:// or https://.');
    expect(await sourceForm(alice.page).getByLabel('Address', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await alice.page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('url');
    expect(readCards(seeder.doc)[0]?.sources).toHaveLength(1);

    // Fixed, the link is added; it opens in a new tab without handing over this page.
    await sourceForm(alice.page).getByLabel('Address', { exact: true }).fill('https://research.example/checkout-interviews');
    await sourceForm(alice.page).getByRole('button', { name: 'Add source' }).click();
    await expect.poll(() => sourceTexts(alice.page), DEADLINE).toHaveLength(2);
    expect(await error.count()).toBe(0);

    // A count.
    await addSource(alice.page, 'Count', { 'How many': '42', 'What was counted': 'support tickets about delivery fees' });
    await waitFor(() => readCards(seeder.doc)[0]?.sources.length === 3, 'three sources at the seeder');
    expect(readCards(seeder.doc)[0]?.sources).toEqual([
      { kind: 'quote', text: 'I only saw the delivery fee at the very end', url: '', count: 0, origin: '' },
      { kind: 'link', text: 'Innocent report', url: 'https://research.example/checkout-interviews', count: 0, origin: '' },
      { kind: 'count', text: 'support tickets about delivery fees', url: '', count: 42, origin: '' },
    ]);

    // Bob sees them: on the card note as a count, and listed in the card's details.
    await expect.poll(() => bob.page.locator(`[data-card-id="${cardId}"] .card-source-count`).textContent(), DEADLINE).toBe('3 sources');
    await openCardDetails(bob.page);
    await expect
      .poll(() => sourceTexts(bob.page), DEADLINE)
      .toEqual([
        'Quote: I only saw the delivery fee at the very end',
        'Link: Innocent report',
        'Count: 42 support tickets about delivery fees',
      ]);
    const link = bob.page.getByRole('link', { name: 'Innocent report' });
    expect(await link.getAttribute('href')).toBe('https://research.example/checkout-interviews');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    const report = await runAxe(bob.page);
    expect(report.violations, `axe found WCAG AA violations:\n  ${report.violations.join('\n  ')}\n`).toEqual([]);

    // Removing a source is one step, and Undo brings it back for everyone.
    await bob.page.getByRole('button', { name: 'Remove source: Link Innocent report' }).click();
    await expect.poll(() => sourceTexts(alice.page), DEADLINE).toHaveLength(2);
    await bob.page.getByRole('button', { name: 'Undo', exact: true }).last().click();
    await expect.poll(() => sourceTexts(alice.page), DEADLINE).toHaveLength(3);
    expect(readCards(seeder.doc)[0]?.sources.map((source) => source.kind)).toEqual(['quote', 'link', 'count']);

    // A viewer opens them from the card note's count, and reads them without controls to change them.
    const viewer = await openMapAs(browser, map.links.viewer, 'Viewer');
    onTestFinished(() => viewer.context.close());
    await viewer.page.getByRole('button', { name: '3 sources' }).click();
    await expect.poll(() => sourceTexts(viewer.page), DEADLINE).toHaveLength(3);
    expect(await viewer.page.getByRole('button', { name: 'Add a source' }).count()).toBe(0);
    expect(await viewer.page.getByRole('button', { name: /^Remove source/ }).count()).toBe(0);
  });

  test('a card’s channels and department are set in its details and shared', async ({ server, map, alice, bob }) => {
    const seeder = connect(server.url, map.id, tokenOf(map.links.editor));
    onTestFinished(() => seeder.destroy());
    await synced(seeder);
    const stageId = addStage(seeder.doc, { name: 'Support' });
    const laneId = addLane(seeder.doc, { title: 'Touchpoints', kind: 'touchpoints' });
    addCard(seeder.doc, { stageId, laneId, text: 'Calls the hotline', department: 'Customer care' });
    await expect.poll(() => cardTexts(alice.page).count(), DEADLINE).toBe(1);

    await openCardDetails(alice.page);
    const channel = alice.page.getByLabel('Add channel');
    await channel.fill('Phone');
    await channel.press('Enter');
    await channel.fill(' Web ');
    await channel.press('Enter');
    await alice.page.getByLabel('Department', { exact: true }).fill('Support');
    await alice.page.getByLabel('Department', { exact: true }).press('Enter');
    await waitFor(() => readCards(seeder.doc)[0]?.department === 'Support', 'the department at the seeder');
    expect(readCards(seeder.doc)[0]?.channels).toEqual(['Phone', 'Web']);

    await openCardDetails(bob.page);
    await expect
      .poll(() => bob.page.getByRole('list', { name: 'Channels' }).getByRole('listitem').allInnerTexts(), DEADLINE)
      .toEqual(['Phone', 'Web']);
    expect(await bob.page.getByLabel('Department', { exact: true }).inputValue()).toBe('Support');
    await bob.page.getByRole('button', { name: 'Remove channel Phone' }).click();
    await waitFor(() => readCards(seeder.doc)[0]?.channels.join() === 'Web', 'the channel removed at the seeder');
  });
});
