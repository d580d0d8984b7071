import type { Permission } from '../access/roles.js';
import type { SyncSocket } from '../sync/sync-socket.js';

let nextConnectionId = 1;

export interface RateLimit {
  /** Messages per second a connection may send on average. */
  perSecond: number;
  /** How many it may send at once after a quiet spell. */
  burst: number;
}

/** One client in one room: its socket, what it may do, and its message allowance. */
export class RoomConnection {
  readonly id = nextConnectionId++;
  lastSentAt = Date.now();
  #closed = false;
  #tokens: number;
  #refilledAt = performance.now();

  constructor(
    readonly socket: SyncSocket,
    readonly permission: Permission,
    readonly rateLimit: RateLimit = { perSecond: Infinity, burst: Infinity },
    /** The link it came in with, for the activity feed (which link changed what); null in tests. */
    readonly linkId: string | null = null,
  ) {
    this.#tokens = rateLimit.burst;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Takes one message from the connection's allowance (a token bucket); false when it is spent. */
  takeMessageAllowance(): boolean {
    const now = performance.now();
    const { perSecond, burst } = this.rateLimit;
    this.#tokens = Math.min(burst, this.#tokens + ((now - this.#refilledAt) / 1000) * perSecond);
    this.#refilledAt = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  send(frame: Uint8Array, written?: () => void): void {
    if (this.#closed) {
      written?.();
      return;
    }
    this.lastSentAt = Date.now();
    this.socket.send(frame, written);
  }

  close(code: number, reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.socket.close(code, reason);
  }
}

/** Sends a frame to every connection but `except` (its sender, when it came from one). */
export function broadcast(connections: Iterable<RoomConnection>, frame: Uint8Array, except: RoomConnection | null): void {
  for (const connection of connections) {
    if (connection !== except) connection.send(frame);
  }
}
