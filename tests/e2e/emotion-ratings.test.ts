import { addLane, addPersona, addStage, readEmotions } from '@waymark/model';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { controlBorderProblems, runAxe } from '../support/axe.js';
import { connect, createMap, synced, tokenOf, waitFor } from '../support/clients.js';
import { openMapAs, status } from '../support/map-pages.js';
import { useBrowserBed } from '../support/browser-bed.js';

/**
 * Emotions per person in a live workshop: each participant rates the stages for the persona,
 * the curve shows the mean and the range of their ratings, and the facilitator adopts the mean.
 */

const DEADLINE = { timeout: 8_000 };

const rateToggle = (page: Page) => page.getByRole('button', { name: 'Rate emotions' });
const ownRating = (page: Page, stage: string) => page.getByRole('combobox', { name: `Your rating for ${stage}`, exact: true });
const summaryAt = (page: Page, stage: string) => page.getByRole('img', { name: new RegExp(`^Ratings of Pat at ${stage}: `) });

async function openRatings(page: Page): Promise<void> {
  await rateToggle(page).click();
  await ownRating(page, 'Buy').waitFor();
}

describe('emotion ratings per person', () => {
  const bed = useBrowserBed();

  it('lets participants rate, shows the owner their mean and range, and makes the adopted mean everyone’s curve', async () => {
    const map = await createMap(bed.running.url, { template: 'blank' });
    const seeder = connect(bed.running.url, map.id, tokenOf(map.links.editor));
    onTestFinished(() => seeder.destroy());
    await synced(seeder);
    addStage(seeder.doc, { name: 'Research' });
    const buy = addStage(seeder.doc, { name: 'Buy' });
    addStage(seeder.doc, { name: 'Use' });
    addLane(seeder.doc, { title: 'Feeling', kind: 'emotions' });
    const personaId = addPersona(seeder.doc, { name: 'Pat' });
    const samId = addPersona(seeder.doc, { name: 'Sam' });
    const atBuy = () => readEmotions(seeder.doc).find((point) => point.personaId === personaId && point.stageId === buy);

    const owner = await openMapAs(bed.browser, map.links.owner, 'Alice');
    const ana = await openMapAs(bed.browser, map.links.participant, 'Bob');
    const ben = await openMapAs(bed.browser, map.links.participant, 'Cleo');
    const commenter = await openMapAs(bed.browser, map.links.commenter, 'Viewer');
    onTestFinished(async () => {
      for (const user of [owner, ana, ben, commenter]) await user.context.close();
    });

    // Both participants rate Buy: -3 and 0, a mean of -1.5. One gets there by keyboard: the
    // controls the toggle opens follow it in the tab order.
    await openRatings(ana.page);
    expect(await ownRating(ana.page, 'Buy').inputValue()).toBe('');
    await ownRating(ana.page, 'Buy').selectOption('-3');
    await rateToggle(ben.page).focus();
    await ben.page.keyboard.press('Enter');
    await ownRating(ben.page, 'Research').waitFor();
    const focused = (locator: Locator) => locator.evaluate((element) => element === document.activeElement);
    for (const control of [
      ben.page.getByRole('combobox', { name: 'Ratings for' }),
      ownRating(ben.page, 'Research'),
      ownRating(ben.page, 'Buy'),
    ]) {
      await ben.page.keyboard.press('Tab');
      expect(await focused(control)).toBe(true);
    }
    await ownRating(ben.page, 'Buy').selectOption('0');
    await waitFor(() => Object.keys(atBuy()?.participants ?? {}).length === 2, 'both ratings at the seeder');
    expect(Object.values(atBuy()!.participants).sort()).toEqual([-3, 0]);
    expect(atBuy()!.score).toBeNull();
    // Each sees their own rating in their own control, not the other's.
    expect(await ownRating(ana.page, 'Buy').inputValue()).toBe('-3');
    expect(await ownRating(ben.page, 'Buy').inputValue()).toBe('0');

    // The owner sees the mean and the range beside the curve, in words for a screen reader too.
    const said = 'Ratings of Pat at Buy: Mean −1.5 from 2 ratings, spread −3 to 0';
    await expect.poll(() => summaryAt(owner.page, 'Buy').getAttribute('aria-label'), DEADLINE).toBe(said);
    const range = await summaryAt(owner.page, 'Buy').locator('.range').boundingBox();
    const handle = await owner.page.getByRole('slider', { name: 'Pat at Buy', exact: true }).boundingBox();
    // The bar spans -3 to 0 (half the curve's height), and the unagreed point sits at the mean inside it.
    expect(range!.height).toBeGreaterThan(60);
    expect(handle!.y + handle!.height / 2).toBeGreaterThan(range!.y);
    expect(handle!.y + handle!.height / 2).toBeLessThan(range!.y + range!.height);
    await owner.page.screenshot({ path: '/tmp/waymark-emotion-ratings.png' });

    // The owner adopts the mean: -1.5 rounds away from neutral, to -2.
    await openRatings(owner.page);
    await expect
      .poll(() => owner.page.locator('.stage-rating').nth(1).locator('.rating-summary').textContent(), DEADLINE)
      .toBe('Mean −1.5 from 2 ratings, spread −3 to 0');
    const adopt = owner.page.getByRole('button', { name: 'Adopt mean −2 for Buy' });
    await owner.page.screenshot({ path: '/tmp/waymark-emotion-ratings-open.png' });
    const report = await runAxe(owner.page);
    expect(report.violations, `axe found WCAG AA violations:\n  ${report.violations.join('\n  ')}\n`).toEqual([]);
    expect(await controlBorderProblems(owner.page)).toEqual([]);
    await adopt.click();
    await waitFor(() => atBuy()?.score === -2, 'the agreed score at the seeder');
    await expect.poll(() => adopt.count(), DEADLINE).toBe(0);
    expect(await owner.page.getByRole('slider', { name: 'Pat at Buy', exact: true }).getAttribute('aria-valuenow')).toBe('-2');
    // Everyone's curve now goes through the agreed score, while the ratings stay beside it.
    for (const user of [ana, ben, commenter]) {
      await expect.poll(() => user.page.locator('.persona-curve .point title').allTextContents(), DEADLINE).toEqual(['Pat at Buy: −2']);
      expect(await summaryAt(user.page, 'Buy').getAttribute('aria-label')).toBe(said);
    }

    // On paper the ratings stay beside the curve, with their key, and the controls go.
    await owner.page.emulateMedia({ media: 'print' });
    expect(await summaryAt(owner.page, 'Buy').locator('.range').isVisible()).toBe(true);
    expect(await owner.page.getByText('range of ratings').isVisible()).toBe(true);
    expect(await rateToggle(owner.page).isVisible()).toBe(false);
    expect(await ownRating(owner.page, 'Buy').isVisible()).toBe(false);
    await owner.page.screenshot({ path: '/tmp/waymark-emotion-ratings-print.png' });
    await owner.page.emulateMedia({ media: 'screen' });

    // A commenter reads the ratings but has no way to give one.
    expect(await rateToggle(commenter.page).count()).toBe(0);
    expect(await commenter.page.getByRole('combobox', { name: /^Your rating for / }).count()).toBe(0);
    // Participants rate but do not adopt.
    expect(await ana.page.getByRole('button', { name: /^Adopt/ }).count()).toBe(0);

    // Clearing one's own rating takes it out of the mean.
    await ownRating(ben.page, 'Buy').selectOption('');
    await waitFor(() => Object.keys(atBuy()?.participants ?? {}).length === 1, 'one rating left at the seeder');
    await expect
      .poll(() => summaryAt(owner.page, 'Buy').getAttribute('aria-label'), DEADLINE)
      .toBe('Ratings of Pat at Buy: Mean −3 from 1 rating, all −3');

    // After a reload the page is a new client: the server keeps a rating to the client that gave
    // it, so the page shows it without offering to change it, and still lets a new one be given.
    await ana.page.reload();
    await waitFor(async () => (await status(ana.page).textContent()) === 'Connected', 'the reloaded page to connect');
    await openRatings(ana.page);
    await expect.poll(() => ownRating(ana.page, 'Buy').inputValue(), DEADLINE).toBe('-3');
    expect(await ownRating(ana.page, 'Buy').isDisabled()).toBe(true);
    expect(await ownRating(ana.page, 'Use').isDisabled()).toBe(false);
    await ownRating(ana.page, 'Use').selectOption('2');
    await waitFor(
      () => readEmotions(seeder.doc).some((point) => point.personaId === personaId && Object.values(point.participants).includes(2)),
      'the new rating at the seeder',
    );

    // With no persona chosen in the toolbar, each person picks whom they rate; the owner adopts
    // every stage's mean for that persona at once.
    await ana.page.getByRole('combobox', { name: 'Ratings for' }).selectOption({ label: 'Sam' });
    await ownRating(ana.page, 'Research').selectOption('1');
    await ownRating(ana.page, 'Buy').selectOption('-1');
    const sam = () =>
      Object.fromEntries(
        readEmotions(seeder.doc)
          .filter((point) => point.personaId === samId)
          .map((point) => [point.stageId, point]),
      );
    await waitFor(() => Object.keys(sam()).length === 2, 'the ratings for Sam at the seeder');
    await owner.page.getByRole('combobox', { name: 'Ratings for' }).selectOption({ label: 'Sam' });
    await owner.page.getByRole('button', { name: 'Adopt all means' }).click();
    await waitFor(
      () => sam()[buy]?.score === -1 && Object.values(sam()).every((point) => point.score !== null),
      'Sam’s agreed scores at the seeder',
    );
    expect(atBuy()!.score).toBe(-2);

    for (const user of [owner, ana, ben]) {
      const text = await user.page.locator('body').innerText();
      expect(text).not.toContain('Not saved');
      expect(text).not.toContain('Could not');
    }
  }, 90_000);
});
