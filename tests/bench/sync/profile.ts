import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchOptions } from './options.js';
import { workshop } from './scenarios/workshop.js';
import { removeDir, tempDir } from './servers.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

interface Row {
  name: string;
  selfMs: number;
}

/** Where a function lives: a package, Waymark's own code, or Node/V8 itself. */
function area(url: string): string {
  if (!url) return '(V8 / native)';
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const pnpm = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pnpm) return pnpm[1]!;
  const plain = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (plain) return plain[1]!;
  const own = /(apps\/server\/dist\/[^?]+|packages\/model\/dist\/[^?]+|tests\/bench\/[^?]+)/.exec(url);
  return own ? own[1]! : url;
}

/** Self time per function and per area, from a V8 .cpuprofile. */
export function summariseProfile(profile: CpuProfile): { total: number; functions: Row[]; areas: Row[] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const functions = new Map<string, number>();
  const areas = new Map<string, number>();
  let total = 0;
  for (const [id, timeMs] of self) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)') continue;
    total += timeMs;
    const where = area(frame.url);
    const name = `${frame.functionName || '(anonymous)'} — ${where}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
    functions.set(name, (functions.get(name) ?? 0) + timeMs);
    areas.set(where, (areas.get(where) ?? 0) + timeMs);
  }
  const rows = (m: Map<string, number>) => [...m].map(([name, selfMs]) => ({ name, selfMs })).sort((a, b) => b.selfMs - a.selfMs);
  return { total, functions: rows(functions), areas: rows(areas) };
}

/** Runs the workshop against Waymark under --cpu-prof and writes results/profile.md. */
export async function profileWorkshop(options: BenchOptions): Promise<void> {
  const dir = tempDir('profile');
  try {
    const result = await workshop('waymark', { ...options, sweep: false }, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
    if (result.error) throw new Error(result.error);
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error('the server wrote no profile');
    const keep = join(options.outDir, 'tmp');
    mkdirSync(keep, { recursive: true });
    copyFileSync(join(dir, file), join(keep, 'waymark-workshop.cpuprofile'));
    const summary = summariseProfile(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile);
    const share = (row: Row) => `${row.selfMs.toFixed(0)} ms | ${((row.selfMs / summary.total) * 100).toFixed(1)}%`;
    const md = `# Waymark under --cpu-prof: workshop scenario

${new Date().toISOString()}; ${result.load.durationS} s of load: 50 clients, 5 writers at 10 updates/s, awareness 2 Hz.
Fan-out p99 ${result.fanout?.p99.toFixed(1)} ms, server CPU ${result.serverCpuPct?.toFixed(0)}% of a core (profiling adds a little).
Busy (non-idle) samples: ${summary.total.toFixed(0)} ms over the whole process life (start-up and shutdown included).
The raw profile is in results/tmp/waymark-workshop.cpuprofile (not committed; open it in Chrome DevTools).

## Self time by area

| area | self time | share of busy |
|---|---|---|
${summary.areas
  .slice(0, 20)
  .map((r) => `| ${r.name} | ${share(r)} |`)
  .join('\n')}

## Top functions by self time

| function — where | self time | share of busy |
|---|---|---|
${summary.functions
  .slice(0, 30)
  .map((r) => `| ${r.name.replace(/\|/g, '\\|')} | ${share(r)} |`)
  .join('\n')}
`;
    writeFileSync(join(options.outDir, 'profile.md'), md);
    console.log(md);
  } finally {
    removeDir(dir);
  }
}
