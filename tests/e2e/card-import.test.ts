import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { controlBorderProblems, runAxe } from '../support/axe.js';
import { useBrowserBed } from '../support/browser-bed.js';
import { createMap, tokenOf } from '../support/clients.js';
import { cardValues, expectPageProblems, openMapAs } from '../support/map-pages.js';

/**
 * Cards from a CSV file in the browser: an owner chooses a file, matches its columns (seeing its
 * first rows) and imports after a preview, and another page sees the cards arrive live; a row
 * the map cannot take is refused in the server's words at the preview step, and nothing is
 * added; a viewer is not offered the import at all.
 */

const DEADLINE = { timeout: 8_000 };
const SHOTS = '/tmp';

const CSV = [
  'Phase;Swimlane;Note;Persona;Labels',
  'Awareness;Pain points;"Ads feel generic; not for us";Evaluating buyer;ads|brand',
  'consideration;Actions;Reads three reviews;;',
  '3;Opportunities;"Offer a ""try before you buy"" week";;trial',
].join('\n');

const importDialog = (page: Page) => page.getByRole('dialog', { name: 'Import cards from CSV' });
const step = (dialog: Locator) => dialog.locator('.import-step-title');

async function openImport(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Map actions' }).click();
  await page.getByRole('menuitem', { name: 'Import cards from CSV…' }).click();
  const dialog = importDialog(page);
  await expect.poll(() => dialog.isVisible(), DEADLINE).toBe(true);
  return dialog;
}

async function chooseFile(dialog: Locator, name: string, text: string | Buffer) {
  await dialog
    .getByLabel(/^CSV file/)
    .setInputFiles({ name, mimeType: 'text/csv', buffer: typeof text === 'string' ? Buffer.from(text) : text });
  await dialog.getByRole('button', { name: 'Next' }).click();
}

describe('importing cards from CSV in the browser', () => {
  const bed = useBrowserBed();

  it('takes an owner through file, columns and preview, and the cards arrive live on another page', async () => {
    const map = await createMap(bed.running.url, { title: 'Checkout journey' });
    const owner = await openMapAs(bed.browser, map.links.owner, 'Alice');
    const editor = await openMapAs(bed.browser, map.links.editor, 'Bob');
    const page = owner.page;
    const before = await cardValues(editor.page);

    const dialog = await openImport(page);
    expect(await step(dialog).textContent()).toContain('Step 1 of 3');
    await chooseFile(dialog, 'workshop.csv', CSV);

    // Columns: the guesses chosen already, and the file's rows shown under its own headers.
    await expect.poll(() => step(dialog).textContent(), DEADLINE).toContain('Step 2 of 3');
    const select = (name: string) => dialog.getByRole('combobox', { name, exact: true });
    expect(await select('Stage').inputValue()).toBe('Phase');
    expect(await select('Lane').inputValue()).toBe('Swimlane');
    expect(await select('Card text').inputValue()).toBe('Note');
    expect(await select('Personas (optional)').inputValue()).toBe('Persona');
    expect(await select('Tags (optional)').inputValue()).toBe('Labels');
    expect(await dialog.textContent()).toContain('“workshop.csv” has 3 rows');
    const sample = dialog.getByRole('table', { name: "The file's first 3 rows" });
    expect(await sample.getByRole('row').nth(1).getByRole('cell').allTextContents()).toEqual([
      'Awareness',
      'Pain points',
      'Ads feel generic; not for us',
      'Evaluating buyer',
      'ads|brand',
    ]);
    expect(await sample.getByRole('columnheader').first().textContent()).toBe('PhaseStage');
    const report = await runAxe(page);
    expect(report.violations).toEqual([]);
    expect(await controlBorderProblems(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/card-import.png` });

    // Leaving Tags out, previewing, going back and putting it in again.
    await select('Tags (optional)').selectOption('');
    await dialog.getByRole('button', { name: 'Next' }).click();
    await expect
      .poll(() => dialog.locator('.import-count').textContent(), DEADLINE)
      .toBe('3 cards will be added to this map, for everyone, as one change.');
    const preview = dialog.getByRole('table', { name: 'The cards' });
    expect(await preview.getByRole('row').nth(1).getByRole('cell').allTextContents()).toEqual([
      '2',
      'Awareness',
      'Pain points',
      'Ads feel generic; not for us',
      'Evaluating buyer',
      '',
    ]);
    await dialog.getByRole('button', { name: 'Back' }).click();
    await expect.poll(() => step(dialog).textContent(), DEADLINE).toContain('Step 2 of 3');
    expect(await select('Stage').inputValue()).toBe('Phase');
    await select('Tags (optional)').selectOption('Labels');
    await dialog.getByRole('button', { name: 'Next' }).click();
    await expect
      .poll(() => preview.getByRole('row').nth(3).getByRole('cell').allTextContents(), DEADLINE)
      .toEqual(['4', 'Decision', 'Opportunities', 'Offer a "try before you buy" week', '', 'trial']);
    expect(await preview.getByRole('row').nth(1).getByRole('cell').last().textContent()).toBe('ads, brand');
    // Nothing is added before Import.
    expect(await cardValues(editor.page)).toEqual(before);

    await dialog.getByRole('button', { name: 'Import' }).click();
    await expect.poll(() => dialog.isVisible(), DEADLINE).toBe(false);
    await expect
      .poll(() => page.locator('.notice').last().textContent(), DEADLINE)
      .toContain('3 cards added. To undo, restore the ‘Before an import’ version in History.');
    await expect.poll(async () => (await cardValues(editor.page)).length, DEADLINE).toBe(before.length + 3);
    expect(await cardValues(editor.page)).toEqual(
      expect.arrayContaining(['Ads feel generic; not for us', 'Reads three reviews', 'Offer a "try before you buy" week']),
    );

    // Restoring that version is offered in History.
    await page.getByRole('button', { name: 'History' }).click();
    await expect.poll(() => page.getByRole('complementary', { name: 'History' }).textContent(), DEADLINE).toContain('Before an import');

    // An editor is offered the imports too, and nothing else of the owner's menu.
    await editor.page.getByRole('button', { name: 'Map actions' }).click();
    expect(await editor.page.getByRole('menuitem').allTextContents()).toEqual(['Import cards from CSV…', 'Import survey data…']);
    await editor.page.keyboard.press('Escape');

    expect(owner.problems).toEqual([]);
    expect(editor.problems).toEqual([]);
    await owner.context.close();
    await editor.context.close();
  });

  it('refuses a file over 5 MB before sending it, and a row the map cannot take in the server’s words, adding nothing', async () => {
    const map = await createMap(bed.running.url, { title: 'Renewal journey' });
    const owner = await openMapAs(bed.browser, map.links.owner, 'Alice');
    const page = owner.page;
    const before = await cardValues(page);
    const refusal = 'this file cannot be imported: row 3, column "Phase": no stage "Purchse" in this map';
    expectPageProblems(
      page,
      'the preview of a file with an unknown stage answers 400',
      (problem) => problem.includes('status of 400') && problem.includes(`/api/maps/${map.id}/cards/import`),
    );

    // With the keyboard: the menu opens on Enter; Escape closes the dialog.
    await page.getByRole('button', { name: 'Map actions' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('menuitem', { name: 'Import cards from CSV…' }).focus();
    await page.keyboard.press('Enter');
    const dialog = importDialog(page);
    await expect.poll(() => dialog.isVisible(), DEADLINE).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible(), DEADLINE).toBe(false);

    await openImport(page);
    await chooseFile(dialog, 'huge.csv', Buffer.alloc(5 * 1024 * 1024 + 1, 'a'));
    expect(await dialog.getByRole('alert').textContent()).toBe(
      '“huge.csv” is 5.0 MB; an import takes files of up to 5 MB. Split it into smaller files and import each.',
    );
    expect(await step(dialog).textContent()).toContain('Step 1 of 3');

    const wrong = ['Phase,Swimlane,Note', 'Awareness,Actions,Sees an ad', 'Purchse,Actions,Buys it'].join('\n');
    await chooseFile(dialog, 'typo.csv', wrong);
    await expect.poll(() => step(dialog).textContent(), DEADLINE).toContain('Step 2 of 3');
    await dialog.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent(), DEADLINE).toContain(refusal);
    expect(await step(dialog).textContent()).toContain('Step 3 of 3');
    expect(await dialog.getByRole('button', { name: 'Import' }).isDisabled()).toBe(true);

    // The dialog as the refusal leaves it, checked for accessibility.
    const report = await runAxe(page);
    expect(report.violations).toEqual([]);
    expect(await controlBorderProblems(page)).toEqual([]);

    await dialog.getByRole('button', { name: 'Back' }).click();
    await expect.poll(() => step(dialog).textContent(), DEADLINE).toContain('Step 2 of 3');
    await dialog.getByRole('button', { name: 'Back' }).click();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog.isVisible(), DEADLINE).toBe(false);

    const versions = await fetch(`${bed.running.url}/api/maps/${map.id}/versions`, {
      headers: { authorization: `Bearer ${tokenOf(map.links.owner)}` },
    });
    expect(((await versions.json()) as { kind: string }[]).map((version) => version.kind)).not.toContain('before-import');
    expect(await cardValues(page)).toEqual(before);
    // The one refused preview, and nothing else.
    expect(owner.problems).toEqual([expect.stringMatching(/status of 400 .*\/cards\/import\)$/)]);
    await owner.context.close();
  });

  it('offers a viewer no import', async () => {
    const map = await createMap(bed.running.url, { title: 'Support journey' });
    const viewer = await openMapAs(bed.browser, map.links.viewer, 'Viewer');
    expect(await viewer.page.getByRole('button', { name: 'Map actions' }).count()).toBe(0);
    expect(await viewer.page.getByText('Import cards from CSV').count()).toBe(0);
    expect(await importDialog(viewer.page).count()).toBe(0);
    expect(viewer.problems).toEqual([]);
    await viewer.context.close();
  });
});
