import type { BenchOptions } from '../options.js';
import type { ServerKind } from '../protocol.js';
import type { ScenarioResult } from './result.js';

export async function restartStorm(kind: ServerKind, _options: BenchOptions): Promise<ScenarioResult> {
  return { scenario: 'restart-storm', server: kind, load: {}, notes: [], error: 'not written yet' };
}
