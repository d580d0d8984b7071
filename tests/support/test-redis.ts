import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileService } from './file-service.js';
import { freePort } from './free-port.js';

/** A Redis of the test file's own: a free port, a temporary folder, nothing saved; gone afterwards. */
export interface TestRedis {
  readonly url: string;
  /** Stops the server (waits for its process to exit). */
  stop(): Promise<void>;
  /** Kills the server, as a crash would; nothing it held is kept. */
  crash(): Promise<void>;
  /** Starts it again after a crash, empty, on the same port (nothing to do when it runs). */
  startAgain(): Promise<void>;
}

export const REDIS_MISSING = "redis-server is not installed (Debian's redis-server package: apt-get install redis-server)";

/** Runs redis-server on `port` and resolves once it accepts connections; rejects with its output when it does not start. */
async function runRedis(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start in time: ${output.slice(-1000)}`)), 10_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}: ${output.slice(-1000)}`));
    });
  });
  return child;
}

async function stopRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

export async function startTestRedis(): Promise<TestRedis> {
  if (spawnSync('redis-server', ['--version']).error) throw new Error(REDIS_MISSING);
  const dir = mkdtempSync(join(tmpdir(), 'waymark-redis-'));
  let lastError: unknown;
  // A port taken between the probe and the server's bind is the one failure worth a retry.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    let child: ChildProcess;
    try {
      child = await runRedis(port, dir);
    } catch (error) {
      lastError = error;
      continue;
    }
    let crashed = false;
    return {
      url: `redis://127.0.0.1:${port}`,
      async stop() {
        await stopRedis(child);
        rmSync(dir, { recursive: true, force: true });
      },
      async crash() {
        await stopRedis(child);
        crashed = true;
      },
      async startAgain() {
        // One that runs already is left as it is.
        if (!crashed) return;
        child = await runRedis(port, dir);
        crashed = false;
      },
    };
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastError;
}

/** One Redis for the test file (see fileService); skipped, naming the package, where redis-server is missing. */
export function useTestRedis(): { server(skip: (reason: string) => void): Promise<TestRedis> } {
  const redis = fileService(startTestRedis);
  return { server: (skip) => redis.get(skip) };
}
