import * as Y from 'yjs';
import type { RoomMetrics } from '../metrics.js';
import { StoredThrough } from '../fanout/stored-through.js';
import type { MapStore, StoredMap } from '../storage/map-store.js';
import { broadcast, type RoomConnection } from './room-connection.js';

interface Batch {
  /** When its first update arrived (performance.now()). */
  openedAt: number;
  updates: Uint8Array[];
  frames: { frame: Uint8Array; from: RoomConnection | null }[];
  bytes: number;
  /** Run once every update of this batch, and all before it, is durable. */
  callbacks: (() => void)[];
}

/** The store and when to compact; a room passes its options, one object that all rooms share. */
export interface CommitSettings {
  store: MapStore;
  /** Told each commit's and each fan-out's latency, when metrics are on. */
  metrics?: RoomMetrics | undefined;
  compactAfterUpdates: number;
  compactAfterBytes: number;
}

const emptyBatch = (): Batch => ({ openedAt: performance.now(), updates: [], frames: [], bytes: 0, callbacks: [] });

/**
 * The room's write-ahead log. Updates accepted during one turn of the event loop are committed
 * together (one transaction), then released to the fan-out in the order they were accepted.
 * Compaction runs between commits, so the store sees one writer per map.
 */
export class CommitQueue {
  #open: Batch | null = null;
  #writing: Batch | null = null;
  #loop: Promise<void> | null = null;
  #failed = false;
  #logCount = 0;
  #logBytes = 0;
  #snapshotBytes = 0;
  #lastSeq = 0;
  /**
   * How far the document holds the stored log without a gap (see StoredThrough): a compaction folds
   * in no more. Alone on a map, that is always the last update; with other nodes appending, what
   * they stored in between counts once the fan-out has brought it.
   */
  #storedThrough = new StoredThrough(0);
  /** How far this room's last compaction folded the log (or another node's, which won): nothing to fold up to there. */
  #foldedThrough = 0;

  constructor(
    readonly mapId: string,
    readonly doc: Y.Doc,
    readonly settings: CommitSettings,
    /** Who hears each committed update (all but its sender): the room's connections. */
    readonly audience: ReadonlySet<RoomConnection>,
    /** Called when a write fails; nothing is committed after that. */
    readonly onFailure: (error: unknown) => void,
    /** With fan-out between nodes: told each commit (the updates, the last one's sequence number), to pass on to the other nodes. */
    readonly onCommitted?: (updates: readonly Uint8Array[], lastSeq: number) => void,
  ) {}

  /** Starts counting from what was loaded, so compaction thresholds survive restarts. */
  restore(stored: StoredMap): void {
    this.#logCount = stored.updates.length;
    this.#logBytes = stored.logBytes;
    this.#snapshotBytes = stored.snapshot?.byteLength ?? 0;
    this.#lastSeq = stored.lastSeq;
    this.#storedThrough = new StoredThrough(stored.lastSeq);
    this.#foldedThrough = 0;
  }

  /** Another node stored updates `first` through `last`, and the fan-out has applied them to the document. */
  noteStoredElsewhere(first: number, last = first): void {
    this.#storedThrough.note(first, last);
  }

  /** What the map takes in the store: its snapshot plus the log after it. */
  get storedBytes(): number {
    return this.#snapshotBytes + this.#logBytes;
  }

  append(update: Uint8Array, frame: Uint8Array, from: RoomConnection | null): void {
    if (this.#failed) return;
    const batch = (this.#open ??= emptyBatch());
    batch.updates.push(update);
    batch.frames.push({ frame, from });
    batch.bytes += update.byteLength;
    if (!this.#loop) this.#loop = new Promise((resolve) => setImmediate(resolve)).then(() => this.#run());
  }

  /** Writes updates straight away, outside the batching (used while a room loads). */
  async appendNow(updates: Uint8Array[]): Promise<void> {
    this.#lastSeq = await this.settings.store.appendUpdates(this.mapId, updates);
    this.#committed(updates);
    this.#logCount += updates.length;
    this.#logBytes += updates.reduce((sum, u) => sum + u.byteLength, 0);
  }

  /** Runs `callback` once everything applied to the document so far is durable. */
  afterDurable(callback: () => void): void {
    const batch = this.#open ?? this.#writing;
    if (batch) batch.callbacks.push(callback);
    else callback();
  }

  /** Resolves when nothing is waiting to be written. */
  async drain(): Promise<void> {
    while (this.#loop) await this.#loop;
  }

  get compactionDue(): boolean {
    return this.#logCount >= this.settings.compactAfterUpdates || this.#logBytes >= this.settings.compactAfterBytes;
  }

  /** Whether any update is stored after the snapshot. */
  get hasUncompacted(): boolean {
    return this.#logCount > 0;
  }

  /** Compacts once the log passes its count or size threshold. */
  async compactIfDue(): Promise<void> {
    if (this.compactionDue) await this.compact();
  }

  /** Folds the log into a snapshot of the document; `always` also rewrites a snapshot with no log after it (one found damaged). */
  async compact(always = false): Promise<void> {
    if (this.#failed || (this.#logCount === 0 && !always)) return;
    // Another node's update stored below this node's last one may still be on its way here.
    const throughSeq = this.#storedThrough.through;
    // Waiting on such an update, there is nothing new to fold: no snapshot is encoded for nothing.
    if (throughSeq <= this.#foldedThrough && !always) return;
    const snapshot = Y.encodeStateAsUpdate(this.doc);
    await this.settings.store.compact(this.mapId, snapshot, throughSeq);
    this.#foldedThrough = throughSeq;
    this.#snapshotBytes = snapshot.byteLength;
    this.#logCount = 0;
    this.#logBytes = 0;
  }

  /** One store call numbers its updates one after another, ending at the sequence number it returned. */
  #committed(updates: readonly Uint8Array[]): void {
    if (updates.length === 0) return;
    this.#storedThrough.note(this.#lastSeq - updates.length + 1, this.#lastSeq);
    this.onCommitted?.(updates, this.#lastSeq);
  }

  async #run(): Promise<void> {
    try {
      while (this.#open) {
        const batch = this.#open;
        this.#open = null;
        this.#writing = batch;
        const committing = performance.now();
        this.#lastSeq = await this.settings.store.appendUpdates(this.mapId, batch.updates);
        this.settings.metrics?.committed((performance.now() - committing) / 1000);
        this.#committed(batch.updates);
        this.#logCount += batch.updates.length;
        this.#logBytes += batch.bytes;
        this.#writing = null;
        for (const { frame, from } of batch.frames) broadcast(this.audience, frame, from);
        this.settings.metrics?.fannedOut((performance.now() - batch.openedAt) / 1000);
        for (const callback of batch.callbacks) callback();
        await this.compactIfDue();
      }
    } catch (error) {
      this.#failed = true;
      this.#open = null;
      this.#writing = null;
      this.onFailure(error);
    } finally {
      this.#loop = null;
    }
  }
}
