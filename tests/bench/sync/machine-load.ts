import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/**
 * How busy the whole machine was over a stretch of time, from /proc/stat: the bench shares its
 * 2 cores with whatever else runs, and the figures mean little without knowing that.
 */
export interface MachineSample {
  busy: number;
  total: number;
}

export function sampleMachine(): MachineSample | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

/** Busy CPU between two samples, in % of one core (200% = both cores of a 2-core machine). */
export function busyPct(from: MachineSample | undefined, to: MachineSample | undefined): number | undefined {
  if (!from || !to || to.total === from.total) return undefined;
  return ((to.busy - from.busy) / (to.total - from.total)) * 100 * cpus().length;
}
