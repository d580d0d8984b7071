import { SERVER_KINDS, type ServerKind } from './protocol.js';

export const SCENARIOS = ['workshop', 'many-rooms', 'cold-load', 'restart-storm', 'hostile-frames', 'policy-cost'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface BenchOptions {
  scenarios: ScenarioName[];
  servers: ServerKind[];
  /** Multiplies durations and sizes; 1 is the full size. */
  scale: number;
  /** Overrides the load duration of the workshop and many-rooms scenarios, in seconds. */
  durationS: number | undefined;
  /** Runs of every scenario on every server, in rotating order; the median run is reported. */
  rounds: number;
  /** Client processes per scenario run. */
  processes: number;
  /** Also run the workshop at 1, 10 and 20 writers, for the p99-against-load chart. */
  sweep: boolean;
  /** Run Waymark's workshop under --cpu-prof and summarise the profile. */
  profile: boolean;
  /** Workshop awareness rate per client (the 2 Hz); 0 isolates document fan-out. */
  awarenessHz: number;
  /** Restart storm size; the issue asks for 1,000 clients. */
  stormClients: number;
  outDir: string;
}

const USAGE = `pnpm bench [-- options]   (or: tsx tests/bench/sync/run.ts [options])
  --scenario a,b     ${SCENARIOS.join(', ')}
                     (default: all; also --scenarios)              env BENCH_SCENARIOS
  --server a,b       ${SERVER_KINDS.join(', ')} (default: all; also --servers)
                     hostile-frames runs on waymark and ywebsocket only, policy-cost
                     (in-process, no server) once, as waymark      env BENCH_SERVERS
  --scale x          sizes and durations × x (default 1)          env BENCH_SCALE
  --duration s       load phase length in seconds (hostile-frames: each phase)  env BENCH_DURATION
  --processes n      client processes (default 2)                  env BENCH_PROCESSES
  --rounds n         runs per scenario and server, median reported  env BENCH_ROUNDS
  --storm-clients n  restart storm clients (default 1000 × scale)  env BENCH_STORM_CLIENTS
  --awareness-hz x   workshop awareness rate per client (default 2) env BENCH_AWARENESS_HZ
  --no-sweep         skip the 1/10/20-writer workshop steps        env BENCH_SWEEP=0
  --profile          only: Waymark workshop under --cpu-prof, summarised to results/profile.md
  --out dir          results folder (default tests/bench/results)`;

const VALUE_FLAGS = new Set(['scenario', 'server', 'scale', 'duration', 'processes', 'rounds', 'storm-clients', 'awareness-hz', 'out']);

/** Plural spellings people type (the issues use them). */
const ALIASES: Record<string, string> = { scenarios: 'scenario', servers: 'server' };

function list<T extends string>(raw: string | undefined, allowed: readonly T[], what: string): T[] {
  if (!raw) return [...allowed];
  const values = raw
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  for (const value of values) {
    if (!(allowed as readonly string[]).includes(value)) throw new Error(`unknown ${what} "${value}" (known: ${allowed.join(', ')})`);
  }
  return values as T[];
}

function positive(raw: string | undefined, what: string): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${what} must be a positive number, got "${raw}"`);
  return value;
}

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv, defaultOut: string): BenchOptions {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') continue;
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    if (arg === '--no-sweep' || arg === '--profile') {
      flags.set(arg.slice(2), '1');
      continue;
    }
    if (!arg.startsWith('--')) throw new Error(`unexpected argument "${arg}"\n${USAGE}`);
    const [given, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    const name = ALIASES[given] ?? given;
    if (!VALUE_FLAGS.has(name)) throw new Error(`unknown option --${given}\n${USAGE}`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`--${name} needs a value\n${USAGE}`);
    flags.set(name, value);
  }
  const scale = positive(flags.get('scale') ?? env.BENCH_SCALE, 'scale') ?? 1;
  const profile = flags.has('profile');
  return {
    scenarios: profile ? ['workshop'] : list(flags.get('scenario') ?? env.BENCH_SCENARIOS, SCENARIOS, 'scenario'),
    servers: profile ? ['waymark'] : list(flags.get('server') ?? env.BENCH_SERVERS, SERVER_KINDS, 'server'),
    scale,
    durationS: positive(flags.get('duration') ?? env.BENCH_DURATION, 'duration'),
    rounds: Math.round(positive(flags.get('rounds') ?? env.BENCH_ROUNDS, 'rounds') ?? 1),
    processes: Math.round(positive(flags.get('processes') ?? env.BENCH_PROCESSES, 'processes') ?? 2),
    sweep: !profile && !flags.has('no-sweep') && env.BENCH_SWEEP !== '0',
    profile,
    awarenessHz: Number(flags.get('awareness-hz') ?? env.BENCH_AWARENESS_HZ ?? 2),
    stormClients: Math.round(positive(flags.get('storm-clients') ?? env.BENCH_STORM_CLIENTS, 'storm clients') ?? 1000 * scale),
    outDir: flags.get('out') ?? defaultOut,
  };
}
