import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { BENCH_TEMPLATE } from '../sync/bench-document.js';

/** A map made on some node, and the editor link's token that opens it on every node. */
export interface BenchMap {
  id: string;
  token: string;
}

// Each stock provider hooks process exit; a run holds a few dozen.
process.setMaxListeners(0);

export async function createBenchMap(nodeUrl: string, title: string): Promise<BenchMap> {
  const response = await fetch(`${nodeUrl}/api/maps`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title, template: BENCH_TEMPLATE }),
  });
  if (response.status !== 201) throw new Error(`creating a map failed: ${response.status} ${await response.text()}`);
  const created = (await response.json()) as { id: string; links: { editor: string } };
  const token = /token=([^&]+)/.exec(new URL(created.links.editor).hash)?.[1];
  if (!token) throw new Error(`no token in ${created.links.editor}`);
  return { id: created.id, token };
}

/**
 * One person's copy of a map: a Y.Doc and a stock y-websocket provider on one node. When that
 * node goes away, `moveTo` opens a new provider on another node for the same document, as the
 * web app does when it is sent elsewhere: what the document holds and the node lacks goes up in
 * the sync, and the other way round.
 */
export class MapClient {
  readonly doc = new Y.Doc();
  #provider: WebsocketProvider | null = null;
  #nodeUrl: string;
  #dropListener: (() => void) | null = null;

  constructor(
    readonly map: BenchMap,
    nodeUrl: string,
  ) {
    this.#nodeUrl = nodeUrl;
    this.#attach();
  }

  get nodeUrl(): string {
    return this.#nodeUrl;
  }

  /** Connected and synced with the node. */
  get synced(): boolean {
    return this.#provider !== null && this.#provider.wsconnected && this.#provider.synced;
  }

  /** Called when the current provider's socket closes (not when `moveTo` or `detach` closes it). */
  onDrop(listener: () => void): void {
    this.#dropListener = listener;
  }

  moveTo(nodeUrl: string): void {
    this.#detachProvider();
    this.#nodeUrl = nodeUrl;
    this.#attach();
  }

  /** Closes the socket for good and keeps the document. */
  detach(): void {
    this.#detachProvider();
  }

  destroy(): void {
    this.#detachProvider();
    this.doc.destroy();
  }

  #attach(): void {
    const provider = new WebsocketProvider(`${this.#nodeUrl.replace(/^http/, 'ws')}/sync`, this.map.id, this.doc, {
      params: { token: this.map.token },
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    });
    provider.on('status', ({ status }: { status: string }) => {
      if (status === 'disconnected' && this.#provider === provider) this.#dropListener?.();
    });
    this.#provider = provider;
  }

  #detachProvider(): void {
    const provider = this.#provider;
    this.#provider = null;
    provider?.destroy();
  }
}

/** Polls `condition` every `pollMs` until it holds or `timeoutMs` passes; says which. */
export async function waitUntil(condition: () => boolean, timeoutMs: number, pollMs = 10): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  return true;
}
