import { readFile } from 'node:fs/promises';
import { addCard, addLane, addStage } from '@waymark/model';
import type { Download, Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { controlBorderProblems, runAxe } from '../support/axe.js';
import { useBrowserBed } from '../support/browser-bed.js';
import type { CreatedMap } from '../support/clients.js';
import { openMapAs, type MapUser } from '../support/map-pages.js';
import { seedWorkshopMap, workshopBar, workshopBarText, takeFacilitatorSeat } from '../support/workshop-pages.js';

/**
 * The workshop summary in the app: a facilitator runs a two-item agenda with a dot vote and a
 * parked topic; then the bar says the agenda is finished, and anyone with a link opens the
 * summary (the agenda as run, the round results, the parking lot) and downloads it as Markdown
 * and PDF.
 */

const DEADLINE = { timeout: 8_000 };

/** Two stages and a pain point lane with a card in each stage. */
const seededMap = (url: string): Promise<CreatedMap> =>
  seedWorkshopMap(url, 'Checkout workshop', (doc) => {
    const awareness = addStage(doc, { name: 'Awareness' });
    const purchase = addStage(doc, { name: 'Purchase' });
    const pains = addLane(doc, { title: 'Pain points', kind: 'painPoints' });
    addCard(doc, { stageId: awareness, laneId: pains, text: 'Slow checkout' });
    addCard(doc, { stageId: purchase, laneId: pains, text: 'Hidden fees' });
  });

const bar = workshopBar;
const barText = workshopBarText;
const summaryDialog = (page: Page) => page.getByRole('dialog', { name: 'Workshop summary' });
const words = async (scope: Locator) => ((await scope.textContent()) ?? '').replace(/\s+/g, ' ').trim();
/** The agenda table's rows as their cells' words. */
const agendaRows = (dialog: Locator) =>
  dialog
    .getByRole('table', { name: 'Agenda as run' })
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((row) => [...row.querySelectorAll('th, td')].map((cell) => (cell.textContent ?? '').replace(/\s+/g, ' ').trim())),
    );

async function downloaded(page: Page, button: string): Promise<{ name: string; bytes: Buffer }> {
  const [download] = (await Promise.all([
    page.waitForEvent('download'),
    summaryDialog(page).getByRole('button', { name: button }).click(),
  ])) as [Download, unknown];
  return { name: download.suggestedFilename(), bytes: await readFile(await download.path()) };
}

describe('the workshop summary', () => {
  const bed = useBrowserBed();

  it('shows everyone what the session did once the agenda is finished, and downloads it', { timeout: 120_000 }, async () => {
    const map = await seededMap(bed.running.url);
    const users: MapUser[] = [];
    try {
      const fay = await openMapAs(bed.browser, map.links.editor, 'Fay');
      const ana = await openMapAs(bed.browser, map.links.participant, 'Ana');
      const bo = await openMapAs(bed.browser, map.links.participant, 'Bo');
      users.push(fay, ana, bo);

      const panel = await takeFacilitatorSeat(fay.page);
      await expect.poll(() => panel.getByRole('button', { name: 'Leave the seat' }).count(), DEADLINE).toBe(1);
      await panel.getByRole('button', { name: 'Add item' }).click();
      await fay.page.keyboard.type('Pain points');
      await panel.getByRole('spinbutton', { name: 'Item 1 Minutes' }).fill('10');
      await panel.getByRole('button', { name: 'Add item' }).click();
      await panel.getByRole('textbox', { name: 'Item 2 Title' }).fill('Wrap up');
      await panel.getByRole('spinbutton', { name: 'Item 2 Minutes' }).fill('5');
      await panel.getByRole('button', { name: 'Save agenda' }).click();
      await expect.poll(() => barText(ana.page), DEADLINE).toContain('Agenda of 2 not started');
      await panel.getByRole('button', { name: 'Start', exact: true }).click();
      await expect.poll(() => barText(ana.page), DEADLINE).toContain('1 of 2: Pain points');

      // A dot vote in the first item: Ana puts both her dots on one card, Bo one on each.
      const rounds = panel.getByRole('region', { name: 'Rounds' });
      await rounds.getByRole('spinbutton', { name: 'Votes per person' }).fill('2');
      await rounds.getByRole('button', { name: 'Start dot vote' }).click();
      await expect.poll(() => barText(bo.page), DEADLINE).toContain('2 of 2 votes left');
      await expect.poll(() => barText(ana.page), DEADLINE).toContain('2 of 2 votes left');
      await ana.page.getByRole('button', { name: 'Vote for Slow checkout' }).click();
      await ana.page.getByRole('button', { name: 'Vote for Slow checkout' }).click();
      await bo.page.getByRole('button', { name: 'Vote for Slow checkout' }).click();
      await bo.page.getByRole('button', { name: 'Vote for Hidden fees' }).click();
      await expect.poll(() => barText(fay.page), DEADLINE).toContain('Dot vote: 2 people have voted');
      await rounds.getByRole('button', { name: 'Reveal' }).click();
      await expect.poll(() => barText(ana.page), DEADLINE).not.toContain('Dot vote');

      // The second item; Bo parks a topic meanwhile.
      await panel.getByRole('button', { name: 'Next' }).click();
      await expect.poll(() => barText(bo.page), DEADLINE).toContain('2 of 2: Wrap up');
      await bar(bo.page)
        .getByRole('button', { name: /^Parking lot/ })
        .click();
      const lot = bo.page.getByRole('dialog', { name: 'Parking lot' });
      await lot.getByRole('textbox', { name: 'Park a topic' }).fill('Pricing page copy');
      await lot.getByRole('button', { name: 'Park it' }).click();
      await expect.poll(() => lot.locator('.parking-text').allTextContents(), DEADLINE).toEqual(['Pricing page copy']);
      await lot.getByRole('button', { name: 'Close' }).click();

      // The last "Next" ends the agenda: the bar says so, for everyone, and offers the summary.
      await panel.getByRole('button', { name: 'Next' }).click();
      for (const user of users) {
        await expect.poll(() => barText(user.page), DEADLINE).toContain('Agenda finished');
        expect(await barText(user.page)).not.toContain('not started');
      }

      const summaryButton = bar(ana.page).getByRole('button', { name: 'Workshop summary' });
      await summaryButton.click();
      const dialog = summaryDialog(ana.page);
      await expect.poll(() => dialog.isVisible(), DEADLINE).toBe(true);
      // The keyboard starts at the top of a long summary.
      expect(await ana.page.evaluate(() => document.activeElement?.id)).toBe('summary-title');
      const results = dialog.getByRole('listitem').filter({ hasText: 'Slow checkout' });
      await expect.poll(() => results.count(), DEADLINE).toBe(1);
      expect(await words(results)).toMatch(/^3 votes: Slow checkout Awareness \/ Pain points; voted for by (Ana \(2\), Bo|Bo, Ana \(2\))$/);
      expect(await words(dialog.getByRole('listitem').filter({ hasText: 'Hidden fees' }))).toMatch(/^1 vote: Hidden fees/);
      expect(await dialog.getByRole('heading', { level: 4 }).allTextContents()).toContain('Dot vote on pain points: 2 people voted');
      const agenda = await agendaRows(dialog);
      expect(agenda.map((row) => [row[0], row[1]])).toEqual([
        ['1. Pain points', '10 min'],
        ['2. Wrap up', '5 min'],
      ]);
      // Both items were run for well under their timebox.
      for (const row of agenda) expect(row.slice(2)).toEqual([expect.stringMatching(/^\d+ min$/), expect.stringMatching(/min under$/)]);
      expect(await words(dialog.getByRole('listitem').filter({ hasText: 'Pricing page copy' }))).toMatch(
        /^Pricing page copy Parked by Bo at \d\d:\d\d$/,
      );
      expect(await words(dialog)).toContain('Facilitated by Fay.');

      const report = await runAxe(ana.page);
      expect(report.violations, `axe on the workshop summary:\n  ${report.violations.join('\n  ')}`).toEqual([]);
      expect(await controlBorderProblems(ana.page), 'faint borders on the workshop summary').toEqual([]);
      await ana.page.screenshot({ path: '/tmp/workshop-summary.png' });

      const pdf = await downloaded(ana.page, 'Download PDF');
      expect(pdf.name).toBe('checkout-workshop-workshop-summary.pdf');
      expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const markdown = await downloaded(ana.page, 'Download Markdown');
      const text = markdown.bytes.toString('utf8');
      for (const part of [
        '# Workshop summary: Checkout workshop',
        '## Agenda as run',
        '## Round results',
        '3 votes: Slow checkout',
        '## Parking lot',
        '- Pricing page copy (Bo)',
      ]) {
        expect(text).toContain(part);
      }

      // Escape closes it and gives the keyboard back to the button that opened it.
      await ana.page.keyboard.press('Escape');
      await expect.poll(() => dialog.isVisible(), DEADLINE).toBe(false);
      expect(await summaryButton.evaluate((button) => button === document.activeElement)).toBe(true);

      // The facilitator's panel opens it too; Refresh fetches it again.
      await panel.getByRole('button', { name: 'Workshop summary' }).click();
      const faySummary = summaryDialog(fay.page);
      await expect.poll(() => faySummary.getByRole('listitem').filter({ hasText: 'Slow checkout' }).count(), DEADLINE).toBe(1);
      await faySummary.getByRole('button', { name: 'Refresh' }).click();
      await expect.poll(() => faySummary.getByRole('status').textContent(), DEADLINE).toMatch(/Fetched at \d\d:\d\d/);
      await faySummary.getByRole('button', { name: 'Close workshop summary' }).click();
      await expect.poll(() => faySummary.isVisible(), DEADLINE).toBe(false);

      // So does someone with a viewer link, after the facilitator has left the seat.
      await panel.getByRole('button', { name: 'Leave the seat' }).click();
      const vic = await openMapAs(bed.browser, map.links.viewer, 'Vic');
      users.push(vic);
      await expect.poll(() => barText(vic.page), DEADLINE).toBe('Agenda finished Workshop summary');
      await bar(vic.page).getByRole('button', { name: 'Workshop summary' }).click();
      await expect
        .poll(() => summaryDialog(vic.page).getByRole('listitem').filter({ hasText: 'Pricing page copy' }).count(), DEADLINE)
        .toBe(1);

      for (const user of users) expect(user.problems).toEqual([]);
    } finally {
      for (const user of users) await user.context.close();
    }
  });
});
