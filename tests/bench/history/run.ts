/**
 * `pnpm bench:history`: what versions cost on the cold-load benchmark's big map (5,000 cards,
 * its history of edits merged). Measured in this process, median of RUNS after a warm-up:
 *   - taking a version: encoding the document (done on the room's thread, before the edit that
 *     makes it due) and storing it in SQLite;
 *   - reading one back as JSON (GET /api/maps/:id/versions/:id);
 *   - a diff between two versions, and a restore after 200 cards changed (one transaction).
 * Writes tests/bench/results/history.json. Not part of `pnpm test`.
 */
import { diffMaps, exportMap, migrateDoc, readMap, updateCard, writeMapState } from '@waymark/model';
import { SqliteMapStore } from '@waymark/server';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { repoRoot, tempDataDir } from '../../support/server.js';
import { buildColdMap } from '../sync/cold-map.js';
import { machine } from '../measured.js';

const RUNS = 5;
const CARDS = 5000;
const UPDATES = 20_000;

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)]! * 10) / 10;
};
async function time(run: () => unknown | Promise<unknown>): Promise<number> {
  await run();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return median(samples);
}
const log = (line: string) => console.log(`[bench:history] ${line}`);

log(`building the ${CARDS}-card map with ${UPDATES} updates of history…`);
const cold = buildColdMap(CARDS, UPDATES);
const doc = new Y.Doc();
Y.applyUpdate(doc, cold.merged);
const data = tempDataDir();
const store = new SqliteMapStore({ file: join(data.dir, 'waymark.db') });
await store.createMap('m', cold.merged, Date.now());

let state = Y.encodeStateAsUpdate(doc);
let seq = 0;
const encodeMs = await time(() => (state = Y.encodeStateAsUpdate(doc)));
const storeMs = await time(() =>
  store.createVersion({ id: `v${seq++}`, mapId: 'm', kind: 'auto', name: null, createdAt: Date.now(), createdBy: null, state }),
);
const readMs = await time(async () => {
  const loaded = await store.loadVersion('m', 'v0');
  const version = new Y.Doc();
  Y.applyUpdate(version, loaded!);
  migrateDoc(version);
  JSON.stringify(exportMap(version));
});

const before = exportMap(doc);
const cards = readMap(doc).cards.slice(0, 200);
for (const card of cards) updateCard(doc, card.id, { tags: ['changed'] });
const after = exportMap(doc);
const diffMs = await time(() => diffMaps(before, after));
// The restore alone, on a fresh copy of the changed map each time.
const restoreSamples: number[] = [];
for (let i = 0; i <= RUNS; i++) {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  const started = performance.now();
  writeMapState(copy, before, { kind: 'server' });
  if (i > 0) restoreSamples.push(performance.now() - started);
  copy.destroy();
}
const restoreMs = median(restoreSamples);

const result = {
  date: new Date().toISOString(),
  machine: { ...machine(), loadavg: loadavg().map((l) => Math.round(l * 10) / 10) },
  map: { cards: CARDS, historyUpdates: UPDATES, stateBytes: state.byteLength },
  runs: RUNS,
  ms: { encodeState: encodeMs, storeVersion: storeMs, readVersionAsJson: readMs, diff: diffMs, restore200Changed: restoreMs },
};
const out = join(repoRoot, 'tests/bench/results');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'history.json'), `${JSON.stringify(result, null, 2)}\n`);
log(JSON.stringify(result.ms));
log(`state ${Math.round(state.byteLength / 1024)} KiB; written to tests/bench/results/history.json`);
await store.close();
data.remove();
