import { encodeAwarenessEntries, LEFT_JSON, type AwarenessEntry } from '../sync/protocol.js';
import { checkPresenceEntry, DEFAULT_PRESENCE_LIMITS, type PresenceLimits } from './presence-entry.js';
import { broadcast, type RoomConnection } from './room-connection.js';
import type { SharedInterval, Ticking } from '../shared-interval.js';

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
  /**
   * The connection that introduced this entry; only it may change or remove it. Null once it
   * left (or the entry timed out): then the client id is free to be taken again.
   */
  owner: RoomConnection | null;
}

/** Why the room dropped an entry; the room logs it. */
export type DroppedEntry = (connection: RoomConnection, clientId: number, reason: string) => void;

/**
 * A room's presence (the y-websocket awareness): who is here, their cursors and selections. It
 * follows y-protocols' Awareness rules: an entry is taken and relayed only when its clock moves
 * forward, so the stock client's habit of re-broadcasting what it hears does not echo around the
 * room, and presence never touches storage. Unlike y-protocols, a connection owns the entries it
 * introduced: nobody else can change or remove them, and each is checked (size, depth, known
 * fields) before it is relayed. Written out here rather than used from y-protocols because an
 * Awareness gives every room its own state and timer from the start, while most rooms of a
 * server sit idle; this one holds nothing until someone is present, and one timer serves all
 * rooms (the many-rooms benchmark shows what that is worth). The server says nothing in
 * presence: its notices travel on a channel of their own.
 */
export class Presence implements Ticking {
  /**
   * By awareness client id, made on first use. A client that left keeps its clock for a while,
   * so a late echo of its last state is not taken for a new one.
   */
  #entries: Map<number, Entry> | null = null;

  constructor(
    /** Who hears about changes. */
    readonly connections: ReadonlySet<RoomConnection>,
    /** Drops entries that are not renewed; this presence is in it while it has any entry to watch. */
    readonly sweep: SharedInterval,
    readonly limits: PresenceLimits = DEFAULT_PRESENCE_LIMITS,
    readonly onDropped: DroppedEntry = () => {},
    /** Why a connection may not take up an awareness client id it does not speak for yet, or null. */
    readonly mayIntroduce: (connection: RoomConnection, clientId: number) => string | null = () => null,
  ) {}

  /** Every current entry, for a client that just joined or asked. */
  snapshotFrame(): Uint8Array | null {
    const present: AwarenessEntry[] = [];
    for (const [clientId, entry] of this.#entries ?? []) {
      if (entry.state !== null) present.push({ clientId, clock: entry.clock, json: entry.state });
    }
    return present.length > 0 ? encodeAwarenessEntries(present) : null;
  }

  /** The entries this node's own connections speak for (for a node that just opened the room), or null. */
  localFrame(): Uint8Array | null {
    const present: AwarenessEntry[] = [];
    for (const [clientId, entry] of this.#entries ?? []) {
      if (entry.owner !== null && entry.state !== null) present.push({ clientId, clock: entry.clock, json: entry.state });
    }
    return present.length > 0 ? encodeAwarenessEntries(present) : null;
  }

  /** The name a connection's person gave in their presence (`user.name`), if any. */
  nameOf(connection: RoomConnection): string | null {
    for (const entry of this.#entries?.values() ?? []) {
      if (entry.owner !== connection || entry.state === null) continue;
      const user = (JSON.parse(entry.state) as { user?: { name?: unknown } }).user;
      if (typeof user?.name === 'string' && user.name.trim() !== '') return user.name.trim();
    }
    return null;
  }

  /** How many entries the room holds now. */
  get size(): number {
    return this.#entries?.size ?? 0;
  }

  /** The names of everyone present, once each. */
  names(): string[] {
    const names = new Set<string>();
    for (const entry of this.#entries?.values() ?? []) {
      if (entry.state === null) continue;
      const user = (JSON.parse(entry.state) as { user?: { name?: unknown } }).user;
      if (typeof user?.name === 'string' && user.name.trim() !== '') names.add(user.name.trim());
    }
    return [...names];
  }

  /** The connection that speaks for an awareness client id (y-websocket's is its document's Yjs client id). */
  ownerOf(clientId: number): RoomConnection | undefined {
    return this.#entries?.get(clientId)?.owner ?? undefined;
  }

  /**
   * Takes a client's awareness message and relays the entries it moved forward to the others.
   * Returns the frame relayed (for the other nodes), or null when nothing moved.
   */
  apply(connection: RoomConnection, updates: readonly AwarenessEntry[], now = Date.now()): Uint8Array | null {
    const changed: number[] = [];
    for (const { clientId, clock, json } of updates) {
      const moved = this.#movedBy(clientId, clock, json);
      if (!moved) continue;
      const { entry, current, leaving } = moved;
      if (entry?.owner && entry.owner !== connection) {
        // Stock clients echo what they hear with the clock they heard it at, so only a newer
        // clock from someone else is an attempt to speak for another person.
        if (current < clock) this.onDropped(connection, clientId, 'the entry belongs to another connection');
        continue;
      }
      if (!leaving) {
        if (entry?.owner !== connection && this.#ownedBy(connection) >= this.limits.maxEntriesPerConnection) {
          this.onDropped(connection, clientId, `a connection may speak for at most ${this.limits.maxEntriesPerConnection} entries`);
          continue;
        }
        const refusal = entry?.owner === connection ? null : this.mayIntroduce(connection, clientId);
        if (refusal) {
          this.onDropped(connection, clientId, refusal);
          continue;
        }
        const checked = checkPresenceEntry(json, this.limits);
        if (!checked.ok) {
          this.onDropped(connection, clientId, checked.reason);
          continue;
        }
      }
      this.#set(clientId, clock, leaving ? null : json, leaving ? null : connection, now);
      // A client first heard of as leaving is only remembered (by its clock); nobody has it to remove.
      if (!leaving || entry) changed.push(clientId);
    }
    return this.#relay(changed, connection);
  }

  /**
   * Takes the entries another node relayed, by the same clock rule, so the echoes of stock clients
   * on either node stop at the first node that already has that clock. Each was checked by the
   * node its person is connected to; it is checked against this node's limits again all the same.
   * An entry one of this node's connections speaks for is never changed from elsewhere.
   */
  applyRemote(updates: readonly AwarenessEntry[], now = Date.now()): void {
    const changed: number[] = [];
    for (const { clientId, clock, json } of updates) {
      const moved = this.#movedBy(clientId, clock, json);
      if (!moved) continue;
      const { entry, leaving } = moved;
      if (entry?.owner) continue;
      if (!leaving && !checkPresenceEntry(json, this.limits).ok) continue;
      this.#set(clientId, clock, leaving ? null : json, null, now);
      if (!leaving || entry) changed.push(clientId);
    }
    this.#relay(changed, null);
  }

  /**
   * The clock rule: an entry moves forward with a newer clock, or with the same clock when it
   * says a present person left. Null when this update does not move it.
   */
  #movedBy(clientId: number, clock: number, json: string) {
    const entry = this.#entries?.get(clientId);
    const current = entry?.clock ?? 0;
    const leaving = json === LEFT_JSON;
    const present = entry !== undefined && entry.state !== null;
    return current < clock || (current === clock && leaving && present) ? { entry, current, leaving } : null;
  }

  /** Removes every entry a departing connection speaks for, and tells the others; returns the frame relayed, or null. */
  leave(connection: RoomConnection, now = Date.now()): Uint8Array | null {
    const removed: number[] = [];
    for (const [clientId, entry] of this.#entries ?? []) {
      if (entry.owner !== connection) continue;
      entry.owner = null;
      entry.state = null;
      entry.updatedAt = now;
      removed.push(clientId);
    }
    return this.#relay(removed, connection);
  }

  /** Drops the entries that were not renewed in time. */
  tick(now: number): void {
    const entries = this.#entries;
    if (!entries) return;
    const changed: number[] = [];
    let watched = 0;
    for (const [clientId, entry] of entries) {
      const age = now - entry.updatedAt;
      if (entry.state === null) {
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

  #ownedBy(connection: RoomConnection): number {
    let owned = 0;
    for (const entry of this.#entries?.values() ?? []) if (entry.owner === connection) owned++;
    return owned;
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

  #relay(clientIds: number[], except: RoomConnection | null): Uint8Array | null {
    if (clientIds.length === 0) return null;
    const frame = encodeAwarenessEntries(
      clientIds.map((clientId) => {
        const entry = this.#entries!.get(clientId)!;
        return { clientId, clock: entry.clock, json: entry.state ?? LEFT_JSON };
      }),
    );
    broadcast(this.connections, frame, except);
    return frame;
  }
}
