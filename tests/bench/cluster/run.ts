/**
 * `pnpm bench:cluster`: Waymark as several nodes (server processes sharing one PostgreSQL and one
 * Redis, all on 127.0.0.1), in one run: fan-out latency within a node and across nodes, the
 * update rate two nodes sustain against one, and a node SIGKILLed while its clients type.
 * Prints the figures and writes tests/bench/results/cluster.json. See `--help`.
 */
import { readFileSync } from 'node:fs';

import { fileURLToPath } from 'node:url';
import { Cluster } from './cluster.js';
import { parseOptions } from './options.js';
import { formatReport, writeResults, type ClusterBenchResults } from './report.js';
import { fanoutLatency } from './scenarios/fanout-latency.js';
import { nodeKill } from './scenarios/node-kill.js';
import { throughput } from './scenarios/throughput.js';
import { machine, waymarkVersion } from '../measured.js';

const options = parseOptions(process.argv.slice(2), fileURLToPath(new URL('../results/cluster.json', import.meta.url)));
const started = Date.now();
const log = (line: string) => console.log(`[bench:cluster ${((Date.now() - started) / 1000).toFixed(0)}s] ${line}`);

function loadAverage(): number[] {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
  } catch {
    return [];
  }
}

const results: ClusterBenchResults = {
  startedAt: new Date(started).toISOString(),
  finishedAt: '',
  waymark: waymarkVersion(),
  machine: machine(),
  loadAverage: { start: loadAverage(), end: [] },
  options,
  nodeLogs: {},
  errors: [],
};

log('starting PostgreSQL, Redis and two nodes…');
const cluster = await Cluster.start();
try {
  const a = await cluster.startNode('A');
  const b = await cluster.startNode('B');
  log(`nodes up: A pid ${a.pid} (${a.url}), B pid ${b.pid} (${b.url})`);
  const attempt = async (name: string, run: () => Promise<void>) => {
    if (!options.scenarios.includes(name as never)) return;
    log(`${name}…`);
    try {
      await run();
    } catch (error) {
      results.errors.push(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      log(`${name} FAILED: ${String(error)}`);
    }
  };
  await attempt('fanout', async () => void (results.fanout = await fanoutLatency(a, b, options)));
  await attempt('throughput', async () => void (results.throughput = await throughput(a, b, options)));
  // Last: it kills both nodes.
  await attempt('node-kill', async () => void (results.nodeKill = await nodeKill(cluster, a, b, options)));
  for (const node of cluster.nodes) {
    results.nodeLogs[node.name] = { count: node.process.notableCount(), first: node.process.notable };
  }
} finally {
  log('stopping the cluster…');
  await cluster.stop();
}
results.finishedAt = new Date().toISOString();
results.loadAverage.end = loadAverage();
console.log(`\n${formatReport(results)}\n`);
writeResults(results, options.out);
log(`wrote ${options.out}`);
if (results.errors.length > 0) process.exitCode = 1;
