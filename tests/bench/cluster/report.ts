import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Percentiles } from './latency.js';
import type { ClusterBenchOptions } from './options.js';
import type { FanoutResult } from './scenarios/fanout-latency.js';
import type { NodeKillResult } from './scenarios/node-kill.js';
import type { ThroughputResult } from './scenarios/throughput.js';

/** Cross-node fan-out p99 may be at most this many times the single-node p99. */
export const CROSS_NODE_P99_TARGET = 1.5;

export interface ClusterBenchResults {
  startedAt: string;
  finishedAt: string;
  waymark: string;
  machine: { cores: number; cpuModel: string; memoryGiB: number; node: string; os: string };
  /** /proc/loadavg's 1, 5 and 15 minute figures at the start and at the end. */
  loadAverage: { start: number[]; end: number[] };
  options: ClusterBenchOptions;
  fanout?: FanoutResult;
  throughput?: ThroughputResult;
  nodeKill?: NodeKillResult;
  /** Warnings and errors the server processes logged, by node. */
  nodeLogs: Record<string, { count: number; first: string[] }>;
  errors: string[];
}

const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : '–');

function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  const line = (row: string[]) => `  ${row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')}`;
  return [line(cells[0]!), line(widths.map((w) => '-'.repeat(w))), ...cells.slice(1).map(line)].join('\n');
}

const latencyRow = (label: string, p: Percentiles) => [label, p.count, ms(p.p50), ms(p.p95), ms(p.p99), ms(p.max)];

export function formatReport(results: ClusterBenchResults): string {
  const out: string[] = [`Waymark cluster bench (${results.waymark}), load average ${results.loadAverage.start.join(' ')} at start`];
  const { fanout, throughput, nodeKill } = results;
  if (fanout) {
    const met = fanout.p99Ratio <= CROSS_NODE_P99_TARGET ? 'met' : 'NOT met';
    out.push(
      '',
      `1. Fan-out latency: ${fanout.writers} writers × ${fanout.keystrokesPerSecondEach}/s for ${fanout.seconds} s, ${fanout.readersPerNode} readers per node`,
      table(
        ['path', 'samples', 'p50', 'p95', 'p99', 'max'],
        [latencyRow('single node', fanout.singleNode), latencyRow('cross node', fanout.crossNode)],
      ),
      `  cross/single p99: ${fanout.p99Ratio}× (target ≤ ${CROSS_NODE_P99_TARGET}×: ${met}); losses ${fanout.losses}`,
    );
  }
  if (throughput) {
    out.push(
      '',
      '2. Throughput: keystrokes accepted, stored and held by a reader on each node',
      table(
        ['maps', 'writers on', 'writers', 'updates', 'seconds', 'updates/s', 'node A done', 'node B done', 'undelivered'],
        throughput.runs.map((r) => [
          `${r.maps} (${r.mapCount})`,
          r.placement,
          r.writers,
          r.updates,
          r.seconds.toFixed(2),
          r.updatesPerSecond,
          `${r.doneAtSeconds.A ?? '–'} s`,
          `${r.doneAtSeconds.B ?? '–'} s`,
          r.undelivered,
        ]),
      ),
      `  two nodes ÷ one node: one map ${throughput.ratio['one map']}×, many maps ${throughput.ratio['many maps']}×`,
    );
  }
  if (nodeKill) {
    out.push(
      '',
      `3. Node SIGKILL: ${nodeKill.maps} maps × ${nodeKill.clientsPerMap} clients, each typing ${nodeKill.keystrokesPerSecondEach}/s; ` +
        `node B killed after ${nodeKill.beforeKillSeconds} s, ${nodeKill.afterKillSeconds} s more`,
      table(
        ['keystrokes', 'moved clients', 'reconnect p50', 'reconnect max', 'client losses', 'storage losses', 'divergent docs'],
        [
          [
            nodeKill.keystrokes,
            nodeKill.movedClients,
            ms(nodeKill.reconnectMs.p50),
            ms(nodeKill.reconnectMs.max),
            nodeKill.clientLosses,
            nodeKill.storageLosses,
            nodeKill.divergentDocs,
          ],
        ],
      ),
    );
  }
  const notes = [...(fanout?.notes ?? []), ...(throughput?.notes ?? []), ...(nodeKill?.notes ?? []), ...results.errors];
  for (const [node, logs] of Object.entries(results.nodeLogs)) {
    if (logs.count > 0) notes.push(`node ${node} logged ${logs.count} warnings/errors, first: ${logs.first[0]}`);
  }
  if (notes.length > 0) out.push('', 'Notes:', ...notes.map((note) => `  - ${note}`));
  out.push('', `Load average at the end: ${results.loadAverage.end.join(' ')}`);
  return out.join('\n');
}

export function writeResults(results: ClusterBenchResults, file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
}
