import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ClientSpec, LoadResult, ServerKind, WorkerReply, WorkerRequest } from './protocol.js';
import { tsxLoader } from './servers.js';

const workerScript = fileURLToPath(new URL('./client-worker.ts', import.meta.url));

type ReplyOf<T extends WorkerReply['type']> = Extract<WorkerReply, { type: T }>;

class Worker {
  readonly #child: ChildProcess;
  readonly #waiting = new Map<string, (reply: WorkerReply) => void>();
  #failure: Error | null = null;

  constructor(readonly index: number) {
    this.#child = fork(workerScript, [], {
      execArgv: ['--import', tsxLoader, '--max-old-space-size=4096'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.#child.on('message', (reply: WorkerReply) => {
      if (reply.type === 'error') {
        this.#failure = new Error(`client worker ${index}: ${reply.message}`);
        for (const resolve of this.#waiting.values()) resolve(reply);
        this.#waiting.clear();
        return;
      }
      const resolve = this.#waiting.get(reply.type);
      this.#waiting.delete(reply.type);
      resolve?.(reply);
    });
    this.#child.once('exit', (code, signal) => {
      this.#failure ??= new Error(`client worker ${index} exited (${code ?? signal})`);
      for (const resolve of this.#waiting.values()) resolve({ type: 'error', message: this.#failure.message });
      this.#waiting.clear();
    });
  }

  get pid(): number {
    return this.#child.pid ?? -1;
  }

  request<T extends WorkerReply['type']>(request: WorkerRequest, answer: T): Promise<ReplyOf<T>> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      this.#waiting.set(answer, (reply) => {
        if (reply.type === 'error') reject(new Error(reply.message));
        else resolve(reply as ReplyOf<T>);
      });
      this.#child.send(request);
    });
  }

  async close(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.#child.once('exit', resolve));
    await this.request({ type: 'close' }, 'closed').catch(() => undefined);
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

/**
 * The client processes of one scenario run. Clients of a room stay in one process where they can
 * (so their readers measure their writers); a room larger than a process's share is split.
 */
export class ClientPool {
  readonly #workers: Worker[];
  readonly #owner = new Map<number, Worker>();

  private constructor(count: number) {
    this.#workers = Array.from({ length: count }, (_, index) => new Worker(index));
  }

  /**
   * `templateState`: the map every client's document starts with, for servers without a map API
   * (see roomTemplate in servers.ts); leave it out where the server holds the map.
   */
  static async create(
    kind: ServerKind,
    wsUrl: string,
    clients: ClientSpec[],
    processes: number,
    templateState?: Uint8Array,
  ): Promise<ClientPool> {
    const pool = new ClientPool(processes);
    const shares: ClientSpec[][] = pool.#workers.map(() => []);
    const writers: Record<string, string> = {};
    for (const spec of clients) if (spec.writerId) writers[spec.writerId] = spec.room;
    // Whole rooms round-robin when rooms are small; one room's clients dealt out when it is large.
    const rooms = new Map<string, ClientSpec[]>();
    for (const spec of clients) rooms.set(spec.room, [...(rooms.get(spec.room) ?? []), spec]);
    if (rooms.size >= processes) {
      [...rooms.values()].forEach((members, i) => shares[i % processes]!.push(...members));
    } else {
      clients.forEach((spec, i) => shares[i % processes]!.push(spec));
    }
    shares.forEach((share, i) => share.forEach((spec) => pool.#owner.set(spec.id, pool.#workers[i]!)));
    await Promise.all(
      pool.#workers.map((worker, i) =>
        worker.request(
          {
            type: 'plan',
            plan: {
              kind,
              wsUrl,
              clients: shares[i]!,
              writers,
              templateState: templateState && Buffer.from(templateState).toString('base64'),
            },
          },
          'planned',
        ),
      ),
    );
    return pool;
  }

  get pids(): number[] {
    return this.#workers.map((w) => w.pid);
  }

  #all<T extends WorkerReply['type']>(request: WorkerRequest, answer: T): Promise<ReplyOf<T>[]> {
    return Promise.all(this.#workers.map((worker) => worker.request(request, answer)));
  }

  /** Connects the given clients (all when omitted); resolves with the slowest worker's time. */
  async connect(
    ids?: number[],
    timeoutMs = 120_000,
    stateVector?: Record<string, number>,
  ): Promise<{ ms: number; notReady: number; applyMs: number }> {
    const byWorker = new Map<Worker, number[]>();
    if (ids) for (const id of ids) byWorker.set(this.#owner.get(id)!, [...(byWorker.get(this.#owner.get(id)!) ?? []), id]);
    const replies = await Promise.all(
      this.#workers.map((worker) =>
        worker.request({ type: 'connect', ids: ids ? (byWorker.get(worker) ?? []) : undefined, timeoutMs, stateVector }, 'connected'),
      ),
    );
    return {
      ms: Math.max(...replies.map((r) => r.ms)),
      notReady: replies.reduce((n, r) => n + r.notReady, 0),
      applyMs: replies.reduce((n, r) => n + r.applyMs, 0),
    };
  }

  /**
   * Each writer adds its card to the map (through the model), and every client waits until it
   * holds the cards of its room's writers. Throws when some never arrive.
   */
  async addCards(timeoutMs = 60_000): Promise<void> {
    const replies = await this.#all({ type: 'add-cards', timeoutMs }, 'cards-added');
    const missing = replies.reduce((n, r) => n + r.missing, 0);
    if (missing > 0) throw new Error(`${missing} clients never received a writer's card`);
  }

  async load(writers: string[], writeHz: number, awarenessHz: number, durationMs: number): Promise<LoadResult> {
    const replies = await this.#all({ type: 'load', writers, writeHz, awarenessHz, durationMs }, 'loaded');
    return {
      delaysMs: replies.flatMap((r) => r.result.delaysMs),
      sent: Object.assign({}, ...replies.map((r) => r.result.sent)) as Record<string, number>,
      cpuMs: replies.reduce((n, r) => n + r.result.cpuMs, 0),
      wallMs: Math.max(...replies.map((r) => r.result.wallMs)),
    };
  }

  /**
   * Updates some reader has not received, polled until none is missing or `settleMs` passes
   * (what is still missing then is a loss).
   */
  async losses(sent: Record<string, number>, rooms: Record<string, string>, settleMs = 10_000): Promise<number> {
    const counts = Object.fromEntries(Object.entries(sent).map(([w, n]) => [w, { room: rooms[w]!, sent: n }]));
    const deadline = performance.now() + settleMs;
    for (;;) {
      const replies = await this.#all({ type: 'losses', sent: counts }, 'losses');
      const missing = replies.reduce((n, r) => n + r.missing, 0);
      if (missing === 0 || performance.now() > deadline) return missing;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  async armFreeze(): Promise<void> {
    await this.#all({ type: 'arm-freeze' }, 'armed');
  }

  async awaitFrozen(timeoutMs = 30_000): Promise<number> {
    const replies = await this.#all({ type: 'await-frozen', timeoutMs }, 'frozen');
    return replies.reduce((n, r) => n + r.stillOpen, 0);
  }

  async seen(): Promise<Record<string, number>> {
    const replies = await this.#all({ type: 'seen' }, 'seen');
    const merged: Record<string, number> = {};
    for (const reply of replies) {
      for (const [w, n] of Object.entries(reply.seen)) merged[w] = Math.max(merged[w] ?? 0, n);
    }
    return merged;
  }

  probe(rooms: { room: string; token?: string; writers: string[] }[], timeoutMs = 60_000): Promise<ReplyOf<'probed'>> {
    return this.#workers[0]!.request({ type: 'probe', rooms, timeoutMs }, 'probed');
  }

  async reconnect(timeoutMs = 120_000): Promise<{ ms: number; notReady: number }> {
    const replies = await this.#all({ type: 'reconnect', timeoutMs }, 'reconnected');
    return { ms: Math.max(...replies.map((r) => r.ms)), notReady: replies.reduce((n, r) => n + r.notReady, 0) };
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((worker) => worker.close()));
  }
}
