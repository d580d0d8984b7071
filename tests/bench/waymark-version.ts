import { execFileSync } from 'node:child_process';

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
