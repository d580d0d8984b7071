/**
 * `pnpm bench:priorities`: how quickly the ranked list follows a change on a 500-card map.
 * Starts the real server (loopback, port 0), seeds 12 stages with 450 pain points and
 * opportunities (judged impact and effort, curve, volume and drop-off metrics) and 50 other cards
 * through a Node client, opens the map in two Chromium pages with the Priorities panel open, and
 * measures, from the `change` event on the writer's page to the ranked list's first row showing
 * a different card (in the DOM, and in the next frame):
 *   - a weight change (the Impact weight, 5 ↔ 0), on the writer's own page and on the other page;
 *   - a card's judged impact (5 ↔ 1, from its details), on the other page.
 * The weights leave only impact and ease counting, so each change is known to change the top card:
 * the first card in map order is judged impact 1, effort 1 and another impact 5, effort 1.
 * Prints a table and writes tests/bench/results/priorities.json. Not part of `pnpm test`.
 */
import { addCard, addLane, addMetric, addPersona, addStage, setEmotion, setMeta, type Evidence } from '@waymark/model';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium } from '../../support/browser.js';
import { connect, createMap, synced, tokenOf, waitFor } from '../../support/clients.js';
import { openMapAs } from '../../support/map-pages.js';
import { seededRandom } from '../../support/random.js';
import { repoRoot, startServer, tempDataDir } from '../../support/server.js';
import { probe } from '../editor/page-probes.js';
import { summary } from '../editor/stats.js';
import { machine } from '../measured.js';

const STAGES = 12;
const SCORED_CARDS = 450;
const OTHER_CARDS = 50;
const CHANGES = 30;
const EVIDENCE: Evidence[] = ['observed', 'assumed', 'proposed'];

const log = (line: string) => console.log(`[bench:priorities] ${line}`);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

declare global {
  interface Window {
    __priorities?: { changes: number[]; painted: number[]; inputs: number[] };
  }
}

/** In the page: records each `change` event, and each time the ranked list's first row shows another card. */
function watchFirstRow(): void {
  const now = () => performance.timeOrigin + performance.now();
  const record = { changes: [] as number[], painted: [] as number[], inputs: [] as number[] };
  window.__priorities = record;
  document.addEventListener('change', () => record.inputs.push(now()), true);
  const firstRow = () => document.querySelector('.priority-list > li.priority-entry')?.getAttribute('data-card-id') ?? null;
  let last = firstRow();
  new MutationObserver(() => {
    const current = firstRow();
    if (current === last) return;
    last = current;
    record.changes.push(now());
    requestAnimationFrame(() => record.painted.push(now()));
  }).observe(document.body, { childList: true, subtree: true });
}

const counts = (page: Page) => page.evaluate(() => ({ changes: window.__priorities?.changes.length ?? 0 }));
const records = (page: Page) => page.evaluate(() => window.__priorities!);

async function seedMap(url: string): Promise<{ link: { editor: string }; firstCardId: string; mapId: string }> {
  const map = await createMap(url, { title: 'Priorities benchmark', template: 'blank' });
  const seeder = connect(url, map.id, tokenOf(map.links.editor));
  await synced(seeder);
  const doc = seeder.doc;
  const random = seededRandom(14);
  const stages = Array.from({ length: STAGES }, (_, index) => addStage(doc, { name: `Stage ${index + 1}` }));
  const pains = addLane(doc, { title: 'Pain points', kind: 'painPoints' });
  const chances = addLane(doc, { title: 'Opportunities', kind: 'opportunities' });
  addLane(doc, { title: 'Emotions', kind: 'emotions' });
  const touchpoints = addLane(doc, { title: 'Touchpoints', kind: 'touchpoints' });
  const personas = [
    addPersona(doc, { name: 'Evaluating buyer', colour: '#0ea5e9' }),
    addPersona(doc, { name: 'Renewing admin', colour: '#f97316' }),
  ];
  setMeta(doc, {
    valuePerCustomer: 120,
    currency: 'EUR',
    scoreWeights: { impact: 5, ease: 5, emotion: 0, reach: 0, confidence: 0, votes: 0, business: 0 },
  });
  let firstCardId = '';
  let made = 0;
  for (const [index, stageId] of stages.entries()) {
    doc.transact(() => {
      for (const personaId of personas) setEmotion(doc, { personaId, stageId, score: Math.round(random() * 6) - 3 });
      addMetric(doc, { stageId, name: 'Volume', value: Math.round(1000 + random() * 9000), date: '2026-11-01' });
      addMetric(doc, { stageId, name: 'Drop-off %', value: Math.round(random() * 40), date: '2026-11-01' });
      const perStage = Math.ceil(SCORED_CARDS / STAGES);
      for (let n = 0; n < perStage && made < SCORED_CARDS; n++, made++) {
        const judged =
          made === 0 ? { impact: 1, effort: 1 } : index === STAGES - 1 && n === 0 ? { impact: 5, effort: 1 } : randomJudgement(random);
        const id = addCard(doc, {
          stageId,
          laneId: n % 2 === 0 ? pains : chances,
          text: `${n % 2 === 0 ? 'Pain' : 'Idea'} ${made + 1} at stage ${index + 1}`,
          evidence: EVIDENCE[made % EVIDENCE.length]!,
          ...judged,
        });
        if (made === 0) firstCardId = id;
      }
      for (let n = 0; n < OTHER_CARDS / STAGES && index * Math.ceil(OTHER_CARDS / STAGES) + n < OTHER_CARDS; n++) {
        addCard(doc, { stageId, laneId: touchpoints, text: `Touchpoint at stage ${index + 1}` });
      }
    });
  }
  const check = connect(url, map.id, tokenOf(map.links.editor));
  const total = doc.getMap('cards').size;
  await waitFor(() => check.provider.synced && check.doc.getMap('cards').size === total, 'the server to hold the map', 30_000);
  check.destroy();
  seeder.destroy();
  log(`seeded ${total} cards (${SCORED_CARDS} pain points and opportunities)`);
  return { link: map.links, firstCardId, mapId: map.id };
}

/** Impact and effort 1–5, one card in eight not judged yet. */
function randomJudgement(random: () => number): { impact: number; effort: number } {
  if (random() < 0.125) return { impact: 0, effort: 0 };
  return { impact: 1 + Math.floor(random() * 5), effort: 2 + Math.floor(random() * 4) };
}

async function openPriorities(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Priorities', exact: true }).click();
  await page.locator('.priority-list > li.priority-entry').first().waitFor({ timeout: 20_000 });
}

/** Makes `CHANGES` changes on the writer, each waiting for the reader's first row to follow; the latencies. */
async function measure(writer: Page, reader: Page, change: (index: number) => Promise<void>) {
  await probe(writer, watchFirstRow, 0);
  await probe(reader, watchFirstRow, 0);
  for (let index = 0; index < CHANGES; index++) {
    await change(index);
    await waitFor(async () => (await counts(reader)).changes >= index + 1, 'the first row to change', 10_000);
    // Let painting finish, and keep changes from lining up with frames.
    await pause(60 + Math.random() * 60);
  }
  const written = await records(writer);
  const seen = await records(reader);
  const inputs = written.inputs.slice(-CHANGES);
  return {
    inDom: seen.changes.map((at, index) => at - inputs[index]!),
    onScreen: seen.painted.map((at, index) => at - inputs[index]!),
    // Empty when the writer's list is not in view (its card details are open instead).
    ownOnScreen: written.painted.map((at, index) => at - inputs[index]!),
  };
}

const data = tempDataDir();
const running = await startServer(data.dir, { WEB_DIR: join(repoRoot, 'apps/web/dist') });
const browser = await launchChromium();
try {
  const load = loadavg()[0]!;
  const { link, firstCardId } = await seedMap(running.url);
  const writer = await openMapAs(browser, link.editor, 'Writer');
  const reader = await openMapAs(browser, link.editor, 'Reader');
  await openPriorities(writer.page);
  await openPriorities(reader.page);

  const weights = await measure(writer.page, reader.page, (index) =>
    writer.page
      .locator('#weight-impact')
      .selectOption(index % 2 === 0 ? '0' : '5')
      .then(() => undefined),
  );
  log(`weight change, other page ${JSON.stringify(summary(weights.onScreen))}`);

  await writer.page.locator(`[data-card-id="${firstCardId}"] .card-details`).click();
  const impactGroup = writer.page.getByRole('complementary', { name: 'Card details' }).getByRole('group', { name: 'Impact' });
  const judgements = await measure(writer.page, reader.page, (index) =>
    impactGroup.getByRole('radio', { name: index % 2 === 0 ? '5' : '1', exact: true }).check(),
  );
  log(`impact change, other page ${JSON.stringify(summary(judgements.onScreen))}`);
  await writer.context.close();
  await reader.context.close();

  const results = {
    date: new Date().toISOString(),
    machine: {
      ...machine(),
      chromium: browser.version(),
      loadAverage1mBefore: Math.round(load * 100) / 100,
    },
    map: { stages: STAGES, cards: SCORED_CARDS + OTHER_CARDS, scored: SCORED_CARDS },
    weightChangeMs: {
      ownPageOnScreen: summary(weights.ownOnScreen),
      otherPageInDom: summary(weights.inDom),
      otherPageOnScreen: summary(weights.onScreen),
    },
    impactChangeMs: { otherPageInDom: summary(judgements.inDom), otherPageOnScreen: summary(judgements.onScreen) },
    target: { otherPageOnScreenP95Ms: 100 },
  };
  const outDir = join(repoRoot, 'tests/bench/results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'priorities.json'), `${JSON.stringify(results, null, 2)}\n`);

  const row = (name: string, s: { n: number; p50: number; p95: number; max: number }) =>
    `| ${`${name} (n=${s.n})`.padEnd(56)} | ${String(s.p50).padStart(7)} | ${String(s.p95).padStart(7)} | ${String(s.max).padStart(7)} |`;
  console.log(
    `\nRanked list update: ${results.map.cards} cards (${SCORED_CARDS} scored), ${results.machine.cores} cores (${results.machine.cpuModel}), ${results.machine.chromium}\n`,
  );
  console.log(`| ${'change → first row shows another card (ms)'.padEnd(56)} |     p50 |     p95 |     max |`);
  console.log(`|${'-'.repeat(58)}|---------|---------|---------|`);
  console.log(row('weight, on the page that changed it, on screen', results.weightChangeMs.ownPageOnScreen));
  console.log(row('weight, on another page, in the DOM', results.weightChangeMs.otherPageInDom));
  console.log(row('weight, on another page, on screen', results.weightChangeMs.otherPageOnScreen));
  console.log(row("a card's impact, on another page, in the DOM", results.impactChangeMs.otherPageInDom));
  console.log(row("a card's impact, on another page, on screen", results.impactChangeMs.otherPageOnScreen));
  console.log('wrote tests/bench/results/priorities.json');
} finally {
  await browser.close();
  await running.close();
  data.remove();
}
process.exit(0);
