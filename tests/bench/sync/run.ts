/**
 * `pnpm bench`: drives the same load against Waymark, the y-websocket reference server,
 * Hocuspocus and a raw relay, each in its own process, and writes tests/bench/results/.
 * See the README's Benchmarks section and `--help`.
 */
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseOptions, type ScenarioName } from './options.js';
import { profileWorkshop } from './profile.js';
import type { ServerKind } from './protocol.js';
import { writeReport, type BenchResults } from './report.js';
import { coldLoad } from './scenarios/cold-load.js';
import { hostileFrames } from './scenarios/hostile-frames.js';
import { manyRooms } from './scenarios/many-rooms.js';
import { policyCost } from './scenarios/policy-cost.js';
import type { ScenarioResult } from './scenarios/result.js';
import { restartStorm } from './scenarios/restart-storm.js';
import { workshop } from './scenarios/workshop.js';
import { machine, waymarkVersion } from '../measured.js';

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
  'hostile-frames': (kind) => hostileFrames(kind, options),
  'policy-cost': () => policyCost(options),
};

/**
 * The servers a scenario runs on: policy-cost measures Waymark's own code in-process, once;
 * hostile-frames floods Waymark, and the y-websocket server for contrast (with a few frames).
 */
function serversFor(scenario: ScenarioName): ServerKind[] {
  if (scenario === 'policy-cost') return ['waymark'];
  if (scenario === 'hostile-frames') return options.servers.filter((kind) => kind === 'waymark' || kind === 'ywebsocket');
  return options.servers;
}

// Read now: `pnpm bench` has just built apps/server/dist, and others may commit while it runs.
const measured = waymarkVersion();
const startedAt = new Date();
const results: ScenarioResult[] = [];
const log = (line: string) => console.log(`[bench ${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)}s] ${line}`);
log(`scenarios ${options.scenarios.join(', ')}; servers ${options.servers.join(', ')}; scale ${options.scale}`);

/** The figure a run is ranked by when several rounds ran: the median one is reported. */
const headline = (r: ScenarioResult) => r.fanout?.p99 ?? r.coldLoadMs ?? r.resyncMs ?? r.policyCost?.[0]?.checkUs.p50 ?? 0;
const allRounds: ScenarioResult[] = [];

for (const scenario of options.scenarios) {
  const runs = new Map<ServerKind, ScenarioResult[]>();
  const servers = serversFor(scenario);
  if (servers.length === 0) log(`${scenario}: none of the chosen servers runs it`);
  // A cold load already reports the median of three fresh servers.
  const rounds = scenario === 'cold-load' ? 1 : options.rounds;
  for (let round = 0; round < rounds; round++) {
    // Rotate the order, so no server always runs first (or right after the heaviest).
    const order = servers.map((_, i) => servers[(i + round) % servers.length]!);
    for (const kind of order) {
      log(`${scenario} on ${kind}${rounds > 1 ? ` (round ${round + 1})` : ''}…`);
      // Other work on the machine skews every figure; say how busy it was.
      const machineLoad = loadavg()[0]!;
      const result = await runners[scenario](kind);
      result.load.loadAverage1mBefore = Math.round(machineLoad * 100) / 100;
      result.load.round = round + 1;
      allRounds.push(result);
      runs.set(kind, [...(runs.get(kind) ?? []), result]);
      log(
        result.error
          ? `${scenario} on ${kind} FAILED: ${result.error}`
          : `${scenario} on ${kind}: ${JSON.stringify({
              p99: result.fanout?.p99,
              losses: result.losses,
              cold: result.coldLoadMs,
              resync: result.resyncMs,
              forgotten: result.forgottenByServer,
              hostile: result.hostile?.map((p) => `${p.attacker}: p99 ${p.fanout.p99.toFixed(1)} ms, ${p.frames} frames`),
              checkVsApplyUs: result.policyCost?.map((r) => `${r.checkUs.p50.toFixed(0)} / ${r.applyUs.p50.toFixed(0)}`),
            })}`,
      );
    }
  }
  for (const kind of servers) {
    const ranked = (runs.get(kind) ?? []).filter((r) => !r.error).sort((a, b) => headline(a) - headline(b));
    const chosen = ranked[Math.floor((ranked.length - 1) / 2)] ?? runs.get(kind)?.[0];
    if (chosen) results.push(chosen);
  }
}

const bench: BenchResults = {
  startedAt: startedAt.toISOString(),
  finishedAt: new Date().toISOString(),
  machine: machine(),
  options,
  waymark: measured,
  results,
  allRounds: options.rounds > 1 ? allRounds : undefined,
};
writeReport(bench, options.outDir);
log(`wrote ${join(options.outDir, 'latest.json')}, latest.md and p99.svg`);
