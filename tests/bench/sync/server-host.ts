/**
 * Runs one server under test inside this process and reports its CPU, memory and event-loop delay
 * over IPC. The same wrapper hosts all four servers, so what it measures (and costs) is the same
 * for each. Started by servers.ts with:
 *   BENCH_SERVER_KIND  waymark | ywebsocket | hocuspocus | relay
 *   BENCH_PORT         the port to listen on, on 127.0.0.1 only (kept across a restart)
 *   BENCH_DATA_DIR     where the server keeps its storage
 *   BENCH_AUTH_SECRET  Waymark's link-signing secret, so the harness can sign tokens itself
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { HostReply, HostRequest, HostStats, ServerKind } from './protocol.js';
import { createRelay } from './relay.js';
import { traceStalls } from './trace.js';

const kind = process.env.BENCH_SERVER_KIND as ServerKind;
traceStalls(`stalls-${kind}-${process.pid}.txt`);
const port = Number(process.env.BENCH_PORT);
const dataDir = process.env.BENCH_DATA_DIR ?? '';
const HOST = '127.0.0.1';

const reply = (message: HostReply) => process.send?.(message);
mkdirSync(dataDir, { recursive: true });

/** Resolves to a function that stops the server cleanly (used on SIGTERM). */
async function start(): Promise<() => Promise<void>> {
  switch (kind) {
    case 'waymark': {
      const { createWaymarkServer, loadConfig } = await import('@waymark/server');
      const config = loadConfig({
        PORT: String(port),
        HOST,
        DATA_DIR: dataDir,
        AUTH_SECRET: process.env.BENCH_AUTH_SECRET,
        LOG_LEVEL: process.env.BENCH_WAYMARK_LOG_LEVEL ?? 'warn',
        WEB_DIR: '',
        // Every bench client comes from 127.0.0.1; in production they come from many addresses.
        MAX_CONNECTIONS_PER_IP: '1000000',
        MAP_CREATION_RATE: '1000000',
        MAP_CREATION: 'anyone',
        // For experiments only (e.g. memory, to see what the storage path costs); unset in runs.
        STORAGE: process.env.BENCH_WAYMARK_STORAGE,
      });
      const server = createWaymarkServer(config);
      await server.listen();
      return () => server.close();
    }
    case 'ywebsocket': {
      // The reference server exactly as its bin starts it (src/server.js: HOST, PORT, and
      // YPERSISTENCE for LevelDB), loaded by path because its package does not export the bin.
      process.env.HOST = HOST;
      process.env.PORT = String(port);
      process.env.YPERSISTENCE = join(dataDir, 'leveldb');
      const require = createRequire(import.meta.url);
      const packageJson = require.resolve('@y/websocket-server/package.json');
      await import(pathToFileURL(join(packageJson, '..', 'src', 'server.js')).href);
      await waitForPort(port);
      return async () => {};
    }
    case 'hocuspocus': {
      const { Server } = await import('@hocuspocus/server');
      const { SQLite } = await import('@hocuspocus/extension-sqlite');
      // Defaults otherwise: documents are stored 2 s after the last change (10 s at most).
      const server = new Server({
        port,
        address: HOST,
        quiet: true,
        stopOnSignals: false,
        extensions: [new SQLite({ database: join(dataDir, 'hocuspocus.sqlite') })],
      });
      await server.listen();
      return () => server.destroy();
    }
    case 'relay': {
      const relay = createRelay();
      await new Promise<void>((resolve) => relay.listen(port, HOST, resolve));
      return async () => {
        relay.closeAllConnections();
        relay.close();
      };
    }
    default:
      throw new Error(`unknown BENCH_SERVER_KIND ${String(kind)}`);
  }
}

function waitForPort(target: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = connect(target, HOST);
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`nothing listens on ${target}`));
        else setTimeout(attempt, 20);
      });
    };
    attempt();
  });
}

// The histogram records the time between timer ticks; what lies beyond the resolution is delay.
const RESOLUTION_MS = 10;
const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
delay.enable();
let cpuAtReset = process.cpuUsage();
let wallAtReset = performance.now();
let rssMax = process.memoryUsage.rss();
const rssSampler = setInterval(() => (rssMax = Math.max(rssMax, process.memoryUsage.rss())), 250);
rssSampler.unref();

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return;
  gc();
  gc();
}

function stats(gc: boolean): HostStats {
  if (gc) collectGarbage();
  const cpu = process.cpuUsage(cpuAtReset);
  const memory = process.memoryUsage();
  const ms = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
  return {
    cpuMs: (cpu.user + cpu.system) / 1000,
    wallMs: performance.now() - wallAtReset,
    rssBytes: memory.rss,
    rssMaxBytes: Math.max(rssMax, memory.rss),
    heapUsedBytes: memory.heapUsed,
    eventLoopDelay: {
      p50Ms: ms(delay.percentile(50)),
      p99Ms: ms(delay.percentile(99)),
      maxMs: ms(delay.max),
      meanMs: Number.isNaN(delay.mean) ? 0 : ms(delay.mean),
    },
  };
}

process.on('message', (message: HostRequest) => {
  if (message.type === 'stats-reset') {
    delay.reset();
    cpuAtReset = process.cpuUsage();
    wallAtReset = performance.now();
    rssMax = process.memoryUsage.rss();
  } else if (message.type === 'stats') {
    reply({ type: 'stats', stats: stats(message.gc) });
  }
});
// The orchestrator going away must not leave a server behind.
process.on('disconnect', () => process.exit(0));

const stop = await start();
let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
reply({ type: 'ready', port });
