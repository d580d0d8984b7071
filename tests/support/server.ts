import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWaymarkServer, loadConfig, type MapStore, type WaymarkServer } from '@waymark/server';
import pino, { type Logger } from 'pino';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const serverMain = join(repoRoot, 'apps/server/dist/main.js');

export function tempDataDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'waymark-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

// One logger for every in-process server: each pino instance hooks process exit.
const logger = pino({ level: process.env.WAYMARK_TEST_LOG ?? 'silent' });

export interface RunningServer {
  url: string;
  server: WaymarkServer;
  close(): Promise<void>;
}

/** Starts the real server in this process on port 0 with SQLite in `dataDir`. */
export async function startServer(
  dataDir: string,
  env: Record<string, string> = {},
  parts: { store?: MapStore; logger?: Logger } = {},
): Promise<RunningServer> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    WEB_DIR: '',
    // Every test creates its maps from 127.0.0.1, many a second, and most without a workspace link.
    MAP_CREATION_RATE: '1000000',
    MAP_CREATION: 'anyone',
    ...env,
  });
  const server = createWaymarkServer(config, { logger, ...parts });
  const url = await server.listen();
  return { url, server, close: () => server.close() };
}

export interface ChildServer {
  url: string;
  child: ChildProcess;
  /** Every log line the process wrote, parsed. */
  logs: Record<string, unknown>[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns `node apps/server/dist/main.js` as a separate process, for kill and signal tests. */
export async function spawnServer(dataDir: string, env: Record<string, string> = {}): Promise<ChildServer> {
  const child = spawn(process.execPath, [serverMain], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      WEB_DIR: '',
      MAP_CREATION_RATE: '1000000',
      MAP_CREATION: 'anyone',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`server did not start in time: ${stderr}`)), 15_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        try {
          const entry = JSON.parse(line) as Record<string, unknown>;
          logs.push(entry);
          if (entry.msg === 'Waymark is listening') {
            clearTimeout(timer);
            resolve(`http://127.0.0.1:${String(entry.port)}`);
          }
        } catch {
          // not a log line
        }
      }
    });
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening: ${stderr}`));
    });
  });
  return { url, child, logs, exited };
}
