import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchOptions } from '../options.js';
import type { PolicyCostReply, PolicyCostRequest } from '../protocol.js';
import { tsxLoader } from '../servers.js';
import type { ScenarioResult } from './result.js';

const script = fileURLToPath(new URL('../policy-cost.ts', import.meta.url));

/**
 * Waymark's update check against the Yjs apply it guards, per update: a keystroke, a card move
 * and a 1,000-card paste into the editor benchmark's 500-card map (see policy-cost.ts). In-process
 * and without sockets, in a child process of its own so nothing else this harness holds shares
 * its heap.
 */
export async function policyCost(options: BenchOptions): Promise<ScenarioResult> {
  const request: PolicyCostRequest = { scale: options.scale, seed: 11 };
  const result: ScenarioResult = { scenario: 'policy-cost', server: 'waymark', load: { seed: request.seed }, notes: [] };
  const child = fork(script, [], {
    execArgv: ['--import', tsxLoader],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const reply = await new Promise<PolicyCostReply>((resolve, reject) => {
      child.once('message', (message: PolicyCostReply) => resolve(message));
      child.once('exit', (code, signal) => reject(new Error(`policy-cost process exited (${code ?? signal})`)));
      child.send(request);
    });
    if (reply.type === 'error') throw new Error(reply.message);
    result.policyCost = reply.rows;
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
  } finally {
    child.kill();
  }
  return result;
}
