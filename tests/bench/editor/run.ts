/**
 * `pnpm bench:editor`: how the editor feels on a big map. Starts the real server, seeds a
 * 12 stage × 10 lane map with 500 cards and a 30 × 15 map with 5,000 (`--maps usual,big`
 * picks), each through a Node client, and in Chromium measures
 *   - first render: navigation until the first screen of the map, cards included, has been
 *     drawn (fresh browser profile, then a reload that also has the offline copy), and
 *     until all 500 cards are in the page;
 *   - remote edit latency: a keystroke in one page until the other page shows it;
 *   - keystroke cost: keydown until the editor is done with it, and until it is on screen;
 *   - card move cost: an arrow key on a card's grip until the move is written and drawn.
 * Prints a table and writes tests/bench/results/editor.json. Not part of `pnpm test`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../support/browser.js';
import { waitFor } from '../../support/clients.js';
import { openMapAs } from '../../support/map-pages.js';
import { repoRoot, startServer, tempDataDir } from '../../support/server.js';
import { BENCH_MAPS, seedBenchMapOn, type BenchMapSize } from './bench-map.js';
import { cardsPainted, markPainted, probe, stampInputs, stampShownValues, timeKeystrokes, timeMoves } from './page-probes.js';
import { summary } from './stats.js';
import { machine } from '../measured.js';

const FIRST_RENDER_RUNS = 5;
const REMOTE_EDITS = 120;
const KEYSTROKES = 200;
const MOVES = 60;

const log = (line: string) => console.log(`[bench:editor] ${line}`);

interface RenderTimes {
  cold: number[];
  warm: number[];
  allCards: number[];
}

async function firstRender(browser: Browser, link: string, cards: number): Promise<RenderTimes> {
  const times: RenderTimes = { cold: [], warm: [], allCards: [] };
  for (let run = 0; run < FIRST_RENDER_RUNS; run++) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(link, { waitUntil: 'commit' });
    times.cold.push(await probe(page, markPainted, 'waymark:first-screen'));
    times.allCards.push(await probe(page, cardsPainted, cards));
    await page.reload({ waitUntil: 'commit' });
    times.warm.push(await probe(page, markPainted, 'waymark:first-screen'));
    await context.close();
  }
  return times;
}

/** The selector of the textarea of the n-th card, stable across both pages. */
async function cardSelector(page: Page, index: number): Promise<string> {
  const id = await page.locator('[data-card-id]').nth(index).getAttribute('data-card-id');
  if (!id) throw new Error('no card id');
  return `[data-card-id="${id}"] textarea`;
}

async function remoteEdits(writer: Page, reader: Page, cards: number): Promise<{ shown: number[]; painted: number[] }> {
  // A card far down the map, so the reader has to find it among all of them.
  const selector = await cardSelector(writer, Math.floor(cards * 0.8));
  await probe(writer, stampInputs, selector);
  await probe(reader, stampShownValues, selector);
  const area = writer.locator(selector);
  await area.click();
  await writer.keyboard.press('End');
  for (let i = 0; i < REMOTE_EDITS; i++) {
    await writer.keyboard.type(String.fromCharCode(97 + (i % 26)));
    // Typing speed of a quick typist, with jitter so edits do not line up with frames.
    await new Promise((resolve) => setTimeout(resolve, 40 + Math.random() * 40));
  }
  const expected = await area.inputValue();
  await waitFor(async () => (await reader.locator(selector).inputValue()) === expected, 'the reader to catch up', 10_000);
  const inputs = await writer.evaluate(() => window.__bench?.inputs ?? []);
  const shownAt = new Map((await reader.evaluate(() => window.__bench?.shown ?? [])).map(([value, set, frame]) => [value, { set, frame }]));
  const shown: number[] = [];
  const painted: number[] = [];
  for (const [value, typedAt] of inputs) {
    const seen = shownAt.get(value);
    // Edits that arrive together are shown together: the later value stands for both.
    if (!seen) continue;
    shown.push(seen.set - typedAt);
    painted.push(seen.frame - typedAt);
  }
  return { shown, painted };
}

async function keystrokes(page: Page, cards: number): Promise<{ handled: number[]; painted: number[]; longTasks: number }> {
  const selector = await cardSelector(page, Math.floor(cards / 2));
  await probe(page, timeKeystrokes, selector);
  await page.locator(selector).click();
  await page.keyboard.press('End');
  for (let i = 0; i < KEYSTROKES; i++) {
    await page.keyboard.type(i % 12 === 11 ? ' ' : String.fromCharCode(97 + (i % 26)));
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  await waitFor(async () => (await page.evaluate(() => window.__bench?.keystrokes.length ?? 0)) >= KEYSTROKES, 'keystrokes to be timed');
  const results = await page.evaluate(() => window.__bench!);
  return {
    handled: results.keystrokes.map((k) => k.handled),
    painted: results.keystrokes.map((k) => k.painted),
    longTasks: results.longTasks,
  };
}

/** Card moves by keyboard: a card's grip, then right and left by turns (to the next stage and back). */
async function cardMoves(page: Page, cards: number): Promise<{ handled: number[]; painted: number[] }> {
  const id = await page
    .locator('[data-card-id]')
    .nth(Math.floor(cards / 3))
    .getAttribute('data-card-id');
  if (!id) throw new Error('no card id');
  const grip = page.locator(`[data-card-id="${id}"] .grip`);
  await probe(page, timeMoves, 0);
  await grip.focus();
  for (let i = 0; i < MOVES; i++) {
    await page.keyboard.press(i % 2 === 0 ? 'ArrowRight' : 'ArrowLeft');
    // The grip takes focus again in the card's new cell before the next key.
    await waitFor(
      () => grip.evaluate((element) => element === document.activeElement).catch(() => false),
      'the grip to be focused again',
      5_000,
    );
  }
  await waitFor(async () => (await page.evaluate(() => window.__bench?.moves.length ?? 0)) >= MOVES, 'moves to be timed');
  const moves = await page.evaluate(() => window.__bench!.moves);
  return { handled: moves.map((m) => m.handled), painted: moves.map((m) => m.painted) };
}

interface MapRun {
  map: BenchMapSize;
  firstRenderMs: {
    coldProfile: ReturnType<typeof summary>;
    reloadWithOfflineCopy: ReturnType<typeof summary>;
    allCardsInPage: ReturnType<typeof summary>;
  };
  remoteEditMs: { inDom: ReturnType<typeof summary>; onScreen: ReturnType<typeof summary> };
  keystrokeMs: { handled: ReturnType<typeof summary>; onScreen: ReturnType<typeof summary>; longTasks: number };
  cardMoveMs: { handled: ReturnType<typeof summary>; onScreen: ReturnType<typeof summary> };
}

async function measureMap(browser: Browser, url: string, size: BenchMapSize): Promise<MapRun> {
  // The server holds every card before any page opens the map.
  const { map, cards, check } = await seedBenchMapOn(url, size);
  check.destroy();
  log(`seeded ${size.stages} stages × ${size.lanes} lanes, ${cards} cards`);
  const render = await firstRender(browser, map.links.editor, cards);
  log(`first render cold ${JSON.stringify(summary(render.cold))}, warm ${JSON.stringify(summary(render.warm))}`);
  const writer = await openMapAs(browser, map.links.editor, 'Writer');
  const reader = await openMapAs(browser, map.links.editor, 'Reader');
  await probe(writer.page, cardsPainted, cards);
  await probe(reader.page, cardsPainted, cards);
  const remote = await remoteEdits(writer.page, reader.page, cards);
  log(`remote edits ${JSON.stringify(summary(remote.painted))}`);
  const typing = await keystrokes(writer.page, cards);
  log(`keystrokes ${JSON.stringify(summary(typing.handled))}`);
  const moves = await cardMoves(reader.page, cards);
  log(`card moves ${JSON.stringify(summary(moves.handled))}`);
  await writer.context.close();
  await reader.context.close();
  return {
    map: { stages: size.stages, lanes: size.lanes, cards },
    firstRenderMs: {
      coldProfile: summary(render.cold),
      reloadWithOfflineCopy: summary(render.warm),
      allCardsInPage: summary(render.allCards),
    },
    remoteEditMs: { inDom: summary(remote.shown), onScreen: summary(remote.painted) },
    keystrokeMs: { handled: summary(typing.handled), onScreen: summary(typing.painted), longTasks: typing.longTasks },
    cardMoveMs: { handled: summary(moves.handled), onScreen: summary(moves.painted) },
  };
}

const mapsArgument = process.argv.indexOf('--maps');
const wanted = (mapsArgument >= 0 ? (process.argv[mapsArgument + 1] ?? '') : 'usual,big').split(',');
const sizes = wanted.map((name) => {
  const size = BENCH_MAPS[name as keyof typeof BENCH_MAPS];
  if (!size) throw new Error(`--maps takes ${Object.keys(BENCH_MAPS).join(', ')}; got ${name}`);
  return size;
});

const data = tempDataDir();
const running = await startServer(data.dir, { WEB_DIR: join(repoRoot, 'apps/web/dist') });
const browser = await launchChromium();
try {
  const load = loadavg()[0]!;
  const runs: MapRun[] = [];
  for (const size of sizes) runs.push(await measureMap(browser, running.url, size));

  const results = {
    date: new Date().toISOString(),
    machine: {
      ...machine(),
      chromium: browser.version(),
      loadAverage1mBefore: Math.round(load * 100) / 100,
    },
    runs,
    targets: {
      usual: { firstRenderMs: 1000, remoteEditP95Ms: 100, keystrokeMs: 16 },
      big: { firstRenderMs: 1000, remoteEditP95Ms: 50, keystrokeP95Ms: 8, cardMoveMs: 16 },
    },
  };
  const outDir = join(repoRoot, 'tests/bench/results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'editor.json'), `${JSON.stringify(results, null, 2)}\n`);

  const row = (name: string, s: { p50: number; p95: number; max: number }, target: string) =>
    `| ${name.padEnd(44)} | ${String(s.p50).padStart(7)} | ${String(s.p95).padStart(7)} | ${String(s.max).padStart(7)} | ${target.padEnd(9)} |`;
  for (const run of runs) {
    const big = run.map.cards >= 5000;
    console.log(
      `\nEditor benchmark: ${run.map.stages} stages × ${run.map.lanes} lanes × ${run.map.cards} cards, ${results.machine.cores} cores (${results.machine.cpuModel}), ${results.machine.chromium}\n`,
    );
    console.log('| measure (ms)                                 |     p50 |     p95 |     max | target    |');
    console.log('|----------------------------------------------|---------|---------|---------|-----------|');
    console.log(row(`first render, new browser profile (n=${run.firstRenderMs.coldProfile.n})`, run.firstRenderMs.coldProfile, '< 1000'));
    console.log(
      row(`first render, reload (n=${run.firstRenderMs.reloadWithOfflineCopy.n})`, run.firstRenderMs.reloadWithOfflineCopy, '< 1000'),
    );
    console.log(
      row(`all ${run.map.cards} cards in the page (n=${run.firstRenderMs.allCardsInPage.n})`, run.firstRenderMs.allCardsInPage, '—'),
    );
    console.log(
      row(
        `remote edit on screen in other page (n=${run.remoteEditMs.onScreen.n})`,
        run.remoteEditMs.onScreen,
        big ? 'p95 < 50' : 'p95 < 100',
      ),
    );
    console.log(row(`keystroke handled (n=${run.keystrokeMs.handled.n})`, run.keystrokeMs.handled, big ? 'p95 < 8' : '< 16'));
    console.log(row(`keystroke on screen (n=${run.keystrokeMs.onScreen.n})`, run.keystrokeMs.onScreen, '—'));
    console.log(row(`card move handled (n=${run.cardMoveMs.handled.n})`, run.cardMoveMs.handled, big ? '< 16' : '—'));
    console.log(row(`card move on screen (n=${run.cardMoveMs.onScreen.n})`, run.cardMoveMs.onScreen, '—'));
    console.log(`\nlong tasks (> 50 ms) while typing: ${run.keystrokeMs.longTasks}`);
  }
  console.log('wrote tests/bench/results/editor.json');
} finally {
  await browser.close();
  await running.close();
  data.remove();
}
process.exit(0);
