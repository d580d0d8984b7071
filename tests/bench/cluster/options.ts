import { parseArgs } from 'node:util';

export interface ClusterBenchOptions {
  /** Fan-out: seconds of steady typing. */
  latencySeconds: number;
  /** Fan-out: keystrokes per second of each of the two writers. */
  latencyHz: number;
  /** Fan-out: readers on each node. */
  readersPerNode: number;
  /** Throughput: writers, all on one map (and, in the many-maps variant, one map each). */
  writers: number;
  /** Throughput: keystrokes each writer sends. */
  updatesPerWriter: number;
  /** Node kill: maps, and clients on each (half on each node, every one typing). */
  killMaps: number;
  killClientsPerMap: number;
  /** Node kill: seconds of typing before the SIGKILL, and after it. */
  beforeKillSeconds: number;
  afterKillSeconds: number;
  /** Runs only these scenarios (all three by default). */
  scenarios: ScenarioName[];
  /** The JSON result file. */
  out: string;
}

export const SCENARIOS = ['fanout', 'throughput', 'node-kill'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

const USAGE = `pnpm bench:cluster [-- options]   (or: tsx tests/bench/cluster/run.ts [options])
  --scenario a,b          ${SCENARIOS.join(', ')} (default: all)
  --latency-seconds s     fan-out: seconds of typing (default 60)
  --latency-hz x          fan-out: keystrokes/s of each of the 2 writers (default 20)
  --readers n             fan-out: readers on each node (default 2)
  --writers n             throughput: writers (default 20)
  --updates n             throughput: keystrokes per writer (default 1000)
  --kill-maps n           node kill: maps (default 4)
  --kill-clients n        node kill: clients per map, all typing (default 8)
  --before-kill s         node kill: seconds of typing before the SIGKILL (default 15)
  --after-kill s          node kill: seconds of typing after it (default 20)
  --scale x               durations, writers, updates and maps × x (default 1)
  --out file              result file (default tests/bench/results/cluster.json)`;

export function parseOptions(argv: string[], defaultOut: string): ClusterBenchOptions {
  const { values } = parseArgs({
    args: argv.filter((arg) => arg !== '--'),
    strict: true,
    options: {
      scenario: { type: 'string' },
      'latency-seconds': { type: 'string' },
      'latency-hz': { type: 'string' },
      readers: { type: 'string' },
      writers: { type: 'string' },
      updates: { type: 'string' },
      'kill-maps': { type: 'string' },
      'kill-clients': { type: 'string' },
      'before-kill': { type: 'string' },
      'after-kill': { type: 'string' },
      scale: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const number = (raw: string | undefined, fallback: number, name: string): number => {
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} wants a positive number, not "${raw}"\n${USAGE}`);
    return value;
  };
  const scale = number(values.scale, 1, 'scale');
  const scaled = (raw: string | undefined, fallback: number, name: string, least: number) =>
    Math.max(least, Math.round(number(raw, fallback, name) * scale));
  const scenarios = (values.scenario ?? SCENARIOS.join(','))
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  for (const name of scenarios) {
    if (!(SCENARIOS as readonly string[]).includes(name)) throw new Error(`unknown scenario "${name}" (known: ${SCENARIOS.join(', ')})`);
  }
  return {
    latencySeconds: scaled(values['latency-seconds'], 60, 'latency-seconds', 3),
    latencyHz: number(values['latency-hz'], 20, 'latency-hz'),
    readersPerNode: Math.round(number(values.readers, 2, 'readers')),
    writers: scaled(values.writers, 20, 'writers', 2),
    updatesPerWriter: scaled(values.updates, 1000, 'updates', 10),
    killMaps: scaled(values['kill-maps'], 4, 'kill-maps', 1),
    // Even, so each map has as many clients on the node that is killed as on the one that survives.
    killClientsPerMap: Math.max(2, 2 * Math.round(number(values['kill-clients'], 8, 'kill-clients') / 2)),
    beforeKillSeconds: scaled(values['before-kill'], 15, 'before-kill', 2),
    afterKillSeconds: scaled(values['after-kill'], 20, 'after-kill', 3),
    scenarios: scenarios as ScenarioName[],
    out: values.out ?? defaultOut,
  };
}
