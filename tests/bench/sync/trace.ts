import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PerformanceObserver, performance } from 'node:perf_hooks';

/**
 * Timelines for finding out where a latency spike came from. With BENCH_TRACE_DIR set, client
 * processes write every update slower than SLOW_UPDATE_MS (`sentAt delay writer`, epoch ms), and
 * server processes every event-loop stall past STALL_MS and every GC pause past GC_MS
 * (`stall|gc startedAt ms [gc kind]`, epoch ms), so spikes line up with what the server did.
 */
export const traceDir = process.env.BENCH_TRACE_DIR || undefined;
export const SLOW_UPDATE_MS = 15;
const STALL_MS = 30;
const GC_MS = 5;

export function appendTrace(file: string, lines: readonly string[]): void {
  if (!traceDir || lines.length === 0) return;
  mkdirSync(traceDir, { recursive: true });
  appendFileSync(join(traceDir, file), `${lines.join('\n')}\n`);
}

/** Records this process's event-loop stalls and GC pauses into `file`, flushed every second. */
export function traceStalls(file: string): void {
  if (!traceDir) return;
  let lines: string[] = [];
  let last = Date.now();
  setInterval(() => {
    const now = Date.now();
    if (now - last > STALL_MS) lines.push(`stall ${last} ${now - last}`);
    last = now;
  }, 5).unref();
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.duration <= GC_MS) continue;
      const gcKind = (entry as { detail?: { kind?: number } }).detail?.kind ?? '';
      lines.push(`gc ${Math.round(performance.timeOrigin + entry.startTime)} ${Math.round(entry.duration)} ${gcKind}`);
    }
  }).observe({ entryTypes: ['gc'] });
  const flush = () => {
    appendTrace(file, lines);
    lines = [];
  };
  setInterval(flush, 1000).unref();
  process.on('exit', flush);
}
