import type { MapSnapshot } from '@waymark/model';
import { Worker } from 'node:worker_threads';
import type { ImageFormat } from './map-images.js';
import type { RenderReply, RenderRequest } from './render-worker.js';

export class RendererBusyError extends Error {}

export interface MapImageRendererOptions {
  /** Renders waiting beyond the one in progress; more are refused (RendererBusyError). */
  maxQueued?: number;
  /** A render taking longer is given up and its worker replaced. */
  timeoutMs?: number;
  /** The worker stops after this long without work, so an idle server holds no thread. */
  idleMs?: number;
}

interface Job {
  readonly request: RenderRequest;
  resolve(bytes: Buffer): void;
  reject(error: Error): void;
}

/**
 * Renders PNG and PDF exports on a worker thread, one at a time. Drawing a big map is hundreds of
 * milliseconds of JavaScript (layout, shaping, pdfkit, PNG encoding); on the main thread that
 * would stall every room's sync for as long (`pnpm bench:export` measures both ways). One render
 * at a time bounds the memory a burst of exports can take (a large PNG's raster alone is up to
 * PNG_MAX_PIXELS × 4 bytes) and leaves the server's other core to the rooms.
 */
export class MapImageRenderer {
  readonly #maxQueued: number;
  readonly #timeoutMs: number;
  readonly #idleMs: number;
  readonly #queue: Job[] = [];
  #worker: Worker | undefined;
  #current: { job: Job; timer: NodeJS.Timeout } | undefined;
  #idleTimer: NodeJS.Timeout | undefined;
  #nextId = 1;
  #closed = false;

  constructor(options: MapImageRendererOptions = {}) {
    this.#maxQueued = options.maxQueued ?? 8;
    this.#timeoutMs = options.timeoutMs ?? 60_000;
    this.#idleMs = options.idleMs ?? 30_000;
  }

  render(format: ImageFormat, map: MapSnapshot): Promise<Buffer> {
    if (this.#closed) return Promise.reject(new Error('the image renderer is closed'));
    if (this.#queue.length >= this.#maxQueued)
      return Promise.reject(new RendererBusyError('too many exports are being drawn; try again shortly'));
    return new Promise((resolve, reject) => {
      this.#queue.push({ request: { id: this.#nextId++, format, map }, resolve, reject });
      this.#pump();
    });
  }

  /** Stops the worker; renders still waiting fail. */
  async close(): Promise<void> {
    this.#closed = true;
    const error = new Error('the image renderer is closed');
    for (const job of this.#queue.splice(0)) job.reject(error);
    this.#finish(undefined, error);
    await this.#stopWorker();
  }

  #pump(): void {
    if (this.#current || this.#closed) return;
    const job = this.#queue.shift();
    if (!job) {
      this.#idleTimer ??= setTimeout(() => void this.#stopWorker(), this.#idleMs).unref();
      return;
    }
    clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    const timer = setTimeout(() => {
      this.#finish(undefined, new Error(`drawing the export took longer than ${this.#timeoutMs} ms`));
      void this.#stopWorker();
    }, this.#timeoutMs).unref();
    this.#current = { job, timer };
    this.#startWorker().postMessage(job.request);
  }

  #finish(bytes: Buffer | undefined, error?: Error): void {
    const current = this.#current;
    if (!current) return;
    this.#current = undefined;
    clearTimeout(current.timer);
    if (bytes) current.job.resolve(bytes);
    else current.job.reject(error ?? new Error('the export could not be drawn'));
    queueMicrotask(() => this.#pump());
  }

  #startWorker(): Worker {
    if (this.#worker) return this.#worker;
    // A map that somehow takes more memory than this fails its own export, not the server.
    const worker = new Worker(new URL('./render-worker.js', import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: 512 } });
    // An export in progress must not keep a stopping process alive; close() ends it properly.
    worker.unref();
    worker.on('message', (reply: RenderReply) => {
      if (reply.id !== this.#current?.job.request.id) return;
      if ('bytes' in reply) this.#finish(Buffer.from(reply.bytes.buffer, reply.bytes.byteOffset, reply.bytes.byteLength));
      else this.#finish(undefined, new Error(reply.error));
    });
    const lost = (error: Error) => {
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      this.#finish(undefined, error);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`the export worker stopped (exit code ${code})`)));
    this.#worker = worker;
    return worker;
  }

  async #stopWorker(): Promise<void> {
    clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    const worker = this.#worker;
    this.#worker = undefined;
    await worker?.terminate();
  }
}
