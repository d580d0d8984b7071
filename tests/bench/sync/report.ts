import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchOptions } from './options.js';
import { SERVER_LABELS, type ServerKind } from './protocol.js';
import { p99Chart } from './chart.js';
import type { ScenarioResult } from './scenarios/result.js';

export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  machine: { cores: number; cpuModel: string; memoryGiB: number; node: string; os: string };
  options: BenchOptions;
  /** The commit measured (read when the run starts, just after the build; apps/server/dist is what actually ran). */
  waymark?: string;
  /** The median round of each scenario and server. */
  results: ScenarioResult[];
  /** Every round, when more than one ran. */
  allRounds?: ScenarioResult[];
}

const ms = (value: number | undefined, digits = 1) => (value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits));
const pct = (value: number | undefined) => (value === undefined ? '–' : `${value.toFixed(0)}%`);
const kib = (bytes: number | undefined) => (bytes === undefined ? '–' : `${(bytes / 1024).toFixed(1)} KiB`);
const mib = (bytes: number | undefined) => (bytes === undefined ? '–' : `${(bytes / 2 ** 20).toFixed(0)} MiB`);
const ratio = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : '–');

function find(results: ScenarioResult[], scenario: string, server: ServerKind): ScenarioResult | undefined {
  return results.find((r) => r.scenario === scenario && r.server === server && !r.error);
}

function other(r: ScenarioResult): string {
  const parts: string[] = [];
  if (r.coldLoadMs !== undefined) {
    const serverShare = r.coldLoadMs - (r.coldLoadClientApplyMs ?? 0);
    parts.push(
      `cold load ${ms(r.coldLoadMs, 0)} ms = ${ratio(r.coldLoadMs / (r.yjsApplyMs ?? NaN))} Yjs apply (${ms(r.yjsApplyMs, 0)} ms); ` +
        `client applying ${ms(r.coldLoadClientApplyMs, 0)} ms, server + wire ${ms(serverShare, 0)} ms (${ratio(serverShare / (r.yjsApplyMs ?? NaN))})`,
    );
  }
  if (r.restartMs !== undefined) parts.push(`restart ${ms(r.restartMs, 0)} ms`);
  if (r.resyncMs !== undefined) parts.push(`resync ${ms(r.resyncMs, 0)} ms`);
  if (r.forgottenByServer !== undefined) parts.push(`forgotten by server ${r.forgottenByServer}`);
  if (r.connectMs !== undefined && r.coldLoadMs === undefined) parts.push(`connect ${ms(r.connectMs, 0)} ms`);
  if (r.error) parts.push(`**failed**: ${r.error}`);
  parts.push(...r.notes);
  return parts.join('; ');
}

/** The results table (also pasted into the README). */
export function resultsTable(results: ScenarioResult[]): string {
  const lines = [
    '| scenario | server | fan-out p50 / p99 / max (ms) | losses | server CPU | client CPU | machine CPU | event-loop delay p99 / max (ms) | heap per room / conn | RSS per room / conn | RSS | other |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    // Its figures are per update, in its own table.
    if (r.policyCost) continue;
    const fanout = r.fanout ? `${ms(r.fanout.p50)} / ${ms(r.fanout.p99)} / ${ms(r.fanout.max)}` : '–';
    const eld = r.eventLoopDelay ? `${ms(r.eventLoopDelay.p99Ms)} / ${ms(r.eventLoopDelay.maxMs)}` : '–';
    const heap = r.heapPerConnectionBytes !== undefined ? `${kib(r.heapPerRoomBytes)} / ${kib(r.heapPerConnectionBytes)}` : '–';
    const rss = r.rssPerConnectionBytes !== undefined ? `${kib(r.rssPerRoomBytes)} / ${kib(r.rssPerConnectionBytes)}` : '–';
    lines.push(
      `| ${r.scenario} | ${r.server} | ${fanout} | ${r.losses ?? '–'} | ${pct(r.serverCpuPct)} | ${pct(r.clientCpuPct)} | ${pct(r.machineCpuPct)} | ${eld} | ${heap} | ${rss} | ${mib(r.rssBytes)} | ${other(r)} |`,
    );
  }
  return lines.join('\n');
}

/** The hostile-frames issue's target for fan-out in other maps during the flood. */
const HOSTILE_P99_MS = 50;

interface Target {
  target: string;
  measured: string;
  met: boolean | undefined;
}

/** The issue's targets, as ratios from this run. */
export function targets(results: ScenarioResult[]): Target[] {
  const out: Target[] = [];
  for (const scenario of ['workshop', 'many-rooms', 'restart-storm']) {
    const waymark = find(results, scenario, 'waymark')?.fanout?.p99;
    const anchors = (['ywebsocket', 'hocuspocus'] as const)
      .map((k) => find(results, scenario, k)?.fanout?.p99)
      .filter((v): v is number => v !== undefined);
    const relay = find(results, scenario, 'relay')?.fanout?.p99;
    if (waymark === undefined) continue;
    if (anchors.length > 0) {
      const best = Math.min(...anchors);
      out.push({
        target: `${scenario}: p99 fan-out ≤ best of y-websocket and Hocuspocus`,
        measured: `${ms(waymark)} ms vs ${ms(best)} ms (${ratio(waymark / best)})`,
        met: waymark <= best,
      });
    }
    if (relay !== undefined) {
      out.push({
        target: `${scenario}: p99 fan-out within 2× of the raw relay`,
        measured: `${ms(waymark)} ms vs ${ms(relay)} ms (${ratio(waymark / relay)})`,
        met: waymark <= 2 * relay,
      });
    }
  }
  for (const scenario of ['workshop', 'many-rooms']) {
    const waymark = find(results, scenario, 'waymark')?.serverCpuPct;
    const reference = find(results, scenario, 'ywebsocket')?.serverCpuPct;
    if (waymark === undefined || reference === undefined) continue;
    out.push({
      target: `${scenario}: server CPU ≤ 0.8× the y-websocket server's`,
      measured: `${pct(waymark)} vs ${pct(reference)} (${ratio(waymark / reference)})`,
      met: waymark <= 0.8 * reference,
    });
  }
  for (const phase of find(results, 'hostile-frames', 'waymark')?.hostile ?? []) {
    if (phase.frames === 0) continue;
    out.push({
      target: `hostile-frames (${phase.attacker}): p99 fan-out in another map under ${HOSTILE_P99_MS} ms`,
      measured: `${ms(phase.fanout.p99)} ms while ${phase.frames} frames arrived (${ms(phase.attackMiBps, 0)} MiB/s); RSS +${mib(phase.rssMaxBytes - phase.rssBeforeBytes)}`,
      met: phase.fanout.p99 < HOSTILE_P99_MS,
    });
  }
  const room = find(results, 'many-rooms', 'waymark');
  const reference = find(results, 'many-rooms', 'ywebsocket');
  if (room?.heapPerRoomBytes !== undefined && reference?.heapPerRoomBytes !== undefined) {
    out.push({
      target: 'memory per live room ≤ y-websocket server (JS heap, after GC)',
      measured: `${kib(room.heapPerRoomBytes)} vs ${kib(reference.heapPerRoomBytes)} (${ratio(room.heapPerRoomBytes / reference.heapPerRoomBytes)}); RSS ${kib(room.rssPerRoomBytes)} vs ${kib(reference.rssPerRoomBytes)}`,
      met: room.heapPerRoomBytes <= reference.heapPerRoomBytes,
    });
  }
  const cold = find(results, 'cold-load', 'waymark');
  if (cold?.coldLoadMs !== undefined && cold.yjsApplyMs !== undefined) {
    out.push({
      target: 'cold load within 1.5× of Yjs applying the state to an empty document',
      measured:
        `${ms(cold.coldLoadMs, 0)} ms vs ${ms(cold.yjsApplyMs, 0)} ms (${ratio(cold.coldLoadMs / cold.yjsApplyMs)}); ` +
        `without the client's own applying: ${ratio((cold.coldLoadMs - (cold.coldLoadClientApplyMs ?? 0)) / cold.yjsApplyMs)}`,
      met: cold.coldLoadMs <= 1.5 * cold.yjsApplyMs,
    });
  }
  const waymarkRuns = results.filter((r) => r.server === 'waymark');
  if (waymarkRuns.length > 0) {
    const lost = waymarkRuns.reduce((n, r) => n + (r.losses ?? 0) + (r.forgottenByServer ?? 0), 0);
    const failed = waymarkRuns.filter((r) => r.error).length;
    out.push({
      target: 'zero losses everywhere, restart storm included',
      measured: `${lost} lost or forgotten across ${waymarkRuns.length} scenarios${failed ? ` (${failed} failed to run)` : ''}`,
      met: failed === 0 ? lost === 0 : undefined,
    });
  }
  return out;
}

export function targetsTable(results: ScenarioResult[]): string {
  const lines = ['| target | Waymark vs anchor (ratio) | met |', '|---|---|---|'];
  for (const t of targets(results)) lines.push(`| ${t.target} | ${t.measured} | ${t.met === undefined ? '?' : t.met ? 'yes' : '**no**'} |`);
  return lines.join('\n');
}

const us = (value: number) => (value >= 1000 ? `${(value / 1000).toFixed(1)} ms` : `${value.toFixed(0)} µs`);

/** policy-cost: the update check next to the apply it guards. */
export function policyCostTable(results: ScenarioResult[]): string {
  const rows = results.flatMap((r) => r.policyCost ?? []);
  if (rows.length === 0) return '';
  const lines = [
    '| edit (map of 500 cards) | update | check p50 / p99 | of which read / deps / policy (p50) | apply p50 / p99 | check ÷ apply (p50 / p99) | apply alone p50 / p99 | check again, warm p50 / p99 | iterations |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.operation} | ${r.updateBytes.toLocaleString('en')} B, ${r.parts.toLocaleString('en')} parts | ${us(r.checkUs.p50)} / ${us(r.checkUs.p99)} | ` +
        `${us(r.readUs.p50)} / ${us(r.dependenciesUs.p50)} / ${us(r.policyUs.p50)} | ${us(r.applyUs.p50)} / ${us(r.applyUs.p99)} | ` +
        `${ratio(r.ratioP50)} / ${ratio(r.ratioP99)} | ${us(r.applyAloneUs.p50)} / ${us(r.applyAloneUs.p99)} | ` +
        `${us(r.checkWarmUs.p50)} / ${us(r.checkWarmUs.p99)} | ${r.iterations} iterations over ${r.variants} updates |`,
    );
  }
  return lines.join('\n');
}

/** hostile-frames: every phase of every server. */
export function hostileTable(results: ScenarioResult[]): string {
  const runs = results.filter((r) => r.hostile);
  if (runs.length === 0) return '';
  const lines = [
    '| server | attacker | frames (MiB/s) | attacker saw | fan-out p50 / p99 / max (ms) | losses | server CPU | event-loop delay p99 / max (ms) | RSS before → max → after |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of runs) {
    for (const p of r.hostile!) {
      const closes = Object.entries(p.closes).map(([code, n]) => `${n}× close ${code}`);
      const saw = [
        ...closes,
        p.replies ? `${p.replies} messages` : '',
        p.refusedConnections ? `${p.refusedConnections} refused upgrades` : '',
      ]
        .filter(Boolean)
        .join(', ');
      lines.push(
        `| ${r.server} | ${p.attacker} | ${p.frames} (${ms(p.attackMiBps, 0)}) | ${saw || '–'} | ${ms(p.fanout.p50)} / ${ms(p.fanout.p99)} / ${ms(p.fanout.max)} | ${p.losses} | ` +
          `${pct(p.serverCpuPct)} | ${ms(p.eventLoopDelay.p99Ms)} / ${ms(p.eventLoopDelay.maxMs)} | ${mib(p.rssBeforeBytes)} → ${mib(p.rssMaxBytes)} → ${mib(p.rssAfterBytes)} |`,
      );
    }
  }
  return lines.join('\n');
}

function sweepTable(results: ScenarioResult[]): string {
  const runs = results.filter((r) => r.scenario === 'workshop' && r.steps);
  const writers = [...new Set(runs.flatMap((r) => r.steps!.map((s) => s.writers)))].sort((a, b) => a - b);
  if (writers.length < 2) return '';
  const lines = [
    `| server | ${writers.map((w) => `${w * 10} upd/s (${w} writers)`).join(' | ')} |`,
    `|---|${writers.map(() => '---').join('|')}|`,
  ];
  for (const r of runs) {
    const cells = writers.map((w) => {
      const step = r.steps!.find((s) => s.writers === w);
      return step ? `${ms(step.fanout.p99)} ms (${pct(step.serverCpuPct)} CPU${step.losses ? `, ${step.losses} lost` : ''})` : '–';
    });
    lines.push(`| ${r.server} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

const POLICY_COST_NOTE =
  "In-process, no sockets: each iteration takes a fresh copy of the server's document and, on it, times the check (readUpdate + missingDependency + checkUpdate, as rooms/update-intake.ts runs them), the same check once more (*warm*: code and data in cache), and then Y.applyUpdate of the same update; *apply alone* is the apply on another fresh copy with no check before it (the path without the policy). Whatever runs first on a fresh copy meets cold caches, so the check pays for warming what the apply after it then finds. The check refuses nothing here (each update is an ordinary edit by an editor link).";
const HOSTILE_NOTE =
  'One attacker connection sends an ~8 MB sync update announcing 4,000,000 structs (client 4242) to one map, as fast as the server takes it, while a writer (20 updates/s) and a reader in another map measure fan-out. Waymark closes an editor link that sends it (4413), so that attacker reconnects each time; a viewer link is refused on the first two bytes and stays open. RSS before and after are after a forced GC.';

function optionalSection(title: string, table: string, note: string): string {
  return table ? `## ${title}\n\n${table}\n\n${note}\n\n` : '';
}

export function markdown(bench: BenchResults): string {
  const { machine, options } = bench;
  const servers = [...new Set(bench.results.map((r) => r.server))];
  return `# Sync benchmark: latest run

${bench.startedAt} → ${bench.finishedAt}, \`${process.argv.slice(2).join(' ') || 'pnpm bench'}\` (scale ${options.scale}${options.durationS ? `, duration ${options.durationS} s` : ''}, ${options.processes} client processes, ${options.rounds} round${options.rounds > 1 ? 's; the median round by p99 is shown' : ''}).
Waymark at ${bench.waymark ?? 'unknown commit'}. Machine: ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.os}. Clients and server share the machine.

Servers: ${servers.map((s) => `**${s}** = ${SERVER_LABELS[s]}`).join('; ')}.

## Results

${resultsTable(bench.results)}

Fan-out is measured by readers in the writer's own process (same clock). Losses are updates some reader still lacked 10 s after the load stopped. CPU is % of one core over the load phase; *machine CPU* is everything busy on the machine then (of 200%), so what exceeds server + clients was other work sharing the cores. Heap and RSS per room/connection are the growth after a forced GC divided by the rooms/connections added (many-rooms: wave 1 opens one client per room, wave 2 the other three).

## Targets

${targetsTable(bench.results)}

${optionalSection('Update check cost (policy-cost)', policyCostTable(bench.results), POLICY_COST_NOTE)}${optionalSection('Hostile frames', hostileTable(bench.results), HOSTILE_NOTE)}## p99 against load (workshop room, 50 clients, awareness 2 Hz)

${sweepTable(bench.results)}

![p99 fan-out against load](p99.svg)
`;
}

export function writeReport(bench: BenchResults, outDir: string): void {
  writeFileSync(join(outDir, 'latest.json'), `${JSON.stringify(bench, null, 2)}\n`);
  writeFileSync(join(outDir, 'latest.md'), markdown(bench));
  writeFileSync(join(outDir, 'p99.svg'), p99Chart(bench.results));
}
