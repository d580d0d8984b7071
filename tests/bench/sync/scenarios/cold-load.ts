import { cpSync } from 'node:fs';
import { ClientPool } from '../client-pool.js';
import { buildColdMap, yjsApplyMs, yjsReplayMs, type ColdMap } from '../cold-map.js';
import type { BenchOptions } from '../options.js';
import type { ServerKind } from '../protocol.js';
import { seedColdMap } from '../seed-stores.js';
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
 * A map of 5,000 cards whose history holds 50,000 updates, in each server's own storage; a fresh
 * server process, and the time from the first client's connect until its document holds all of
 * it. Run three times on fresh copies of the seeded storage; the median is reported.
 */
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
      const dataDir = tempDir(kind);
      cpSync(seeded, dataDir, { recursive: true });
      const server = await ServerProcess.start({ kind, dataDir });
      let pool: ClientPool | undefined;
      try {
        pool = await ClientPool.create(kind, server.wsUrl, [{ id: 0, room: room.room, token: room.token }], 1);
        const loaded = await pool.connect(undefined, 120_000, map.stateVector);
        if (loaded.notReady > 0) throw new Error('the client never received the whole map');
        times.push(loaded.ms);
        clientTimes.push(loaded.applyMs);
        const stats = await server.stats(true);
        result.rssBytes = stats.rssBytes;
      } finally {
        await pool?.close();
        await server.kill();
        removeDir(dataDir);
      }
    }
    result.coldLoadMs = median(times);
    result.coldLoadClientApplyMs = median(clientTimes);
    result.load.runsMs = times.map((t) => Math.round(t)).join(' ');
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
  } finally {
    removeDir(seeded);
  }
  return result;
}
