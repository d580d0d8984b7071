import { addLane, addPersona, addStage } from '@waymark/model';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { controlBorderProblems, runAxe } from '../support/axe.js';
import { useBrowserBed } from '../support/browser-bed.js';
import type { CreatedMap } from '../support/clients.js';
import { openMapAs } from '../support/map-pages.js';
import { seedWorkshopMap } from '../support/workshop-pages.js';

/**
 * Customer data on the map: an editor enters figures by hand for two stages; a viewer sees them
 * in the stage headers with their trend, live, and the funnel with volume and drop-off. A value
 * per customer prices each stage's losses and a CSAT calibration prices a CSAT point, each with
 * its formula written out. The viewer reads everything and can change nothing; corrections and
 * deletions (asked first) reach everyone and undo.
 */

const DEADLINE = { timeout: 8_000 };

const seededMap = (url: string): Promise<CreatedMap> =>
  seedWorkshopMap(url, 'Checkout journey', (doc) => {
    addPersona(doc, { name: 'Busy parent', colour: '#f97316' });
    addStage(doc, { name: 'Awareness' });
    addStage(doc, { name: 'Checkout' });
    addLane(doc, { title: 'Pain points', kind: 'painPoints' });
  });

const clean = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();
/** The sentences of a stage header's figures, in order. */
const figures = (page: Page, stage: string) =>
  page
    .getByRole('list', { name: `Metrics at ${stage}` })
    .locator('.visually-hidden')
    .allTextContents()
    .catch(() => []);
const metricsDialog = (page: Page, stage: string) => page.getByRole('dialog', { name: `Stage metrics for ${stage}` });
const funnel = (page: Page) => page.getByRole('complementary', { name: 'Funnel' });
/** The funnel table's rows as text: stage, volume, drop-off, at stake. */
const funnelRows = (page: Page) =>
  funnel(page)
    .getByRole('table', { name: 'Volume, drop-off and revenue at stake by stage' })
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((row) => [...row.children].map((cell) => (cell as HTMLElement).innerText.replace(/\s+/g, ' ').trim())));
const impactOf = async (page: Page, stage: string) =>
  clean(
    await funnel(page)
      .locator('.impact-stage')
      .filter({ has: page.getByRole('heading', { name: stage, exact: true }) })
      .innerText(),
  );

/** Enters one measurement through the open dialog's form. */
async function enter(dialog: Locator, fields: { metric: string; value: string; date: string; target?: string; persona?: string }) {
  const form = dialog.getByRole('form', { name: /^New measurement for/ });
  await form.getByRole('combobox', { name: 'Metric' }).fill(fields.metric);
  await form.getByRole('spinbutton', { name: 'Value' }).fill(fields.value);
  await form.getByRole('spinbutton', { name: /^Target/ }).fill(fields.target ?? '');
  await form.getByLabel('Date').fill(fields.date);
  await form.getByRole('combobox', { name: 'For' }).selectOption({ label: fields.persona ?? 'All customers' });
  await form.getByRole('button', { name: 'Add measurement' }).click();
}

describe('stage metrics, the funnel and business impact', () => {
  const bed = useBrowserBed();

  it('shows hand-entered figures with their trend, the funnel and what each stage puts at stake', { timeout: 120_000 }, async () => {
    const map = await seededMap(bed.running.url);
    const ana = await openMapAs(bed.browser, map.links.editor, 'Ana');
    const vic = await openMapAs(bed.browser, map.links.viewer, 'Vic');
    try {
      // Before any figure, the viewer has nothing to open; the editor has the stage's metrics button.
      expect(await vic.page.getByRole('button', { name: 'Metrics for Awareness' }).count()).toBe(0);
      await ana.page.getByRole('button', { name: 'Metrics for Awareness' }).click();
      const awareness = metricsDialog(ana.page, 'Awareness');
      expect(await awareness.getByText('No figures for Awareness yet.').isVisible()).toBe(true);

      // A value off its metric's scale is refused with the model's words, and nothing is written.
      await enter(awareness, { metric: 'CSAT', value: '6', date: '2026-03-01' });
      await expect.poll(() => awareness.getByRole('alert').textContent(), DEADLINE).toBe('CSAT must be from 1 to 5');
      await enter(awareness, { metric: 'CSAT', value: '3.8', date: '2026-03-01' });
      await expect.poll(() => awareness.getByRole('alert').count(), DEADLINE).toBe(0);
      await enter(awareness, { metric: 'CSAT', value: '4.1', date: '2026-03-20', target: '4.5' });
      await enter(awareness, { metric: 'Volume', value: '12000', date: '2026-03-20' });
      await enter(awareness, { metric: 'Drop-off %', value: '30', date: '2026-03-20' });
      // The history lists each metric's measurements, newest first.
      await expect
        .poll(async () => clean(await awareness.getByRole('region', { name: 'CSAT · all customers' }).innerText()), DEADLINE)
        .toMatch(
          /^CSAT · all customers 2026-03-20 4\.1 target 4\.5 entered by hand Edit Delete 2026-03-01 3\.8 entered by hand Edit Delete$/,
        );
      await awareness.getByRole('button', { name: 'Close stage metrics' }).click();

      await ana.page.getByRole('button', { name: 'Metrics for Checkout' }).click();
      const checkout = metricsDialog(ana.page, 'Checkout');
      await enter(checkout, { metric: 'Volume', value: '8400', date: '2026-03-20' });
      await enter(checkout, { metric: 'Drop-off %', value: '45', date: '2026-03-20' });
      await enter(checkout, { metric: 'CSAT', value: '3.2', date: '2026-03-20' });
      await checkout.getByRole('button', { name: 'Done' }).click();

      // The viewer's stage headers show them live, with the trend and the target.
      await expect
        .poll(() => figures(vic.page, 'Awareness'), DEADLINE)
        .toEqual([
          'CSAT 4.1, up 0.3 since 2026-03-01, better, target 4.5 missed, measured 2026-03-20',
          'Drop-off % 30%, measured 2026-03-20',
          'Volume 12,000, measured 2026-03-20',
        ]);
      const csatFigure = vic.page.getByRole('list', { name: 'Metrics at Awareness' }).locator('li[data-metric="CSAT"]');
      expect((await csatFigure.locator('.figure-face').innerText()).replace(/\s+/g, '')).toBe('CSAT4.1▲✗');
      expect(await csatFigure.getAttribute('class')).toContain('better');
      expect(await figures(vic.page, 'Checkout')).toEqual([
        'CSAT 3.2, measured 2026-03-20',
        'Drop-off % 45%, measured 2026-03-20',
        'Volume 8,400, measured 2026-03-20',
      ]);

      // The funnel: volume and drop-off by stage in map order; nothing priced yet, and it says why.
      await vic.page.getByRole('button', { name: 'Funnel', exact: true }).click();
      await expect
        .poll(() => funnelRows(vic.page), DEADLINE)
        .toEqual([
          ['Awareness', '12,000', '30%', '— not computed'],
          ['Checkout', '8,400', '45%', '— not computed'],
        ]);
      expect(await impactOf(vic.page, 'Awareness')).toContain('Missing: value per customer.');

      // The editor prices a customer: each stage's revenue at stake, with its working, for everyone.
      await ana.page.getByRole('button', { name: 'Funnel', exact: true }).click();
      const settings = funnel(ana.page).getByRole('form', { name: 'Impact settings' });
      await settings.getByRole('spinbutton', { name: 'Value per customer' }).fill('40');
      await settings.getByRole('textbox', { name: 'Currency' }).fill('€');
      await settings.getByRole('button', { name: 'Save' }).click();
      await expect
        .poll(() => funnelRows(vic.page), DEADLINE)
        .toEqual([
          ['Awareness', '12,000', '30%', '€144,000'],
          ['Checkout', '8,400', '45%', '€151,200'],
        ]);
      expect(await impactOf(vic.page, 'Awareness')).toContain('Volume 12,000 × drop-off 30% × value per customer €40 = €144,000');
      expect(clean(await funnel(vic.page).locator('.funnel-costliest').textContent())).toBe(
        'Checkout puts the most revenue at stake: €151,200.',
      );

      // Calibration: a bad row is pointed out; two good levels price a CSAT point at each stage.
      const calibration = funnel(ana.page).getByRole('form', { name: 'CSAT calibration' });
      await calibration.getByRole('button', { name: 'Add CSAT level' }).click();
      await calibration.getByRole('spinbutton', { name: 'CSAT level, row 1' }).fill('2');
      await calibration.getByRole('spinbutton', { name: 'Revenue per customer, row 1' }).fill('60');
      await calibration.getByRole('button', { name: 'Add CSAT level' }).click();
      await calibration.getByRole('spinbutton', { name: 'CSAT level, row 2' }).fill('7');
      await calibration.getByRole('spinbutton', { name: 'Revenue per customer, row 2' }).fill('180');
      await calibration.getByRole('button', { name: 'Save calibration' }).click();
      expect(await calibration.getByText('CSAT must be from 1 to 5').isVisible()).toBe(true);
      expect(await calibration.getByRole('spinbutton', { name: 'CSAT level, row 2' }).getAttribute('aria-invalid')).toBe('true');
      await calibration.getByRole('spinbutton', { name: 'CSAT level, row 2' }).fill('4');
      await calibration.getByRole('button', { name: 'Save calibration' }).click();
      await expect
        .poll(() => impactOf(vic.page, 'Awareness'), DEADLINE)
        .toContain('€60 per customer per CSAT point (least-squares line through 2 levels) × volume 12,000 = €720,000');
      expect(await impactOf(vic.page, 'Awareness')).toMatch(/A one-point CSAT gain is worth €720,000/);
      expect(await impactOf(vic.page, 'Checkout')).toMatch(/A one-point CSAT gain is worth €504,000/);
      // A level given twice is pointed out too.
      await calibration.getByRole('button', { name: 'Add CSAT level' }).click();
      await calibration.getByRole('spinbutton', { name: 'CSAT level, row 3' }).fill('4');
      await calibration.getByRole('button', { name: 'Save calibration' }).click();
      expect(await calibration.getByText('CSAT 4 is already in row 2').isVisible()).toBe(true);
      // Dropping the draft brings back the saved levels.
      await calibration.getByRole('button', { name: 'Discard changes' }).click();
      expect(await calibration.getByRole('spinbutton', { name: /^CSAT level/ }).count()).toBe(2);
      // Levels pasted from a spreadsheet replace the draft, and are checked and saved like typed ones.
      const paste = funnel(ana.page).locator('details.calibration-paste');
      await paste.getByText('Paste from a spreadsheet').click();
      await paste
        .getByRole('textbox', { name: 'CSAT levels and revenue per customer, one level a line' })
        .fill('CSAT\tRevenue\n1\t€30\n5\t€150');
      await paste.getByRole('button', { name: 'Use these rows' }).click();
      expect(await calibration.getByRole('spinbutton', { name: 'Revenue per customer, row 2' }).inputValue()).toBe('150');
      await calibration.getByRole('button', { name: 'Save calibration' }).click();
      await expect
        .poll(() => impactOf(vic.page, 'Awareness'), DEADLINE)
        .toContain('€30 per customer per CSAT point (least-squares line through 2 levels) × volume 12,000 = €360,000');

      // The viewer reads all of it and has no way to change any of it.
      expect(await funnel(vic.page).getByRole('form').count()).toBe(0);
      expect(await funnel(vic.page).getByRole('spinbutton').count()).toBe(0);
      expect(clean(await funnel(vic.page).locator('.impact-settings-read').textContent())).toBe('Value per customer: €40.');
      await vic.page.screenshot({ path: '/tmp/stage-metrics-viewer.png' });
      const viewerReport = await runAxe(vic.page);
      expect(viewerReport.violations, `axe on the viewer's funnel:\n  ${viewerReport.violations.join('\n  ')}`).toEqual([]);
      await vic.page.getByRole('button', { name: 'Metrics for Awareness' }).click();
      const readOnly = metricsDialog(vic.page, 'Awareness');
      await expect.poll(() => readOnly.getByRole('region', { name: 'CSAT · all customers' }).isVisible(), DEADLINE).toBe(true);
      expect(await readOnly.getByRole('form').count()).toBe(0);
      expect(await readOnly.getByRole('button', { name: /^(Edit|Delete) / }).count()).toBe(0);
      const dialogReport = await runAxe(vic.page);
      expect(dialogReport.violations, `axe on the viewer's stage metrics:\n  ${dialogReport.violations.join('\n  ')}`).toEqual([]);
      await readOnly.getByRole('button', { name: 'Close stage metrics' }).click();

      // A correction reaches the viewer's header; a deletion asks first and undoes.
      await ana.page.getByRole('button', { name: 'Metrics for Awareness' }).click();
      await awareness.getByRole('button', { name: 'Edit CSAT of 2026-03-20' }).click();
      const correct = awareness.getByRole('form', { name: 'Correct CSAT of 2026-03-20' });
      await correct.getByRole('spinbutton', { name: 'Value' }).fill('4.6');
      await correct.getByRole('button', { name: 'Save' }).click();
      await expect
        .poll(async () => (await figures(vic.page, 'Awareness'))[0], DEADLINE)
        .toBe('CSAT 4.6, up 0.8 since 2026-03-01, better, target 4.5 met, measured 2026-03-20');
      const editorReport = await runAxe(ana.page);
      expect(editorReport.violations, `axe on the editor's stage metrics:\n  ${editorReport.violations.join('\n  ')}`).toEqual([]);
      expect(await controlBorderProblems(ana.page), 'faint borders in the stage metrics').toEqual([]);
      await ana.page.screenshot({ path: '/tmp/stage-metrics-editor.png' });

      await awareness.getByRole('button', { name: 'Delete CSAT of 2026-03-20' }).click();
      const confirm = ana.page.getByRole('dialog', { name: 'Delete this measurement?' });
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      expect((await figures(ana.page, 'Awareness'))[0]).toMatch(/^CSAT 4\.6,/);
      await awareness.getByRole('button', { name: 'Delete CSAT of 2026-03-20' }).click();
      await confirm.getByRole('button', { name: 'Delete' }).click();
      await expect.poll(async () => (await figures(vic.page, 'Awareness'))[0], DEADLINE).toBe('CSAT 3.8, measured 2026-03-01');
      await awareness.getByRole('button', { name: 'Close stage metrics' }).click();
      await ana.page.getByRole('toolbar', { name: 'Map tools' }).getByRole('button', { name: 'Undo' }).click();
      await expect.poll(async () => (await figures(vic.page, 'Awareness'))[0], DEADLINE).toMatch(/^CSAT 4\.6, up 0\.8/);

      // A persona's own figure wins in their view, marked as theirs; everyone's stays for the others.
      await ana.page.getByRole('button', { name: 'Metrics for Awareness' }).click();
      await enter(awareness, { metric: 'CSAT', value: '2.9', date: '2026-03-21', persona: 'Busy parent' });
      await awareness.getByRole('button', { name: 'Close stage metrics' }).click();
      await vic.page.getByRole('combobox', { name: 'Show persona' }).selectOption({ label: 'Busy parent' });
      await expect
        .poll(async () => (await figures(vic.page, 'Awareness'))[0], DEADLINE)
        .toBe('CSAT 2.9, for Busy parent, measured 2026-03-21');
      expect((await figures(vic.page, 'Awareness'))[2]).toBe('Volume 12,000, measured 2026-03-20');
      await vic.page.getByRole('combobox', { name: 'Show persona' }).selectOption({ label: 'All personas' });
      await expect.poll(async () => (await figures(vic.page, 'Awareness'))[0], DEADLINE).toMatch(/^CSAT 4\.6,/);
    } finally {
      await ana.context.close();
      await vic.context.close();
    }
  });
});
