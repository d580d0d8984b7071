import { readFile } from 'node:fs/promises';
import { addAction, addCard, addLane, addStage } from '@waymark/model';
import type { Download, Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { controlBorderProblems, runAxe } from '../support/axe.js';
import { useBrowserBed } from '../support/browser-bed.js';
import type { CreatedMap } from '../support/clients.js';
import { cell, openMapAs } from '../support/map-pages.js';
import { seedWorkshopMap } from '../support/workshop-pages.js';

/**
 * The action plan: an editor makes an action from a pain point in one step and gives it an owner,
 * a department and a date already past; a viewer sees it on the board, marked overdue, without
 * any control to change it, and narrows the board by department. Done, it is no longer overdue;
 * the card counts its actions; deleting one asks first.
 */

const DEADLINE = { timeout: 8_000 };
const PAIN = 'Card fees surprise people at checkout';

const seededMap = (url: string): Promise<CreatedMap> =>
  seedWorkshopMap(url, 'Checkout journey', (doc) => {
    // The action first: the seed is known to have arrived once the cards have, which come after it.
    addAction(doc, { title: 'Publish fees on the product page', department: 'Payments' });
    const pay = addStage(doc, { name: 'Pay' });
    const pains = addLane(doc, { title: 'Pain points', kind: 'painPoints' });
    addCard(doc, { stageId: pay, laneId: pains, text: `${PAIN}\nseen in 4 of 6 interviews` });
  });

const panel = (page: Page) => page.getByRole('complementary', { name: 'Action plan' });
const column = (page: Page, name: string) => panel(page).getByRole('region', { name: new RegExp(`^${name} \\(\\d+\\)$`) });
const titlesIn = (scope: Locator) => scope.getByRole('heading', { level: 4 }).allTextContents();
const item = (page: Page, title: string) =>
  panel(page)
    .locator('li.action-item')
    .filter({ has: page.getByRole('heading', { name: title }) });

/** Clicks a download button of the plan; the file's name and text. */
async function downloaded(page: Page, button: string): Promise<{ name: string; text: string }> {
  const [download] = (await Promise.all([page.waitForEvent('download'), panel(page).getByRole('button', { name: button }).click()])) as [
    Download,
    unknown,
  ];
  return { name: download.suggestedFilename(), text: await readFile(await download.path(), 'utf8') };
}
const painCard = (page: Page) => cell(page, 'Pay', 'Pain points').getByRole('article');

describe('the action plan', () => {
  const bed = useBrowserBed();

  it('takes a pain point to an owned, dated action that everyone sees on the board', { timeout: 90_000 }, async () => {
    const map = await seededMap(bed.running.url);
    const ana = await openMapAs(bed.browser, map.links.editor, 'Ana');
    const vic = await openMapAs(bed.browser, map.links.viewer, 'Vic');
    try {
      // One step from the card: the plan opens on the new action, titled by the card's first line, ready to edit.
      await painCard(ana.page).getByRole('button', { name: 'Card details' }).click();
      const details = ana.page.getByRole('complementary', { name: 'Card details' });
      expect(await details.getByText('No actions answer this card yet.').isVisible()).toBe(true);
      await details.getByRole('button', { name: 'Create an action for this card' }).click();
      const form = panel(ana.page).getByRole('form', { name: `Edit ${PAIN}` });
      await expect.poll(() => form.isVisible(), DEADLINE).toBe(true);
      const title = form.getByRole('textbox', { name: 'Title' });
      expect(await title.inputValue()).toBe(PAIN);
      expect(await title.evaluate((field) => field === document.activeElement)).toBe(true);
      await form.getByRole('combobox', { name: 'Owner' }).fill('Ben Okafor');
      await form.getByRole('combobox', { name: 'Department' }).fill('Support');
      await form.getByLabel('Due date').fill('2020-03-31');
      await form.getByRole('textbox', { name: 'KPI target' }).fill('Checkout CSAT ≥ 4.2');
      await form.getByRole('button', { name: 'Save' }).click();
      await expect.poll(() => titlesIn(column(ana.page, 'Idea')), DEADLINE).toEqual(['Publish fees on the product page', PAIN]);

      // The viewer sees it, overdue and owned; the seeded action stands out as unowned; nothing can be changed.
      await vic.page.getByRole('button', { name: 'Action plan' }).click();
      await expect.poll(() => titlesIn(column(vic.page, 'Idea')), DEADLINE).toEqual(['Publish fees on the product page', PAIN]);
      const mine = item(vic.page, PAIN);
      await expect.poll(() => mine.textContent(), DEADLINE).toContain('Overdue');
      expect(await mine.textContent()).toContain('Ben Okafor');
      expect(await mine.textContent()).toContain('31 Mar 2020');
      expect(await mine.textContent()).toContain('Checkout CSAT ≥ 4.2');
      expect(await mine.getByRole('list', { name: 'Cards it answers' }).textContent()).toContain(PAIN);
      expect(await mine.textContent()).not.toContain('Unowned');
      const seeded = item(vic.page, 'Publish fees on the product page');
      expect(await seeded.textContent()).toContain('Unowned');
      expect(await seeded.textContent()).not.toContain('Overdue');
      expect(await column(vic.page, 'Idea').getByRole('heading', { level: 3 }).textContent()).toBe('Idea (2)');
      expect(
        await panel(vic.page)
          .getByRole('button', { name: /New action|Edit|Delete/ })
          .count(),
      ).toBe(0);
      expect(
        await panel(vic.page)
          .getByRole('combobox', { name: /^Status of/ })
          .count(),
      ).toBe(0);

      await vic.page.screenshot({ path: '/tmp/action-plan-viewer.png' });
      const report = await runAxe(vic.page);
      expect(report.violations, `axe on the viewer's action plan:\n  ${report.violations.join('\n  ')}`).toEqual([]);

      // Filters narrow the board by department (and owner), and All brings everything back.
      const department = panel(vic.page).getByRole('combobox', { name: 'Department' });
      await department.selectOption({ label: 'Support' });
      await expect.poll(() => titlesIn(panel(vic.page)), DEADLINE).toEqual([PAIN]);
      await department.selectOption({ label: 'Payments' });
      await expect.poll(() => titlesIn(panel(vic.page)), DEADLINE).toEqual(['Publish fees on the product page']);
      await department.selectOption({ label: 'All' });
      await panel(vic.page).getByRole('combobox', { name: 'Owner' }).selectOption({ label: 'Unowned' });
      await expect.poll(() => titlesIn(panel(vic.page)), DEADLINE).toEqual(['Publish fees on the product page']);
      await panel(vic.page).getByRole('combobox', { name: 'Owner' }).selectOption({ label: 'All' });
      await expect.poll(() => titlesIn(panel(vic.page)), DEADLINE).toHaveLength(2);

      // Any link downloads the plan, as CSV and as Markdown.
      const csv = await downloaded(vic.page, 'Download CSV');
      expect(csv.name).toMatch(/\.csv$/);
      expect(csv.text).toContain('Ben Okafor');
      expect(csv.text).toContain('2020-03-31');
      const markdown = await downloaded(vic.page, 'Download Markdown');
      expect(markdown.name).toMatch(/\.md$/);
      expect(markdown.text).toContain(PAIN);

      // The card counts its action, for everyone.
      for (const user of [ana, vic]) {
        await expect.poll(() => painCard(user.page).locator('.card-action-count').textContent(), DEADLINE).toBe('1 action');
      }

      // A new action from the board, then done from the keyboard's select: it moves column and is no longer overdue.
      await panel(ana.page).getByRole('button', { name: 'New action' }).click();
      const fresh = panel(ana.page).getByRole('form', { name: 'New action' });
      await fresh.getByRole('textbox', { name: 'Title' }).fill('Train support on fee questions');
      await fresh.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Planned' });
      await fresh.getByRole('button', { name: 'Add action' }).click();
      await expect.poll(() => titlesIn(column(vic.page, 'Planned')), DEADLINE).toEqual(['Train support on fee questions']);

      await panel(ana.page)
        .getByRole('combobox', { name: `Status of ${PAIN}` })
        .selectOption({ label: 'Done' });
      await expect.poll(() => titlesIn(column(vic.page, 'Done')), DEADLINE).toEqual([PAIN]);
      expect(await titlesIn(column(vic.page, 'Idea'))).toEqual(['Publish fees on the product page']);
      expect(await item(vic.page, PAIN).textContent()).not.toContain('Overdue');
      const editorReport = await runAxe(ana.page);
      expect(editorReport.violations, `axe on the editor's action plan:\n  ${editorReport.violations.join('\n  ')}`).toEqual([]);
      expect(await controlBorderProblems(ana.page), 'faint borders on the action plan').toEqual([]);
      await ana.page.screenshot({ path: '/tmp/action-plan-done.png' });

      // Deleting asks first; cancelling keeps it.
      await panel(ana.page).getByRole('button', { name: 'Delete Publish fees on the product page' }).click();
      const confirm = ana.page.getByRole('dialog', { name: 'Delete this action?' });
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      expect(await titlesIn(column(ana.page, 'Idea'))).toEqual(['Publish fees on the product page']);
      await panel(ana.page).getByRole('button', { name: 'Delete Publish fees on the product page' }).click();
      await confirm.getByRole('button', { name: 'Delete' }).click();
      await expect.poll(() => titlesIn(column(ana.page, 'Idea')), DEADLINE).toEqual([]);
      await expect.poll(() => titlesIn(column(vic.page, 'Idea')), DEADLINE).toEqual([]);
      // Like any edit of one's own, it undoes.
      await ana.page.getByRole('toolbar', { name: 'Map tools' }).getByRole('button', { name: 'Undo' }).click();
      await expect.poll(() => titlesIn(column(vic.page, 'Idea')), DEADLINE).toEqual(['Publish fees on the product page']);

      // The card's details list its actions with their status.
      await painCard(ana.page).getByRole('button', { name: 'Card details' }).click();
      await expect
        .poll(() => details.getByRole('list', { name: 'Actions for this card' }).textContent(), DEADLINE)
        .toMatch(new RegExp(`${PAIN}\\s*· Done`));
    } finally {
      await ana.context.close();
      await vic.context.close();
    }
  });
});
