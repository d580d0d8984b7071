import { fork, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_TEMPLATE, benchTemplateState } from './bench-document.js';
import type { ClientSpec, HostReply, HostRequest, HostStats, ServerKind } from './protocol.js';
export { freePort } from '../../support/free-port.js';
import { freePort } from '../../support/free-port.js';

const hostScript = fileURLToPath(new URL('./server-host.ts', import.meta.url));
export const tsxLoader = import.meta.resolve('tsx');
/** Waymark's link-signing secret for bench runs, so the harness can sign tokens for seeded maps. */
export const BENCH_AUTH_SECRET = 'waymark-bench-secret-0123456789';
/** When set, each server's stdout (its log) goes to a file in this folder. */
const logDir = process.env.BENCH_SERVER_LOGS;
/** Extra node flags for every server process, space-separated (e.g. "--trace-gc" with BENCH_SERVER_LOGS). */
const extraNodeFlags = (process.env.BENCH_SERVER_NODE_FLAGS ?? '').split(' ').filter(Boolean);

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `waymark-bench-${prefix}-`));
}

export interface HostOptions {
  kind: ServerKind;
  dataDir: string;
  /** Extra flags for node, e.g. --cpu-prof. */
  nodeFlags?: string[];
}

/** One server under test in its own process (server-host.ts), on a port kept across restarts. */
export class ServerProcess {
  #child: ChildProcess | null = null;
  #pending: ((stats: HostStats) => void)[] = [];
  #exited: Promise<void> = Promise.resolve();

  private constructor(
    readonly options: HostOptions,
    readonly port: number,
  ) {}

  static async start(options: HostOptions): Promise<ServerProcess> {
    const server = new ServerProcess(options, await freePort());
    await server.spawn();
    return server;
  }

  get pid(): number {
    return this.#child?.pid ?? -1;
  }

  get httpUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** Starts the process (again) and resolves once it listens; returns how long that took. */
  async spawn(timeoutMs = 60_000): Promise<number> {
    const started = performance.now();
    const child = fork(hostScript, [], {
      execArgv: ['--expose-gc', '--import', tsxLoader, ...extraNodeFlags, ...(this.options.nodeFlags ?? [])],
      env: {
        ...process.env,
        BENCH_SERVER_KIND: this.options.kind,
        BENCH_PORT: String(this.port),
        BENCH_DATA_DIR: this.options.dataDir,
        BENCH_AUTH_SECRET,
        NODE_ENV: 'production',
      },
      stdio: ['ignore', logDir ? 'pipe' : 'ignore', 'pipe', 'ipc'],
    });
    this.#child = child;
    if (logDir) child.stdout?.pipe(createWriteStream(join(logDir, `${this.options.kind}-${child.pid}.log`)));
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.on('message', (message: HostReply) => {
      if (message.type === 'stats') this.#pending.shift()?.(message.stats);
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.options.kind} did not start: ${stderr}`)), timeoutMs);
      child.on('message', (message: HostReply) => {
        if (message.type === 'ready') {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${this.options.kind} exited (${code ?? signal}) before listening: ${stderr}`));
      });
    });
    return performance.now() - started;
  }

  resetStats(): void {
    this.#send({ type: 'stats-reset' });
  }

  /** CPU, memory and event-loop delay since the last reset; `gc` collects garbage first. */
  stats(gc = false): Promise<HostStats> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('server host did not report stats')), 30_000);
      this.#pending.push((stats) => {
        clearTimeout(timer);
        resolve(stats);
      });
      this.#send({ type: 'stats', gc });
    });
  }

  /** SIGKILL, as a crash would: nothing is flushed. */
  async kill(): Promise<void> {
    this.#child?.kill('SIGKILL');
    await this.#exited;
    this.#pending = [];
  }

  /** SIGTERM and wait; SIGKILL after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await this.#exited;
    clearTimeout(timer);
  }

  #send(message: HostRequest): void {
    if (this.#child?.connected) this.#child.send(message);
  }
}

export interface Room {
  name: string;
  /** An editor link's token (Waymark). */
  token?: string;
  /** A viewer link's token (Waymark). */
  viewerToken?: string;
}

/**
 * Creates `count` rooms: Waymark maps through its HTTP API (from BENCH_TEMPLATE), names elsewhere
 * (their clients bring the same template map: roomTemplate).
 */
export async function createRooms(server: ServerProcess, count: number, prefix: string): Promise<Room[]> {
  const rooms: Room[] = [];
  for (let i = 0; i < count; i++) {
    if (server.options.kind !== 'waymark') {
      rooms.push({ name: `${prefix}-${i}` });
      continue;
    }
    const response = await fetch(`${server.httpUrl}/api/maps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: `${prefix} ${i}`, template: BENCH_TEMPLATE }),
    });
    if (response.status !== 201) throw new Error(`create map failed: ${response.status} ${await response.text()}`);
    const created = (await response.json()) as { id: string; links: { editor: string; viewer: string } };
    const tokenOf = (link: string) => {
      const token = /token=([^&]+)/.exec(new URL(link).hash)?.[1];
      if (!token) throw new Error(`no token in ${link}`);
      return token;
    };
    rooms.push({ name: created.id, token: tokenOf(created.links.editor), viewerToken: tokenOf(created.links.viewer) });
  }
  return rooms;
}

/**
 * The map a room's clients start with: none for Waymark (its rooms are created from the template
 * by POST /api/maps), the same template map for the servers without a map API.
 */
export function roomTemplate(kind: ServerKind): Uint8Array | undefined {
  return kind === 'waymark' ? undefined : benchTemplateState();
}

/**
 * `clientsPerRoom` clients in each room, the first of them its one writer (`w<room index>`), and
 * which room each writer writes in.
 */
export function oneWriterPerRoom(rooms: readonly Room[], clientsPerRoom: number) {
  const specs: ClientSpec[] = rooms.flatMap((room, r) =>
    Array.from({ length: clientsPerRoom }, (_, c) => ({
      id: r * clientsPerRoom + c,
      room: room.name,
      token: room.token,
      writerId: c === 0 ? `w${r}` : undefined,
    })),
  );
  const writerRooms: Record<string, string> = Object.fromEntries(specs.filter((s) => s.writerId).map((s) => [s.writerId!, s.room]));
  return { specs, writerRooms };
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
