import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  addCard,
  addPersona,
  deleteCard,
  readLanes,
  readPersonas,
  readStages,
  renameStage,
  setEmotion,
  spliceCardText,
  cardText,
} from '@waymark/model';
import type { Download, Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { controlBorderProblems, runAxe } from '../support/axe.js';
import { useBrowserBed } from '../support/browser-bed.js';
import { connect, createMap, synced, tokenOf, waitFor, type Client, type CreatedMap } from '../support/clients.js';
import { cardValues, expectPageProblems, openMapAs, pageProblems, status } from '../support/map-pages.js';

/**
 * A map's history in the browser: the versions listed and named, one previewed read-only with
 * what differs from the map now marked on it and listed, restored live for everyone, forked into
 * a new map; the map exported as files; a JSON export imported as a new map on the home page.
 */

const DEADLINE = { timeout: 8_000 };
const TOKEN = 'a-workspace-token-for-history-tests';
const SHOTS = '/tmp';

const historyPanel = (page: Page) => page.getByRole('complementary', { name: 'History' });
const versionButtons = (page: Page) => historyPanel(page).getByRole('list', { name: 'Versions, newest first' }).getByRole('button');
const preview = (page: Page) => page.locator('.version-preview');
const previewCard = (page: Page, text: string) => preview(page).locator('.preview-card', { hasText: text });

/** A map with two cards in its first cell, seeded by a stock client that stays to edit more. */
async function seededMap(
  url: string,
): Promise<{ map: CreatedMap; client: Client; cardIds: { keeps: string; goes: string }; cell: { stageId: string; laneId: string } }> {
  const map = await createMap(url, { title: 'Checkout journey' });
  const client = connect(url, map.id, tokenOf(map.links.editor));
  await synced(client);
  const stageId = readStages(client.doc)[0]!.id;
  const laneId = readLanes(client.doc)[0]!.id;
  const keeps = addCard(client.doc, { stageId, laneId, text: 'Keeps its place, not its words' });
  const goes = addCard(client.doc, { stageId, laneId, text: 'Only in the named version' });
  return { map, client, cardIds: { keeps, goes }, cell: { stageId, laneId } };
}

async function openHistory(page: Page) {
  await page.getByRole('button', { name: 'History' }).click();
  await expect.poll(() => versionButtons(page).count(), DEADLINE).toBeGreaterThan(0);
}

async function nameVersion(page: Page, name: string) {
  await historyPanel(page).getByRole('button', { name: 'Name this version' }).click();
  await historyPanel(page).getByRole('textbox', { name: 'Name for the map as it is now' }).fill(name);
  await historyPanel(page).getByRole('button', { name: 'Save version' }).click();
  await expect.poll(() => versionButtons(page).first().textContent(), DEADLINE).toContain(name);
}

/** Seeds, names a version as Alice, then changes the map after it: one card edited, one deleted, one added. */
async function mapWithHistory(url: string, browser: Parameters<typeof openMapAs>[0]) {
  const seeded = await seededMap(url);
  const owner = await openMapAs(browser, seeded.map.links.owner, 'Alice');
  await expect.poll(() => cardValues(owner.page), DEADLINE).toContain('Only in the named version');
  await openHistory(owner.page);
  await nameVersion(owner.page, 'Before the workshop');
  const { client, cardIds, cell } = seeded;
  spliceCardText(client.doc, cardIds.keeps, {
    index: 0,
    remove: cardText(client.doc, cardIds.keeps)!.length,
    insert: 'Reworded in the workshop',
  });
  deleteCard(client.doc, cardIds.goes);
  addCard(client.doc, { ...cell, text: 'Added in the workshop' });
  await expect.poll(() => cardValues(owner.page), DEADLINE).toContain('Added in the workshop');
  return { ...seeded, owner };
}

async function downloaded(page: Page, item: string): Promise<{ name: string; text: string }> {
  await page.getByRole('button', { name: 'Export the map' }).click();
  const [download] = (await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: item }).click()])) as [
    Download,
    unknown,
  ];
  const path = await download.path();
  return { name: download.suggestedFilename(), text: await readFile(path, 'utf8') };
}

/** The map's JSON export once the server holds `count` cards (a stock client's edits arrive on their own time). */
async function serverHasCards(url: string, map: CreatedMap, count: number): Promise<unknown> {
  let exported: { cards: object } | undefined;
  await waitFor(async () => {
    const answer = await fetch(`${url}/api/maps/${map.id}/export.json`, {
      headers: { authorization: `Bearer ${tokenOf(map.links.viewer)}` },
    });
    exported = (await answer.json()) as { cards: object };
    return Object.keys(exported.cards).length === count;
  }, `the server to hold ${count} cards`);
  return exported;
}

/** The map's JSON export once `holds` is true of it on the server. */
async function serverExport(
  url: string,
  map: CreatedMap,
  holds: (exported: { emotions: Record<string, number> }) => boolean,
  what: string,
) {
  await waitFor(async () => {
    const answer = await fetch(`${url}/api/maps/${map.id}/export.json`, {
      headers: { authorization: `Bearer ${tokenOf(map.links.viewer)}` },
    });
    return holds((await answer.json()) as { emotions: Record<string, number> });
  }, what);
}

const text = (locator: Locator) => locator.evaluateAll((nodes) => nodes.map((node) => node.textContent?.replace(/\s+/g, ' ').trim() ?? ''));

describe('map history in the browser', () => {
  const bed = useBrowserBed({ WORKSPACE_TOKEN: TOKEN });

  it('lists and names versions, previews one read-only, and marks and lists what differs from the map now', async () => {
    const { owner, client } = await mapWithHistory(bed.running.url, bed.browser);
    const page = owner.page;

    // The named version, newest, says what it is, when and who; the automatic one from the first edit is there too.
    const rows = await text(historyPanel(page).locator('.version-item'));
    expect(rows[0]).toMatch(/^Named Before the workshop (just now|\d+ seconds? ago) by Alice/);
    expect(rows.some((row) => row.startsWith('Automatic Automatic version'))).toBe(true);

    await versionButtons(page).filter({ hasText: 'Before the workshop' }).click();
    await expect.poll(() => preview(page).getByRole('heading', { name: 'Before the workshop' }).isVisible(), DEADLINE).toBe(true);
    expect(await preview(page).textContent()).toContain('Preview, read-only: not the live map');
    // Read-only: no card field, no add button; the live grid is gone while the preview shows.
    expect(await page.getByRole('textbox', { name: 'Card text' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Add card/ }).count()).toBe(0);
    // Map-shaped: the version's stages as column headers, lanes as row headers.
    const table = preview(page).getByRole('table');
    expect((await text(table.getByRole('columnheader'))).length).toBe(readStages(client.doc).length);
    expect((await text(table.getByRole('rowheader')))[0]).toContain(readLanes(client.doc)[0]!.title);

    // Compared with the map now (the default): the version's own card is "Added", the card made
    // since comes back as a "Removed" ghost, and the reworded card is "Changed" with the words now.
    await expect.poll(() => previewCard(page, 'Added in the workshop').count(), DEADLINE).toBe(1);
    expect(await previewCard(page, 'Only in the named version').getAttribute('class')).toContain('added');
    expect(await previewCard(page, 'Only in the named version').locator('.diff-badge').textContent()).toContain('Added');
    expect(await previewCard(page, 'Added in the workshop').getAttribute('class')).toContain('ghost');
    expect(await previewCard(page, 'Added in the workshop').locator('.diff-badge').textContent()).toContain('Removed');
    const changed = previewCard(page, 'Keeps its place, not its words');
    expect(await changed.locator('.diff-badge').textContent()).toContain('Changed');
    await changed.getByText('Text on the map now').click();
    expect(await changed.locator('details p').textContent()).toBe('Reworded in the workshop');
    // And as a list.
    const changes = preview(page).getByRole('region', { name: 'Changes' });
    expect(await changes.locator('.changes-summary').textContent()).toBe('1 card added, 1 removed, 1 changed');
    expect(await text(changes.getByRole('list', { name: 'Cards' }).getByRole('listitem'))).toEqual([
      'Added Only in the named version',
      'Removed Added in the workshop',
      'Changed Keeps its place, not its words “Reworded in the workshop” on the map now',
    ]);

    // The map now keeps moving while the preview is open: a card added meanwhile shows up as a ghost too.
    addCard(client.doc, { stageId: readStages(client.doc)[1]!.id, laneId: readLanes(client.doc)[0]!.id, text: 'Added while previewing' });
    await expect.poll(() => previewCard(page, 'Added while previewing').getAttribute('class'), DEADLINE).toContain('ghost');
    await expect.poll(() => changes.locator('.changes-summary').textContent(), DEADLINE).toBe('1 card added, 2 removed, 1 changed');

    const report = await runAxe(page);
    expect(report.violations).toEqual([]);
    expect(report.contrastPasses.some((target) => target.includes('diff-badge'))).toBe(true);
    expect(await controlBorderProblems(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'history-diff-preview.png') });

    // Compared with nothing, the version shows unmarked.
    await preview(page).getByRole('combobox', { name: 'Compare with' }).selectOption('none');
    await expect.poll(() => preview(page).locator('.diff-badge').count(), DEADLINE).toBe(0);
    expect(await previewCard(page, 'Added in the workshop').count()).toBe(0);

    // Escape goes back to the live map, where the workshop's changes are.
    await page.keyboard.press('Escape');
    await expect.poll(() => preview(page).count(), DEADLINE).toBe(0);
    await expect.poll(() => cardValues(page), DEADLINE).toContain('Reworded in the workshop');
    await page.screenshot({ path: join(SHOTS, 'history-panel.png') });

    client.destroy();
    await owner.context.close();
  });

  it('marks a renamed stage, a changed emotion score and a persona only on the map now on the preview itself', async () => {
    const { map, client } = await seededMap(bed.running.url);
    const [first, second] = readStages(client.doc);
    const persona = readPersonas(client.doc)[0]!;
    setEmotion(client.doc, { personaId: persona.id, stageId: first!.id, score: 1 });
    await serverExport(
      bed.running.url,
      map,
      (exported) => exported.emotions[`${persona.id}:${first!.id}`] === 1,
      'the server to hold the score',
    );
    const owner = await openMapAs(bed.browser, map.links.owner, 'Alice');
    const page = owner.page;
    await openHistory(page);
    await nameVersion(page, 'Before the workshop');
    // After the version: the second stage renamed, the score dropped, a persona added.
    renameStage(client.doc, second!.id, 'Checkout');
    setEmotion(client.doc, { personaId: persona.id, stageId: first!.id, score: -2 });
    addPersona(client.doc, { name: 'Walk-in buyer' });

    await versionButtons(page).filter({ hasText: 'Before the workshop' }).click();
    const table = preview(page).getByRole('table');
    // Read from the map now to the version, as the legend says: restoring it renames the stage back.
    const renamed = table.getByRole('columnheader', { name: new RegExp(`^${second!.name}`) });
    await expect.poll(() => renamed.getAttribute('data-mark'), DEADLINE).toBe('renamed');
    expect((await text(renamed))[0]).toBe(`${second!.name} ✎ Renamed from “Checkout” on the map now`);
    expect(await preview(page).locator('.preview-legend').textContent()).toContain(
      'score shows the score on the map now first, then this version’s (“−2 → +1”)',
    );

    // The emotions lane shows the persona's score at each stage, the changed one marked in words.
    const feeling = table.getByRole('row', { name: /^Feeling/ });
    const score = feeling.locator(`.preview-score[data-persona-id="${persona.id}"]`);
    await expect.poll(() => score.getAttribute('data-mark'), DEADLINE).toBe('changed');
    expect(await score.locator('.preview-score-value').textContent()).toBe('−2 → +1');
    expect(await score.locator('.diff-badge').textContent()).toContain('Changed');
    expect(await score.locator('.visually-hidden').textContent()).toBe('−2 on the map now, +1 in this version');
    expect((await text(score))[0]).toMatch(new RegExp(`^${persona.name} `));
    expect(await feeling.locator('.preview-score').count()).toBe(1);

    // The personas strip: the one added since comes back as a "Removed" ghost.
    const personas = preview(page)
      .getByRole('region', { name: /: the map$/ })
      .getByRole('list', { name: 'Personas' })
      .getByRole('listitem');
    await expect.poll(() => text(personas), DEADLINE).toEqual([persona.name, 'Walk-in buyer − Removed']);
    expect(await personas.last().getAttribute('class')).toContain('ghost');

    // And the list beside it says the same.
    const changes = preview(page).getByRole('region', { name: 'Changes' });
    expect(await changes.locator('.changes-summary').textContent()).toBe('1 stage renamed; 1 persona removed; 1 emotion score changed');
    expect(await text(changes.getByRole('list', { name: 'Emotion scores' }).getByRole('listitem'))).toEqual([
      `Changed ${persona.name} at ${first!.name}: −2 → +1`,
    ]);

    const report = await runAxe(page);
    expect(report.violations).toEqual([]);
    expect(await controlBorderProblems(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'history-marks.png') });

    // Compared with nothing, the score is there unmarked and the stage has no marker.
    await preview(page).getByRole('combobox', { name: 'Compare with' }).selectOption('none');
    await expect.poll(() => preview(page).locator('.diff-badge').count(), DEADLINE).toBe(0);
    expect(await score.locator('.preview-score-value').textContent()).toBe('+1');
    expect(await text(personas)).toEqual([persona.name]);

    client.destroy();
    await owner.context.close();
  });

  it('restores a version after asking: a second page changes live, and the “Before a restore” version appears', async () => {
    const { owner, client, map } = await mapWithHistory(bed.running.url, bed.browser);
    const editor = await openMapAs(bed.browser, map.links.editor, 'Bob');
    const page = owner.page;
    await versionButtons(page).filter({ hasText: 'Before the workshop' }).click();
    await preview(page).getByRole('button', { name: 'Restore this version' }).click();
    const dialog = page.locator('dialog.confirm');
    expect(await dialog.textContent()).toMatch(
      /everyone on the map sees at once.*“Before a restore” version: restoring that one undoes this/,
    );
    await dialog.getByRole('button', { name: 'Restore version' }).click();

    await expect
      .poll(() => cardValues(editor.page), DEADLINE)
      .toEqual(expect.arrayContaining(['Only in the named version', 'Keeps its place, not its words']));
    expect(await cardValues(editor.page)).not.toContain('Added in the workshop');
    await expect.poll(() => preview(page).count(), DEADLINE).toBe(0);
    await expect
      .poll(async () => (await text(historyPanel(page).locator('.version-item')))[0], DEADLINE)
      .toMatch(/^Before a restore Before a restore version .*by Alice/);
    await waitFor(() => client.doc.getMap('cards').size === 2, 'the stock client to see the restore');

    client.destroy();
    await editor.context.close();
    await owner.context.close();
  });

  it('forks a version into a new map and opens it; viewers see history but cannot change it', async () => {
    const { owner, client, map } = await mapWithHistory(bed.running.url, bed.browser);
    const page = owner.page;
    await versionButtons(page).filter({ hasText: 'Before the workshop' }).click();
    await preview(page).getByRole('button', { name: 'Fork into a new map' }).click();
    const dialog = page.getByRole('dialog', { name: 'Fork into a new map' });
    await dialog.getByRole('textbox', { name: 'Title of the new map' }).fill('Checkout, to be');
    await dialog.getByRole('button', { name: 'Fork', exact: true }).click();
    await expect.poll(() => dialog.getByRole('status').textContent(), DEADLINE).toContain('Checkout, to be');
    expect(await page.evaluate(() => localStorage.getItem('waymark.recentMaps') ?? '')).toContain('Checkout, to be');
    await dialog.getByRole('link', { name: 'Open the new map' }).click();
    await expect.poll(() => page.url(), DEADLINE).not.toContain(map.id);
    await expect.poll(() => status(page).textContent(), DEADLINE).toBe('Connected');
    await expect.poll(() => page.getByRole('textbox', { name: 'Map title' }).inputValue(), DEADLINE).toBe('Checkout, to be');
    expect(await cardValues(page)).toEqual(expect.arrayContaining(['Only in the named version']));

    const viewer = await openMapAs(bed.browser, map.links.viewer, 'Viewer');
    await openHistory(viewer.page);
    expect(await historyPanel(viewer.page).getByRole('button', { name: 'Name this version' }).count()).toBe(0);
    await versionButtons(viewer.page).first().click();
    await expect.poll(() => preview(viewer.page).count(), DEADLINE).toBe(1);
    expect(
      await preview(viewer.page)
        .getByRole('button', { name: /Restore|Fork|Delete/ })
        .count(),
    ).toBe(0);

    client.destroy();
    await viewer.context.close();
    await owner.context.close();
  });

  it('deletes a version after asking', async () => {
    const { owner, client } = await mapWithHistory(bed.running.url, bed.browser);
    const page = owner.page;
    const before = await versionButtons(page).count();
    await versionButtons(page).filter({ hasText: 'Before the workshop' }).click();
    await preview(page).getByRole('button', { name: 'Delete version' }).click();
    await page.locator('dialog.confirm').getByRole('button', { name: 'Delete version' }).click();
    await expect.poll(() => versionButtons(page).count(), DEADLINE).toBe(before - 1);
    expect(await text(versionButtons(page))).not.toContain('Named Before the workshop');
    expect(await historyPanel(page).getByRole('status').textContent()).toBe('Deleted “Before the workshop”.');
    client.destroy();
    await owner.context.close();
  });

  it('on a phone, the history is a sheet over the map and the preview fits the screen', async () => {
    const { owner, client } = await mapWithHistory(bed.running.url, bed.browser);
    const page = owner.page;
    await page.setViewportSize({ width: 390, height: 844 });
    await versionButtons(page).filter({ hasText: 'Before the workshop' }).click();
    await expect.poll(() => preview(page).getByRole('heading', { name: 'Before the workshop' }).isVisible(), DEADLINE).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(390);
    const sheet = await historyPanel(page).boundingBox();
    expect(sheet && sheet.y + sheet.height).toBeCloseTo(844, 0);
    await page.screenshot({ path: join(SHOTS, 'history-phone.png') });
    await preview(page).getByRole('button', { name: 'Back to the live map' }).click();
    await expect.poll(() => preview(page).count(), DEADLINE).toBe(0);
    client.destroy();
    await owner.context.close();
  });

  it('downloads the map as JSON, CSV and Markdown, for a viewer too', async () => {
    const { map, client } = await seededMap(bed.running.url);
    await serverHasCards(bed.running.url, map, 2);
    const viewer = await openMapAs(bed.browser, map.links.viewer, 'Viewer');

    const json = await downloaded(viewer.page, 'JSON (to import again)');
    expect(json.name).toBe('checkout-journey.json');
    const exported = JSON.parse(json.text) as { format: string; meta: { title: string }; cards: Record<string, { text: string }> };
    expect(exported.format).toBe('waymark-map');
    expect(exported.meta.title).toBe('Checkout journey');
    expect(
      Object.values(exported.cards)
        .map((card) => card.text)
        .sort(),
    ).toEqual(['Keeps its place, not its words', 'Only in the named version']);

    const csv = await downloaded(viewer.page, 'CSV (cards, for a spreadsheet)');
    expect(csv.name).toBe('checkout-journey.csv');
    expect(csv.text.split('\r\n').filter((line) => line.includes('Only in the named version'))).toHaveLength(1);

    const md = await downloaded(viewer.page, 'Markdown');
    expect(md.name).toBe('checkout-journey.md');
    expect(md.text).toMatch(/^# Checkout journey/m);
    expect(md.text).toContain('Keeps its place, not its words');

    client.destroy();
    await viewer.context.close();
  });

  it('imports a JSON export on the home page as a new map, and shows the server’s reason for a bad file', async () => {
    const { map, client } = await seededMap(bed.running.url);
    const exported = (await serverHasCards(bed.running.url, map, 2)) as {
      meta: { title: string };
      cards: Record<string, { laneId: string }>;
    };
    const context = await bed.browser.newContext({ viewport: { width: 1440, height: 900 } });
    context.setDefaultTimeout(8_000);
    const page = await context.newPage();
    const problems = pageProblems(page);
    await page.goto(`${bed.running.url}/#workspace=${TOKEN}`);
    const file = page.getByLabel('Import a map (.json)');

    const broken = structuredClone(exported);
    const [firstCard] = Object.keys(broken.cards);
    broken.cards[firstCard!]!.laneId = 'no-such-lane';
    expectPageProblems(
      page,
      'the server refuses the broken file',
      (problem) => /400/.test(problem) && problem.includes('/api/maps/import'),
    );
    await file.setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(broken)) });
    await expect
      .poll(() => page.getByRole('alert').textContent(), DEADLINE)
      .toBe(
        `The map was not imported: this file cannot be imported: cards.${firstCard}.laneId: refers to "no-such-lane", which is not among the lanes of this file.`,
      );

    await file.setInputFiles({
      name: 'checkout.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ ...exported, meta: { ...exported.meta, title: 'Imported checkout' } })),
    });
    const created = page.getByRole('region', { name: 'Links to the new map' });
    await expect.poll(() => created.getByRole('heading').textContent(), DEADLINE).toBe('Your imported map is ready');
    expect(await page.getByRole('alert').count()).toBe(0);
    await created.getByRole('link', { name: 'Open as owner' }).click();
    await expect.poll(() => page.getByRole('textbox', { name: 'Map title' }).inputValue(), DEADLINE).toBe('Imported checkout');
    await expect
      .poll(() => cardValues(page), DEADLINE)
      .toEqual(expect.arrayContaining(['Only in the named version', 'Keeps its place, not its words']));

    expect(problems.filter((problem) => !problem.includes('/api/maps/import'))).toEqual([]);
    client.destroy();
    await context.close();
  });
});
