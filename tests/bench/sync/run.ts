/**
 * `pnpm bench`: drives the same load against Waymark, the y-websocket reference server,
 * Hocuspocus and a raw relay, each in its own process, and writes tests/bench/results/.
 * See the README's Benchmarks section and `--help`.
 */
import { mkdirSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseOptions, type ScenarioName } from './options.js';
import { profileWorkshop } from './profile.js';
import type { ServerKind } from './protocol.js';
import { writeReport, type BenchResults } from './report.js';
import { coldLoad } from './scenarios/cold-load.js';
import { manyRooms } from './scenarios/many-rooms.js';
import type { ScenarioResult } from './scenarios/result.js';
import { restartStorm } from './scenarios/restart-storm.js';
import { workshop } from './scenarios/workshop.js';

const defaultOut = fileURLToPath(new URL('../results', import.meta.url));
const options = parseOptions(process.argv.slice(2), process.env, defaultOut);
mkdirSync(options.outDir, { recursive: true });

if (options.profile) {
  await profileWorkshop(options);
  process.exit(0);
}

const runners: Record<ScenarioName, (kind: ServerKind) => Promise<ScenarioResult>> = {
  workshop: (kind) => workshop(kind, options),
  'many-rooms': (kind) => manyRooms(kind, options),
  'cold-load': (kind) => coldLoad(kind, options),
  'restart-storm': (kind) => restartStorm(kind, options),
};

const startedAt = new Date();
const results: ScenarioResult[] = [];
const log = (line: string) => console.log(`[bench ${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)}s] ${line}`);
log(`scenarios ${options.scenarios.join(', ')}; servers ${options.servers.join(', ')}; scale ${options.scale}`);

for (const scenario of options.scenarios) {
  for (const kind of options.servers) {
    log(`${scenario} on ${kind}…`);
    // Other work on the machine skews every figure; say how busy it was.
    const machineLoad = loadavg()[0]!;
    const result = await runners[scenario](kind);
    result.load.loadAverage1mBefore = Math.round(machineLoad * 100) / 100;
    results.push(result);
    log(
      result.error
        ? `${scenario} on ${kind} FAILED: ${result.error}`
        : `${scenario} on ${kind}: ${JSON.stringify({ p99: result.fanout?.p99, losses: result.losses, cold: result.coldLoadMs, resync: result.resyncMs })}`,
    );
  }
}

const cpu = cpus();
const bench: BenchResults = {
  startedAt: startedAt.toISOString(),
  finishedAt: new Date().toISOString(),
  machine: {
    cores: cpu.length,
    cpuModel: cpu[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    os: `${process.platform} ${release()}`,
  },
  options,
  results,
};
writeReport(bench, options.outDir);
log(`wrote ${join(options.outDir, 'latest.json')}, latest.md and p99.svg`);
