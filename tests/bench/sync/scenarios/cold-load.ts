import type { BenchOptions } from '../options.js';
import type { ServerKind } from '../protocol.js';
import type { ScenarioResult } from './result.js';

export async function coldLoad(kind: ServerKind, _options: BenchOptions): Promise<ScenarioResult> {
  return { scenario: 'cold-load', server: kind, load: {}, notes: [], error: 'not written yet' };
}
