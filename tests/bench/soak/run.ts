/**
 * The long soak: rooms and connections opened and closed continuously against a server in this
 * process (loopback only), bounded by SOAK_CYCLES and SOAK_SECONDS. Prints memory and handle
 * samples and writes them to tests/bench/results/soak.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { soak } from '../../support/soak.js';
import { repoRoot, startServer, tempDataDir } from '../../support/server.js';

const cycles = Number(process.env.SOAK_CYCLES ?? 2000);
const seconds = Number(process.env.SOAK_SECONDS ?? 180);

const data = tempDataDir();
const running = await startServer(data.dir, { ROOM_IDLE_MS: '20', COMPACT_AFTER_UPDATES: '50' });
try {
  const result = await soak(running, { cycles, maxMs: seconds * 1000, maps: 20, clientsPerCycle: 12 });
  console.table(result.samples);
  const growth = result.final.heapUsedMb - result.baseline.heapUsedMb;
  console.log(
    `${result.cycles} cycles in ${(result.ms / 1000).toFixed(0)} s: heap ${result.baseline.heapUsedMb} → ${result.final.heapUsedMb} MB ` +
      `(${growth >= 0 ? '+' : ''}${growth.toFixed(2)}), handles ${result.baseline.handles} → ${result.final.handles}, rooms left ${result.final.rooms}`,
  );
  const dir = join(repoRoot, 'tests/bench/results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'soak.json'), `${JSON.stringify({ ranAt: new Date().toISOString(), ...result }, null, 2)}\n`);
} finally {
  await running.close();
  data.remove();
}
