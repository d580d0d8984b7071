import { addCard, addLane, addPersona, addStage, readMap, readRounds } from '@waymark/model';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { runAxe } from '../support/axe.js';
import { useBrowserBed } from '../support/browser-bed.js';
import { connect, tokenOf, waitFor, type CreatedMap } from '../support/clients.js';
import { openMapAs } from '../support/map-pages.js';
import { call, json, SEAT, type Caller } from '../support/workshop-calls.js';
import { seedWorkshopMap } from '../support/workshop-pages.js';

/**
 * Prioritisation, live in two browsers: an editor judges a pain point's impact and effort, then
 * changes a weight; a participant's ranked list reorders each time. A dot vote revealed through the
 * workshop routes moves the most-voted card to the top, and "Why?" says the votes did it, with
 * the formula in view throughout.
 *
 * With the default weights (impact 3, ease 2, emotion 2, reach 1, confidence 1, votes 2, business 2)
 * and no curve, metrics or votes, every card is "assumed" (confidence 0.25):
 *   Slow checkout    impact 4, effort 4           100 × (3×0.75 + 2×0.25 + 0.25) ÷ 13 = 23.1
 *   Confusing signup not judged (counts as 3, 3)  100 × (3×0.5 + 2×0.5 + 0.25) ÷ 13 = 21.2
 *   Hidden fees      impact 2, effort 2           100 × (3×0.25 + 2×0.75 + 0.25) ÷ 13 = 19.2
 *   Offer chat       impact 1, effort 1           100 × (0 + 2×1 + 0.25) ÷ 13 = 17.3
 */

const DEADLINE = { timeout: 8_000 };

const seededMap = (url: string): Promise<CreatedMap> =>
  seedWorkshopMap(url, 'Checkout priorities', (doc) => {
    const awareness = addStage(doc, { name: 'Awareness' });
    const purchase = addStage(doc, { name: 'Purchase' });
    const pains = addLane(doc, { title: 'Pain points', kind: 'painPoints' });
    const chances = addLane(doc, { title: 'Opportunities', kind: 'opportunities' });
    addLane(doc, { title: 'Touchpoints', kind: 'touchpoints' });
    addPersona(doc, { name: 'Buyer', colour: '#0ea5e9' });
    const admin = addPersona(doc, { name: 'Admin', colour: '#f97316' });
    addCard(doc, { stageId: awareness, laneId: pains, text: 'Confusing signup' });
    addCard(doc, { stageId: purchase, laneId: pains, text: 'Slow checkout', impact: 4, effort: 4 });
    addCard(doc, { stageId: purchase, laneId: pains, text: 'Hidden fees', impact: 2, effort: 2 });
    addCard(doc, { stageId: purchase, laneId: chances, text: 'Offer chat', impact: 1, effort: 1, personaIds: [admin] });
  });

const panel = (page: Page) => page.getByRole('complementary', { name: 'Priorities' });
const entry = (page: Page, text: string) => panel(page).locator('li.priority-entry').filter({ hasText: text });

/** The ranked list as shown: "text score" per row, best first. */
const rankedList = (page: Page) =>
  panel(page)
    .locator('li.priority-entry')
    .evaluateAll((rows) =>
      rows.map((row) => {
        const text = row.querySelector('.priority-card')?.textContent?.replace(/^Rank \d+: /, '') ?? '';
        return `${text.trim()} ${row.querySelector('.priority-score')?.textContent?.trim() ?? ''}`;
      }),
    );

const formula = async (page: Page) => ((await panel(page).locator('.formula-text').innerText()) ?? '').replace(/\s+/g, ' ');

async function openPriorities(page: Page) {
  await page.getByRole('button', { name: 'Priorities', exact: true }).click();
  await panel(page).getByRole('heading', { name: 'Priorities' }).waitFor();
}

/** A dot vote on the pain points, run over HTTP: the editor takes the seat, two participants vote, the facilitator reveals. */
async function runDotVote(url: string, map: CreatedMap, ballots: Record<string, string[]>): Promise<void> {
  const facilitator: Caller = { token: tokenOf(map.links.editor), seat: SEAT };
  await json(await call(url, map, '/workshop/seat', facilitator, { body: { seat: SEAT, name: 'Fay' } }), 200);
  const opened = await json<{ id: string }>(
    await call(url, map, '/rounds', facilitator, {
      body: { kind: 'vote', scope: { kind: 'laneKind', laneKind: 'painPoints' }, votesPerPerson: 3 },
    }),
    201,
  );
  const reader = connect(url, map.id, tokenOf(map.links.viewer));
  try {
    await waitFor(() => readMap(reader.doc).cards.length === 4, 'the cards to reach the reader');
    const idOf = (text: string) => readMap(reader.doc).cards.find((card) => card.text === text)!.id;
    let voter = 0;
    for (const [person, texts] of Object.entries(ballots)) {
      const caller: Caller = { token: tokenOf(map.links.participant), voter: `voter-${person.toLowerCase()}-${++voter}000`, person };
      await json(await call(url, map, `/rounds/${opened.id}/ballot`, caller, { method: 'PUT', body: { cardIds: texts.map(idOf) } }), 200);
    }
    await json(await call(url, map, `/rounds/${opened.id}/reveal`, facilitator, { body: {} }), 200);
    await waitFor(() => readRounds(reader.doc).results.length === 1, 'the revealed result in the document');
  } finally {
    reader.destroy();
  }
}

describe('prioritisation', () => {
  const bed = useBrowserBed();

  it('reorders the ranked list live on another page when impact, a weight or a revealed vote changes', { timeout: 120_000 }, async () => {
    const map = await seededMap(bed.running.url);
    const ana = await openMapAs(bed.browser, map.links.editor, 'Ana');
    const bo = await openMapAs(bed.browser, map.links.participant, 'Bo');
    try {
      await openPriorities(bo.page);
      // The formula is on screen, with the map's weights and how each factor is read.
      expect(await formula(bo.page)).toBe(
        'Score = 100 × (3 × impact + 2 × ease (low effort) + 2 × emotional intensity + 1 × reach + 1 × confidence + 2 × votes + 2 × business impact) ÷ 13, each factor from 0 to 1',
      );
      expect(await panel(bo.page).getByText('its latest dot-vote total ÷ the most any card got').isVisible()).toBe(true);
      await expect
        .poll(() => rankedList(bo.page), DEADLINE)
        .toEqual(['Slow checkout 23.1', 'Confusing signup 21.2', 'Hidden fees 19.2', 'Offer chat 17.3']);
      // A participant sees the weights but does not set them.
      expect(await panel(bo.page).getByRole('combobox', { name: 'Impact', exact: true }).count()).toBe(0);
      expect(await panel(bo.page).locator('.weight-list').innerText()).toMatch(/Impact\s+3/);
      // The matrix: a dot per judged card, named for it; the card without judgements listed apart.
      const dot = panel(bo.page).getByRole('button', { name: /^Rank 4: Offer chat\. Impact 1, effort 1, fill-ins, score 17\.3$/ });
      expect(await dot.count()).toBe(1);
      expect(await panel(bo.page).getByText('Not scored yet: 1').isVisible()).toBe(true);

      // Ana judges "Hidden fees" from its details (reached from the ranked list): high impact, low effort.
      await openPriorities(ana.page);
      await entry(ana.page, 'Hidden fees')
        .getByRole('button', { name: /Hidden fees/ })
        .click();
      const details = ana.page.getByRole('complementary', { name: 'Card details' });
      const impact = details.getByRole('group', { name: 'Impact' });
      expect(await impact.getByRole('radio', { name: '2', exact: true }).isChecked()).toBe(true);
      await impact.getByRole('radio', { name: '5', exact: true }).check();
      // 100 × (3×1 + 2×0.75 + 0.25) ÷ 13 = 36.5
      await expect.poll(() => details.locator('.card-score').innerText(), DEADLINE).toMatch(/Score 36\.5 · #1 of 4/);
      await expect
        .poll(() => rankedList(bo.page), DEADLINE)
        .toEqual(['Hidden fees 36.5', 'Slow checkout 23.1', 'Confusing signup 21.2', 'Offer chat 17.3']);
      // Undo takes the judgement back, for everyone.
      await ana.page.getByRole('button', { name: 'Undo' }).click();
      await expect
        .poll(() => rankedList(bo.page), DEADLINE)
        .toEqual(['Slow checkout 23.1', 'Confusing signup 21.2', 'Hidden fees 19.2', 'Offer chat 17.3']);
      await ana.page.getByRole('button', { name: 'Redo' }).click();
      await expect
        .poll(() => rankedList(bo.page), DEADLINE)
        .toEqual(['Hidden fees 36.5', 'Slow checkout 23.1', 'Confusing signup 21.2', 'Offer chat 17.3']);

      // Ana stops counting impact: ease now leads, and Bo's list follows.
      await details.getByRole('button', { name: 'See all priorities' }).click();
      await panel(ana.page).getByRole('combobox', { name: 'Impact', exact: true }).selectOption('0');
      // Σ weights 10: Offer chat 100 × (2×1 + 0.25) ÷ 10; Hidden fees (2×0.75 + 0.25); signup (2×0.5 + 0.25); Slow checkout (2×0.25 + 0.25).
      await expect
        .poll(() => rankedList(bo.page), DEADLINE)
        .toEqual(['Offer chat 22.5', 'Hidden fees 17.5', 'Confusing signup 12.5', 'Slow checkout 7.5']);
      await expect.poll(() => formula(bo.page), DEADLINE).toMatch(/^Score = 100 × \(2 × ease \(low effort\) .*\) ÷ 10,/);

      // A dot vote: Slow checkout gets 3 votes, the signup 1. Votes ÷ the top 3, weight 2 of 10.
      await runDotVote(bed.running.url, map, { Cy: ['Slow checkout', 'Slow checkout', 'Confusing signup'], Di: ['Slow checkout'] });
      await expect
        .poll(() => rankedList(bo.page), DEADLINE)
        .toEqual(['Slow checkout 27.5', 'Offer chat 22.5', 'Confusing signup 19.2', 'Hidden fees 17.5']);
      // "Why is this first?": the breakdown names the votes.
      const why = entry(bo.page, 'Slow checkout').locator('details.priority-why');
      await why.locator('summary').click();
      await why.locator('.score-breakdown').waitFor();
      const reasons = (await why.innerText()).replace(/\s+/g, ' ');
      expect(reasons).toContain('Votes: 3 votes of the top 3 → 20 points (weight 2)');
      expect(reasons).toContain('Ease (low effort): effort 4 of 5 → 5 points (weight 2)');
      expect(reasons).toContain('Impact: impact 4 of 5 → not counted (weight 0)');
      expect(reasons).toContain('Score: 27.5 of 100');

      // Choosing a row opens the card, with its score.
      await entry(bo.page, 'Slow checkout')
        .getByRole('button', { name: /Slow checkout/ })
        .click();
      const boDetails = bo.page.getByRole('complementary', { name: 'Card details' });
      await expect.poll(() => boDetails.locator('.card-score').innerText(), DEADLINE).toMatch(/Score 27\.5 · #1 of 4/);
      await boDetails.getByRole('button', { name: 'See all priorities' }).click();

      // Filtered to a persona, the list scores that persona's cards (and the untagged ones, which are everyone's).
      expect(await panel(bo.page).getByText('Scored for every persona.').isVisible()).toBe(true);
      await bo.page.getByRole('combobox', { name: 'Show persona' }).selectOption({ label: 'Buyer' });
      await expect.poll(() => rankedList(bo.page), DEADLINE).toEqual(['Slow checkout 27.5', 'Confusing signup 19.2', 'Hidden fees 17.5']);
      expect(await panel(bo.page).getByText('Scored for Buyer, the persona the map is filtered to.').isVisible()).toBe(true);

      const report = await runAxe(bo.page);
      expect(report.violations, `axe on the priorities panel:\n  ${report.violations.join('\n  ')}`).toEqual([]);
      const editorReport = await runAxe(ana.page);
      expect(editorReport.violations, `axe on the weights editor:\n  ${editorReport.violations.join('\n  ')}`).toEqual([]);
      await ana.page.screenshot({ path: '/tmp/priorities-editor.png' });
      for (const user of [ana, bo]) expect(user.problems).toEqual([]);
    } finally {
      await ana.context.close();
      await bo.context.close();
    }
  });
});
