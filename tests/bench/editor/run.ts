/**
 * `pnpm bench:editor`: how the editor feels on a big map. Starts the real server, seeds a
 * 12 stage × 10 lane map with 500 cards through a Node client, and in Chromium measures
 *   - first render: navigation until the first screen of the map, cards included, has been
 *     drawn (fresh browser profile, then a reload that also has the offline copy), and
 *     until all 500 cards are in the page;
 *   - remote edit latency: a keystroke in one page until the other page shows it;
 *   - keystroke cost: keydown until the editor is done with it, and until it is on screen.
 * Prints a table and writes tests/bench/results/editor.json. Not part of `pnpm test`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../support/browser.js';
import { waitFor } from '../../support/clients.js';
import { openMapAs } from '../../support/map-pages.js';
import { repoRoot, startServer, tempDataDir } from '../../support/server.js';
import { CARDS, LANES, seedBenchMapOn, STAGES } from './bench-map.js';
import { cardsPainted, markPainted, probe, stampInputs, stampShownValues, timeKeystrokes } from './page-probes.js';
import { summary } from './stats.js';

const FIRST_RENDER_RUNS = 5;
const REMOTE_EDITS = 120;
const KEYSTROKES = 200;

const log = (line: string) => console.log(`[bench:editor] ${line}`);

interface RenderTimes {
  cold: number[];
  warm: number[];
  allCards: number[];
}

async function firstRender(browser: Browser, link: string): Promise<RenderTimes> {
  const times: RenderTimes = { cold: [], warm: [], allCards: [] };
  for (let run = 0; run < FIRST_RENDER_RUNS; run++) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(link, { waitUntil: 'commit' });
    times.cold.push(await probe(page, markPainted, 'waymark:first-screen'));
    times.allCards.push(await probe(page, cardsPainted, CARDS));
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

async function remoteEdits(writer: Page, reader: Page): Promise<{ shown: number[]; painted: number[] }> {
  // A card far down the map, so the reader has to find it among all 500.
  const selector = await cardSelector(writer, 400);
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

async function keystrokes(page: Page): Promise<{ handled: number[]; painted: number[]; longTasks: number }> {
  const selector = await cardSelector(page, 250);
  await probe(page, timeKeystrokes, selector);
  await page.locator(selector).click();
  await page.keyboard.press('End');
  for (let i = 0; i < KEYSTROKES; i++) {
    await page.keyboard.type(i % 12 === 11 ? ' ' : String.fromCharCode(97 + (i % 26)));
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  await waitFor(async () => ((await page.evaluate(() => window.__bench?.keystrokes.length ?? 0)) >= KEYSTROKES), 'keystrokes to be timed');
  const results = await page.evaluate(() => window.__bench!);
  return {
    handled: results.keystrokes.map((k) => k.handled),
    painted: results.keystrokes.map((k) => k.painted),
    longTasks: results.longTasks,
  };
}

const data = tempDataDir();
const running = await startServer(data.dir, { WEB_DIR: join(repoRoot, 'apps/web/dist') });
const browser = await launchChromium();
try {
  const load = loadavg()[0]!;
  // The server holds every card before any page opens the map.
  const { map, cards, check } = await seedBenchMapOn(running.url);
  check.destroy();
  log(`seeded ${STAGES} stages × ${LANES} lanes, ${cards} cards`);

  const render = await firstRender(browser, map.links.editor);
  log(`first render cold ${JSON.stringify(summary(render.cold))}, warm ${JSON.stringify(summary(render.warm))}`);

  const writer = await openMapAs(browser, map.links.editor, 'Writer');
  const reader = await openMapAs(browser, map.links.editor, 'Reader');
  await probe(writer.page, cardsPainted, CARDS);
  await probe(reader.page, cardsPainted, CARDS);
  const remote = await remoteEdits(writer.page, reader.page);
  log(`remote edits ${JSON.stringify(summary(remote.painted))}`);
  const typing = await keystrokes(writer.page);
  log(`keystrokes ${JSON.stringify(summary(typing.handled))}`);
  await writer.context.close();
  await reader.context.close();

  const cpu = cpus();
  const results = {
    date: new Date().toISOString(),
    machine: {
      cores: cpu.length,
      cpu: cpu[0]?.model ?? 'unknown',
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      chromium: browser.version(),
      node: process.version,
      loadAverage1mBefore: Math.round(load * 100) / 100,
    },
    map: { stages: STAGES, lanes: LANES, cards },
    firstRenderMs: {
      coldProfile: summary(render.cold),
      reloadWithOfflineCopy: summary(render.warm),
      allCardsInPage: summary(render.allCards),
    },
    remoteEditMs: { inDom: summary(remote.shown), onScreen: summary(remote.painted) },
    keystrokeMs: { handled: summary(typing.handled), onScreen: summary(typing.painted), longTasks: typing.longTasks },
    targets: { firstRenderMs: 1000, remoteEditP95Ms: 100, keystrokeMs: 16 },
  };
  const outDir = join(repoRoot, 'tests/bench/results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'editor.json'), `${JSON.stringify(results, null, 2)}\n`);

  const row = (name: string, s: { p50: number; p95: number; max: number }, target: string) =>
    `| ${name.padEnd(44)} | ${String(s.p50).padStart(7)} | ${String(s.p95).padStart(7)} | ${String(s.max).padStart(7)} | ${target.padEnd(8)} |`;
  console.log(`\nEditor benchmark: ${STAGES} stages × ${LANES} lanes × ${cards} cards, ${cpu.length} cores (${results.machine.cpu}), ${results.machine.chromium}\n`);
  console.log('| measure (ms)                                 |     p50 |     p95 |     max | target   |');
  console.log('|----------------------------------------------|---------|---------|---------|----------|');
  console.log(row(`first render, new browser profile (n=${render.cold.length})`, results.firstRenderMs.coldProfile, '< 1000'));
  console.log(row(`first render, reload (n=${render.warm.length})`, results.firstRenderMs.reloadWithOfflineCopy, '< 1000'));
  console.log(row(`all ${cards} cards in the page (n=${render.allCards.length})`, results.firstRenderMs.allCardsInPage, '—'));
  console.log(row(`remote edit on screen in other page (n=${remote.painted.length})`, results.remoteEditMs.onScreen, 'p95 < 100'));
  console.log(row(`keystroke handled (n=${typing.handled.length})`, results.keystrokeMs.handled, '< 16'));
  console.log(row(`keystroke on screen (n=${typing.painted.length})`, results.keystrokeMs.onScreen, '—'));
  console.log(`\nlong tasks (> 50 ms) while typing: ${typing.longTasks}; wrote tests/bench/results/editor.json`);
} finally {
  await browser.close();
  await running.close();
  data.remove();
}
process.exit(0);
