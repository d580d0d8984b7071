import type * as Y from 'yjs';
import { encodeAwarenessEntries, type AwarenessEntry } from '../sync/protocol.js';
import { broadcast, type RoomConnection } from './room-connection.js';
import type { SharedInterval, Ticking } from './shared-interval.js';

/**
 * y-protocols' `outdatedTimeout`: stock clients renew their entry every 15 s and drop one that was
 * not renewed for 30 s. The server does the same for the entries it relays and for its own.
 */
export const PRESENCE_TIMEOUT_MS = 30_000;
/** How often entries past their time are looked for (y-protocols looks every 3 s). */
export const PRESENCE_SWEEP_MS = 3_000;

interface Entry {
  clock: number;
  /** The state as JSON text, as it goes on the wire; null once the client has left. */
  state: string | null;
  /** When the clock last moved, or the client left. */
  updatedAt: number;
  /** The connection that last moved this entry forward; when it leaves, the entry goes with it. */
  owner: RoomConnection | null;
}

/**
 * A room's presence (the y-websocket awareness): who is here, their cursors and selections, plus
 * one entry of the server's own for notices such as "read-only". It follows y-protocols'
 * Awareness rules: an entry is taken and relayed only when its clock moves forward, so the stock
 * client's habit of re-broadcasting what it hears does not echo around the room, and presence
 * never touches storage. It is written out here rather than used from y-protocols because an
 * Awareness costs every room about 1.5 KiB and a timer of its own; this one costs a few bytes
 * until someone is present, and one timer is shared by all rooms.
 */
export class Presence implements Ticking {
  /**
   * By awareness client id, made on first use. A client that left keeps its clock for a while,
   * so a late echo of its last state is not taken for a new one.
   */
  #entries: Map<number, Entry> | null = null;

  constructor(
    /** The server's own entry has this document's client id. */
    readonly doc: Y.Doc,
    /** Who hears about changes. */
    readonly connections: ReadonlySet<RoomConnection>,
    /** Drops entries that are not renewed; this presence is in it while it has any entry to watch. */
    readonly sweep: SharedInterval,
  ) {}

  /** Every current entry, for a client that just joined or asked. */
  snapshotFrame(): Uint8Array | null {
    const present: Omit<AwarenessEntry, 'state'>[] = [];
    for (const [clientId, entry] of this.#entries ?? []) {
      if (entry.state !== null) present.push({ clientId, clock: entry.clock, json: entry.state });
    }
    return present.length > 0 ? encodeAwarenessEntries(present) : null;
  }

  /** Takes a client's awareness message and relays the entries it moved forward to the others. */
  apply(connection: RoomConnection, updates: readonly AwarenessEntry[], now = Date.now()): void {
    const changed: number[] = [];
    for (const { clientId, clock, state, json } of updates) {
      const entry = this.#entries?.get(clientId);
      const current = entry?.clock ?? 0;
      const leaving = state === null;
      const present = entry !== undefined && entry.state !== null;
      if (!(current < clock || (current === clock && leaving && present))) continue;
      if (leaving && present && clientId === this.doc.clientID) {
        // A client timed out the server's own entry: it stays, with a newer clock to say so.
        entry.clock = clock + 1;
        entry.updatedAt = now;
        changed.push(clientId);
        continue;
      }
      // A connection speaks for the entries it moves forward, not for the echoes of other
      // people's presence that the stock client sends back (their clocks are not newer).
      this.#set(clientId, clock, leaving ? null : json, leaving ? null : connection, now);
      // A client first heard of as leaving is only remembered (by its clock); nobody has it to remove.
      if (!leaving || entry) changed.push(clientId);
    }
    this.#relay(changed, connection);
  }

  /** Removes every entry a departing connection speaks for, and tells the others. */
  leave(connection: RoomConnection, now = Date.now()): void {
    const removed: number[] = [];
    for (const [clientId, entry] of this.#entries ?? []) {
      if (entry.owner !== connection) continue;
      entry.owner = null;
      entry.state = null;
      entry.updatedAt = now;
      if (clientId === this.doc.clientID) entry.clock++;
      removed.push(clientId);
    }
    this.#relay(removed, connection);
  }

  /** The server's own entry: a notice every client can show, or null to clear it. */
  setServerNotice(notice: { readOnly: boolean; reason: string } | null, now = Date.now()): void {
    const clientId = this.doc.clientID;
    const clock = (this.#entries?.get(clientId)?.clock ?? 0) + 1;
    this.#set(clientId, clock, notice ? JSON.stringify({ server: notice }) : null, null, now);
    this.#relay([clientId], null);
  }

  /** Renews the server's entry and drops the others that were not renewed in time. */
  tick(now: number): void {
    const entries = this.#entries;
    if (!entries) return;
    const changed: number[] = [];
    let watched = 0;
    for (const [clientId, entry] of entries) {
      const age = now - entry.updatedAt;
      if (clientId === this.doc.clientID) {
        // Its clock is never forgotten: clients would ignore a later notice with a smaller one.
        if (entry.state === null) continue;
        if (age >= PRESENCE_TIMEOUT_MS / 2) {
          entry.clock++;
          entry.updatedAt = now;
          changed.push(clientId);
        }
      } else if (entry.state === null) {
        if (age >= PRESENCE_TIMEOUT_MS) {
          entries.delete(clientId);
          continue;
        }
      } else if (age >= PRESENCE_TIMEOUT_MS) {
        entry.state = null;
        entry.owner = null;
        entry.updatedAt = now;
        changed.push(clientId);
      }
      watched++;
    }
    this.#relay(changed, null);
    if (watched > 0) return;
    this.sweep.delete(this);
    if (entries.size === 0) this.#entries = null;
  }

  destroy(): void {
    this.sweep.delete(this);
    this.#entries = null;
  }

  #set(clientId: number, clock: number, state: string | null, owner: RoomConnection | null, now: number): void {
    const entries = (this.#entries ??= new Map());
    const entry = entries.get(clientId);
    if (entry) {
      entry.clock = clock;
      entry.state = state;
      entry.owner = owner;
      entry.updatedAt = now;
    } else {
      entries.set(clientId, { clock, state, updatedAt: now, owner });
    }
    this.sweep.add(this);
  }

  #relay(clientIds: number[], except: RoomConnection | null): void {
    if (clientIds.length === 0) return;
    const frame = encodeAwarenessEntries(
      clientIds.map((clientId) => {
        const entry = this.#entries!.get(clientId)!;
        return { clientId, clock: entry.clock, json: entry.state ?? 'null' };
      }),
    );
    broadcast(this.connections, frame, except);
  }
}
