import { addCard, addLane, addPersona, addStage } from '@waymark/model';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { controlBorderProblems, runAxe } from '../support/axe.js';
import { useBrowserBed } from '../support/browser-bed.js';
import { tokenOf } from '../support/clients.js';
import { expectPageProblems, openMapAs } from '../support/map-pages.js';
import { seedWorkshopMap } from '../support/workshop-pages.js';

/**
 * Survey data in the browser: an editor imports a survey export (a preview, the columns matched,
 * a progress bar, a summary) and a viewer's stage headers show the figures live; an analytics
 * export fills the funnel; a bad file is refused in the server's words with nothing written; a
 * comment is attached to a card as evidence; deleting the import (asked first) takes its figures away.
 */

const DEADLINE = { timeout: 10_000 };
const SHOTS = '/tmp';

const SURVEY = [
  'Journey step;Satisfaction;What they said;Segment;Answered on',
  'Awareness;4;"The ad was clear; I knew the price";Busy parent;03/02/2026',
  'awareness;5;;;14/02/2026',
  'Checkout;2;Card refused twice before it worked;Busy parent;20/02/2026',
  'Checkout;3;Too many steps;;21/02/2026',
  'Delivery;1;Late;;22/02/2026',
].join('\n');

const ANALYTICS = [
  'stage,session',
  ...Array.from({ length: 10 }, (_, i) => `Awareness,s${i}`),
  ...Array.from({ length: 4 }, (_, i) => `Checkout,s${i}`),
].join('\n');

const clean = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();
const figures = (page: Page, stage: string) =>
  page
    .getByRole('list', { name: `Metrics at ${stage}` })
    .locator('.visually-hidden')
    .allTextContents()
    .catch(() => []);
const importDialog = (page: Page) => page.getByRole('dialog', { name: 'Import survey data' });
const funnelRows = (page: Page) =>
  page
    .getByRole('complementary', { name: 'Funnel' })
    .getByRole('table', { name: 'Volume, drop-off and revenue at stake by stage' })
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((row) => [...row.children].slice(0, 3).map((cell) => (cell as HTMLElement).innerText.replace(/\s+/g, ' ').trim())),
    );

async function openImport(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Map actions' }).click();
  await page.getByRole('menuitem', { name: 'Import survey data…' }).click();
  const dialog = importDialog(page);
  await expect.poll(() => dialog.isVisible(), DEADLINE).toBe(true);
  return dialog;
}

async function chooseFile(dialog: Locator, name: string, text: string | Buffer) {
  await dialog
    .getByLabel(/^CSV file/)
    .setInputFiles({ name, mimeType: 'text/csv', buffer: typeof text === 'string' ? Buffer.from(text) : text });
  await dialog.getByRole('button', { name: 'Next' }).click();
  await expect.poll(() => dialog.locator('.import-step-title').textContent(), DEADLINE).toBe('Match the columns');
}

describe('importing survey data in the browser', () => {
  const bed = useBrowserBed();

  it('imports a survey, shows its figures to everyone live, fills the funnel, and deletes it whole', { timeout: 120_000 }, async () => {
    const map = await seedWorkshopMap(bed.running.url, 'Checkout journey', (doc) => {
      addPersona(doc, { name: 'Busy parent', colour: '#f97316' });
      const awareness = addStage(doc, { name: 'Awareness' });
      addStage(doc, { name: 'Checkout' });
      const lane = addLane(doc, { title: 'Pain points', kind: 'painPoints' });
      addCard(doc, { stageId: awareness, laneId: lane, text: 'Prices are hard to find' });
    });
    const ana = await openMapAs(bed.browser, map.links.editor, 'Ana');
    const vic = await openMapAs(bed.browser, map.links.viewer, 'Vic');
    try {
      const page = ana.page;
      // A viewer is not offered the import (nor anything else of the Map menu).
      await expect.poll(() => page.getByRole('button', { name: 'Map actions' }).count(), DEADLINE).toBe(1);
      expect(await vic.page.getByRole('button', { name: 'Map actions' }).count()).toBe(0);

      let dialog = await openImport(page);
      expect(clean(await dialog.getByRole('region', { name: 'Earlier imports' }).innerText())).toBe('Earlier imports None yet.');

      expectPageProblems(
        page,
        'a file that is not UTF-8, and one naming a stage the map lacks, are answered 400',
        (problem) => problem.includes('status of 400') && problem.includes(`/api/maps/${map.id}/imports`),
      );
      // A file that is not UTF-8 is refused at once, in the server's words.
      await dialog
        .getByLabel(/^CSV file/)
        .setInputFiles({ name: 'latin1.csv', mimeType: 'text/csv', buffer: Buffer.from(SURVEY.replace('twice', 'deux fois à'), 'latin1') });
      await dialog.getByRole('button', { name: 'Next' }).click();
      await expect
        .poll(() => dialog.getByRole('alert').textContent(), DEADLINE)
        .toBe(
          'this file cannot be imported: the file is not UTF-8 text (first bad byte at row 4); save it as "CSV UTF-8" and import it again',
        );

      // The columns step: the delimiter found, the guesses chosen, the rows seen, the unknown stage said.
      await chooseFile(dialog, 'february-survey.csv', SURVEY);
      const select = (name: string) => dialog.getByRole('combobox', { name, exact: true });
      expect(await select('Columns separated by').inputValue()).toBe('semicolon');
      expect(await select('Stage').inputValue()).toBe('Journey step');
      expect(await select('Score (optional)').inputValue()).toBe('Satisfaction');
      expect(await select('Verbatim comment (optional)').inputValue()).toBe('What they said');
      expect(await select('Persona (optional)').inputValue()).toBe('Segment');
      expect(await select('Date (optional)').inputValue()).toBe('Answered on');
      expect(await select('Dates written as').inputValue()).toBe('dmy');
      expect(await select('The score is').inputValue()).toBe('CSAT');
      expect(await dialog.getByRole('region', { name: "The file's first 5 rows" }).locator('tbody tr').count()).toBe(5);
      expect(clean(await dialog.locator('.warning').textContent())).toBe(
        'Not stages of this map: “Delivery” (row 6). The import is refused unless those rows are skipped.',
      );
      const axe = await runAxe(page);
      expect(axe.violations).toEqual([]);
      expect(await controlBorderProblems(page)).toEqual([]);
      await page.screenshot({ path: `${SHOTS}/survey-import-columns.png` });

      // Refused while a row names a stage the map lacks; nothing is written.
      await dialog.getByRole('button', { name: 'Import', exact: true }).click();
      await expect
        .poll(() => dialog.getByRole('alert').last().textContent(), DEADLINE)
        .toBe(
          'this file cannot be imported: 1 row names a stage the map does not have ("Delivery" at row 6); rename the stages, or choose to skip those rows',
        );
      expect(await figures(vic.page, 'Awareness')).toEqual([]);

      // Skipping it, the import goes through with a progress bar and a summary.
      await dialog.getByRole('checkbox', { name: 'Skip rows whose stage is not on the map' }).check();
      await dialog.getByRole('button', { name: 'Import', exact: true }).click();
      await expect
        .poll(() => dialog.getByRole('status').textContent(), DEADLINE)
        .toBe('Imported: 5 rows, 8 measurements for 2 stages, 3 verbatims.');
      expect(clean(await dialog.locator('.import-summary + p').textContent())).toBe(
        '1 row skipped: its stage is not on the map (“Delivery”).',
      );
      await page.screenshot({ path: `${SHOTS}/survey-import-done.png` });
      await dialog.getByRole('button', { name: 'Done' }).click();

      // The viewer's stage headers show the figures live, dated at the end of the month answered.
      await expect
        .poll(() => figures(vic.page, 'Awareness'), DEADLINE)
        .toEqual(['CSAT 4.5, measured 2026-02-28', 'Responses 2, measured 2026-02-28']);
      expect(await figures(vic.page, 'Checkout')).toEqual(['CSAT 2.5, measured 2026-02-28', 'Responses 2, measured 2026-02-28']);

      // Each imported measurement says which file it came from.
      await page.getByRole('button', { name: 'Metrics for Awareness' }).click();
      const history = page.getByRole('dialog', { name: 'Stage metrics for Awareness' });
      await expect
        .poll(async () => clean(await history.innerText().catch(() => '')), DEADLINE)
        .toContain('imported from february-survey.csv');
      await history.getByRole('button', { name: 'Close stage metrics' }).click();

      // An analytics export, one row per customer seen at a stage, fills the funnel.
      dialog = await openImport(page);
      await chooseFile(dialog, 'sessions.csv', ANALYTICS);
      await select('Each row is').selectOption('customers');
      expect(await select('Stage').inputValue()).toBe('stage');
      await dialog.getByRole('button', { name: 'Import', exact: true }).click();
      await expect
        .poll(() => dialog.getByRole('status').textContent(), DEADLINE)
        .toMatch(/^Imported: 14 rows, 3 measurements for 2 stages, 0 verbatims\.$/);
      await dialog.getByRole('button', { name: 'Done' }).click();
      await vic.page.getByRole('button', { name: 'Funnel', exact: true }).click();
      await expect
        .poll(() => funnelRows(vic.page), DEADLINE)
        .toEqual([
          ['Awareness', '10', '60%'],
          ['Checkout', '4', '— no figure'],
        ]);

      // A comment of the card's stage is found and attached to the card as evidence.
      await page.getByRole('button', { name: 'Card details' }).click();
      const panel = page.getByRole('complementary', { name: 'Card details' });
      await panel.getByText('Survey verbatims').click();
      const found = panel.getByRole('list', { name: 'Verbatims of this stage' });
      await expect
        .poll(async () => clean(await found.innerText().catch(() => '')), DEADLINE)
        .toContain('The ad was clear; I knew the price');
      await panel.getByRole('searchbox', { name: 'Words in the verbatim' }).fill('PRICE');
      await panel.getByRole('button', { name: 'Search' }).click();
      await expect.poll(() => found.locator('li').count(), DEADLINE).toBe(1);
      await found.getByRole('button', { name: /^Attach to this card/ }).click();
      const sources = panel.getByRole('list', { name: 'Sources' });
      await expect
        .poll(async () => clean(await sources.innerText().catch(() => '')), DEADLINE)
        .toContain('The ad was clear; I knew the price');
      expect(clean(await sources.innerText())).toContain('february-survey.csv, row 2');
      expect(await found.getByRole('button', { name: /^Attached/ }).isDisabled()).toBe(true);
      await page.screenshot({ path: `${SHOTS}/survey-verbatims.png` });

      // Deleting the survey import, asked first, takes its figures away for everyone.
      dialog = await openImport(page);
      const earlier = dialog.getByRole('region', { name: 'Earlier imports' });
      await expect.poll(() => earlier.getByRole('listitem').count(), DEADLINE).toBe(2);
      await earlier.getByRole('button', { name: 'Delete the import of february-survey.csv' }).click();
      const confirm = page.getByRole('dialog', { name: 'Delete the import of “february-survey.csv”?' });
      await expect.poll(() => confirm.isVisible(), DEADLINE).toBe(true);
      await confirm.getByRole('button', { name: 'Delete import' }).click();
      await expect
        .poll(async () => (await figures(vic.page, 'Awareness')).filter((text) => /^(CSAT|Responses)/.test(text)), DEADLINE)
        .toEqual([]);
      await expect.poll(() => earlier.getByRole('listitem').count(), DEADLINE).toBe(1);
      // The verbatim attached stays on the card.
      expect(clean(await sources.innerText())).toContain('The ad was clear; I knew the price');
    } finally {
      await ana.context.close();
      await vic.context.close();
    }
  });

  it('shows the upload as it goes, and Cancel stops it with nothing written', { timeout: 120_000 }, async () => {
    const map = await seedWorkshopMap(bed.running.url, 'Checkout journey', (doc) => {
      addStage(doc, { name: 'Awareness' });
    });
    const ana = await openMapAs(bed.browser, map.links.editor, 'Ana');
    try {
      const page = ana.page;
      // About 3 MB sent at 256 KB/s: long enough to see it move and to cancel it.
      const rows = Array.from({ length: 40_000 }, (_, i) => `Awareness;4;Comment number ${i} about the advert and its price`);
      const big = ['Stage;Score;Comment', ...rows].join('\n');
      const dialog = await openImport(page);
      await chooseFile(dialog, 'big-survey.csv', big);
      const network = await page.context().newCDPSession(page);
      await network.send('Network.enable');
      await network.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput: 256 * 1024,
      });
      await dialog.getByRole('button', { name: 'Import', exact: true }).click();
      const progress = dialog.getByRole('progressbar', { name: 'Sending and reading “big-survey.csv”' });
      await expect.poll(async () => Number(await progress.getAttribute('value').catch(() => '0')), DEADLINE).toBeGreaterThan(0);
      expect(Number(await progress.getAttribute('value'))).toBeLessThan(100);
      await page.screenshot({ path: `${SHOTS}/survey-import-progress.png` });
      await dialog.getByRole('button', { name: 'Cancel import' }).click();
      await expect
        .poll(() => dialog.getByRole('alert').last().textContent(), DEADLINE)
        .toBe('the import was cancelled; nothing was imported');
      await network.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
      // Nothing was written: no figures, and no import listed.
      expect(await figures(page, 'Awareness')).toEqual([]);
      const listed = await fetch(`${bed.running.url}/api/maps/${map.id}/imports`, {
        headers: { authorization: `Bearer ${tokenOf(map.links.editor)}` },
      });
      expect(await listed.json()).toEqual({ imports: [] });
    } finally {
      await ana.context.close();
    }
  });
});
