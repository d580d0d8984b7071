/**
 * `pnpm bench:export`: how long the PNG and PDF exports of a big map take, and whether drawing
 * them holds up the server. Starts the real server, seeds the editor benchmark's map (12 stages ×
 * 10 lanes, 500 cards, two personas scored at every stage) through a Node client, then measures
 *   - each export through `GET /api/maps/:id/export.png|pdf` (drawn on the server's worker
 *     thread), and the longest stall of this process's event loop meanwhile: what the rooms feel;
 *   - the same drawing called in this process (renderMapImage, no worker), and the longest
 *     event-loop stall it causes: what the rooms would feel without the worker. (resvg rasterises
 *     on libuv's thread pool either way; layout, SVG, PNG encoding and the PDF are on the caller.)
 * Median of RUNS after one warm-up. Writes tests/bench/results/export.json. Not part of `pnpm test`.
 */
import { readMap } from '@waymark/model';
import { renderMapImage, type ImageFormat } from '@waymark/server';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { tokenOf } from '../../support/clients.js';
import { repoRoot, startServer, tempDataDir } from '../../support/server.js';
import { CARDS, LANES, seedBenchMapOn, STAGES } from '../editor/bench-map.js';
import { machine } from '../measured.js';

const RUNS = 5;
const FORMATS: readonly ImageFormat[] = ['png', 'pdf'];

const log = (line: string) => console.log(`[bench:export] ${line}`);
const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)]! * 10) / 10;
};

/** The PNG's size from its IHDR chunk. */
const pngSize = (bytes: Buffer) => ({ width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) });
/** A few turns of the event loop, so the delay monitor's timer sees a stall that just ended. */
const turns = () => new Promise((resolve) => setTimeout(resolve, 20));

const data = tempDataDir();
const running = await startServer(data.dir);
try {
  const load = loadavg()[0]!;
  const { map, cards, check } = await seedBenchMapOn(running.url);
  const snapshot = readMap(check.doc);
  check.destroy();
  log(`seeded ${STAGES} stages × ${LANES} lanes, ${cards} cards`);

  const viewer = tokenOf(map.links.viewer);
  const results: Record<string, unknown> = {};
  for (const format of FORMATS) {
    const http: number[] = [];
    const inline: number[] = [];
    let bytes = Buffer.alloc(0);
    const delay = monitorEventLoopDelay({ resolution: 5 });
    for (let run = 0; run <= RUNS; run++) {
      if (run === 1) delay.enable();
      const started = performance.now();
      const response = await fetch(`${running.url}/api/maps/${map.id}/export.${format}`, {
        headers: { authorization: `Bearer ${viewer}` },
      });
      if (response.status !== 200) throw new Error(`export.${format}: ${response.status} ${await response.text()}`);
      bytes = Buffer.from(await response.arrayBuffer());
      if (run > 0) http.push(performance.now() - started);
      await turns();
    }
    delay.disable();
    const inlineDelay = monitorEventLoopDelay({ resolution: 5 });
    for (let run = 0; run <= RUNS; run++) {
      if (run === 1) inlineDelay.enable();
      const started = performance.now();
      await renderMapImage(format, snapshot);
      if (run > 0) inline.push(performance.now() - started);
      await turns();
    }
    inlineDelay.disable();
    results[format] = {
      httpMsMedian: median(http),
      httpMs: http.map((value) => Math.round(value)),
      eventLoopMaxStallMs: Math.round(delay.max / 1e6),
      inProcessMsMedian: median(inline),
      inProcessEventLoopMaxStallMs: Math.round(inlineDelay.max / 1e6),
      bytes: bytes.length,
      ...(format === 'png' ? pngSize(bytes) : {}),
    };
    log(`${format}: ${JSON.stringify(results[format])}`);
  }

  const report = {
    date: new Date().toISOString(),
    machine: {
      ...machine(),
      loadAverage1mBefore: Math.round(load * 100) / 100,
    },
    map: { stages: STAGES, lanes: LANES, cards: CARDS },
    runs: RUNS,
    ...results,
  };
  const outDir = join(repoRoot, 'tests/bench/results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'export.json'), `${JSON.stringify(report, null, 2)}\n`);
  log(`wrote tests/bench/results/export.json`);
} finally {
  await running.close();
  data.remove();
}
