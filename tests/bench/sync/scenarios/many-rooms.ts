import type { BenchOptions } from '../options.js';
import type { ServerKind } from '../protocol.js';
import type { ScenarioResult } from './result.js';

export async function manyRooms(kind: ServerKind, _options: BenchOptions): Promise<ScenarioResult> {
  return { scenario: 'many-rooms', server: kind, load: {}, notes: [], error: 'not written yet' };
}
