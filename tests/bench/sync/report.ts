import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchOptions } from './options.js';
import type { ScenarioResult } from './scenarios/result.js';

export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  machine: { cores: number; cpuModel: string; memoryGiB: number; node: string; os: string };
  options: BenchOptions;
  results: ScenarioResult[];
}

export function writeReport(bench: BenchResults, outDir: string): void {
  writeFileSync(join(outDir, 'latest.json'), `${JSON.stringify(bench, null, 2)}\n`);
}
