import { cpSync } from 'node:fs';
import { ClientPool } from '../client-pool.js';
import { buildColdMap, yjsApplyMs, yjsReplayMs, type ColdMap } from '../cold-map.js';
import type { BenchOptions } from '../options.js';
import type { ServerKind } from '../protocol.js';
import { seedColdMap, type SeededRoom } from '../seed-stores.js';
import { removeDir, ServerProcess, tempDir } from '../servers.js';
import { median } from '../stats.js';
import type { ScenarioResult } from './result.js';

const CARDS = 5000;
const UPDATES = 50_000;
const RUNS = 3;

let cached: { key: string; map: ColdMap; applyMs: number; replayMs: number } | undefined;

function coldMap(cards: number, updates: number) {
  const key = `${cards}/${updates}`;
  if (cached?.key !== key) {
    const map = buildColdMap(cards, updates);
    cached = { key, map, applyMs: yjsApplyMs(map), replayMs: yjsReplayMs(map) };
  }
  return cached;
}

/**
 * A map of 5,000 cards whose history holds 50,000 updates, in each server's own storage (see
 * seed-stores.ts for how each keeps it); a fresh
 * server process, and the time from the first client's connect until its document holds all of
 * it. Run three times on fresh copies of the seeded storage; the median is reported.
 */
/** One fresh server on a copy of the seeded storage, one client, timed until it holds the map. */
async function loadOnce(kind: ServerKind, seeded: string, room: SeededRoom, map: ColdMap) {
  const dataDir = tempDir(kind);
  cpSync(seeded, dataDir, { recursive: true });
  const server = await ServerProcess.start({ kind, dataDir });
  let pool: ClientPool | undefined;
  try {
    pool = await ClientPool.create(kind, server.wsUrl, [{ id: 0, room: room.room, token: room.token }], 1);
    const loaded = await pool.connect(undefined, 120_000, map.stateVector);
    if (loaded.notReady > 0) throw new Error('the client never received the whole map');
    const stats = await server.stats(true);
    return { ms: loaded.ms, applyMs: loaded.applyMs, rssBytes: stats.rssBytes };
  } finally {
    await pool?.close();
    await server.kill();
    removeDir(dataDir);
  }
}

export async function coldLoad(kind: ServerKind, options: BenchOptions): Promise<ScenarioResult> {
  const cards = Math.max(100, Math.round(CARDS * options.scale));
  const updates = Math.max(1000, Math.round(UPDATES * options.scale));
  const result: ScenarioResult = { scenario: 'cold-load', server: kind, load: { cards, updates, runs: RUNS }, notes: [] };
  if (kind === 'relay') {
    result.notes.push('not applicable: the raw relay stores nothing');
    return result;
  }
  const { map, applyMs, replayMs } = coldMap(cards, updates);
  result.yjsApplyMs = applyMs;
  result.load.yjsReplayMs = replayMs;
  result.load.mergedBytes = map.merged.byteLength;
  result.load.logBytes = map.updates.reduce((n, u) => n + u.byteLength, 0);
  const seeded = tempDir(`${kind}-seed`);
  const times: number[] = [];
  const clientTimes: number[] = [];
  try {
    const seedStarted = performance.now();
    const room = await seedColdMap(kind, seeded, map);
    result.load.seedMs = Math.round(performance.now() - seedStarted);
    for (let run = 0; run < RUNS; run++) {
      const loaded = await loadOnce(kind, seeded, room, map);
      times.push(loaded.ms);
      clientTimes.push(loaded.applyMs);
      result.rssBytes = loaded.rssBytes;
    }
    result.coldLoadMs = median(times);
    result.coldLoadClientApplyMs = median(clientTimes);
    result.load.runsMs = times.map((t) => Math.round(t)).join(' ');
    if (kind === 'waymark') {
      // The same history left uncompacted in the log: what loading costs when compaction never ran.
      const raw = tempDir(`${kind}-seed-log`);
      try {
        const rawRoom = await seedColdMap(kind, raw, map, true);
        result.load.uncompactedLogColdLoadMs = Math.round((await loadOnce(kind, raw, rawRoom, map)).ms);
      } finally {
        removeDir(raw);
      }
    }
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
  } finally {
    removeDir(seeded);
  }
  return result;
}
