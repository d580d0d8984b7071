import { execFileSync } from 'node:child_process';
import { cpus, release, totalmem } from 'node:os';

/** Which Waymark a bench measured: the commit, and whether the server or model had changes beyond it. */
export function waymarkVersion(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim();
    const dirty = git('status', '--porcelain', '--', 'apps/server', 'packages/model') !== '';
    return `${git('rev-parse', '--short', 'HEAD')}${dirty ? ' (with uncommitted server/model changes)' : ''}`;
  } catch {
    return 'unknown';
  }
}

/** The machine a bench ran on. */
export function machine() {
  const cpu = cpus();
  return {
    cores: cpu.length,
    cpuModel: cpu[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    os: `${process.platform} ${release()}`,
  };
}
