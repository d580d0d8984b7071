import type { ClientPool } from '../client-pool.js';
import type { ServerKind } from '../protocol.js';
import { removeDir, ServerProcess, tempDir } from '../servers.js';
import type { ScenarioResult } from './result.js';

/**
 * Runs a scenario on a fresh server of `kind` in a folder of its own. Whatever happens, the
 * client pools it made (handed to `track`) are closed, the server stopped and the folder removed;
 * a failure is kept in `result.error` rather than ending the whole benchmark.
 */
export async function onFreshServer(
  kind: ServerKind,
  result: ScenarioResult,
  run: (server: ServerProcess, track: (pool: ClientPool) => ClientPool) => Promise<void>,
  start: { nodeFlags?: string[] } = {},
): Promise<ScenarioResult> {
  const dataDir = tempDir(kind);
  const server = await ServerProcess.start({ kind, dataDir, ...start });
  const pools: ClientPool[] = [];
  try {
    await run(server, (pool) => {
      pools.push(pool);
      return pool;
    });
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
  } finally {
    for (const pool of pools) await pool.close();
    await server.stop();
    removeDir(dataDir);
  }
  return result;
}
