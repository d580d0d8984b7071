import { addPersona, createMapFromTemplate, readPersonas } from '@waymark/model';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { permissionFor } from '../access/roles.js';
import { MemoryMapStore } from '../storage/memory-store.js';
import { decodeMessage, encodeSyncStep1, encodeSyncUpdate, KEEPALIVE_FRAME } from '../sync/protocol.js';
import type { SyncSocket } from '../sync/sync-socket.js';
import { Room, type RoomOptions } from './room.js';
import { RoomConnection } from './room-connection.js';
import { SharedInterval } from '../shared-interval.js';

/** A socket that records what the room sends, for driving the room without a network. */
class RecordingSocket implements SyncSocket {
  readonly frames: Uint8Array[] = [];
  closedWith: { code: number; reason: string } | null = null;
  send(frame: Uint8Array, written?: () => void): void {
    this.frames.push(frame);
    written?.();
  }
  close(code: number, reason: string): void {
    this.closedWith = { code, reason };
  }
  updates(): Uint8Array[] {
    return this.frames.flatMap((frame) => {
      if (frame[0] !== 0) return [];
      const message = decodeMessage(frame);
      return message.type === 'sync-update' || message.type === 'sync-step2' ? [message.update] : [];
    });
  }
}

/** The in-memory store with a gate on appends, to hold a commit open or make it fail. */
class GatedStore extends MemoryMapStore {
  #release: (() => void) | null = null;
  #gate: Promise<void> | null = null;
  failNext = false;
  /** Appends that reached the gate and wait there. */
  held = 0;
  hold(): void {
    this.#gate = new Promise((resolve) => (this.#release = resolve));
  }
  release(): void {
    this.#release?.();
    this.#gate = null;
  }
  override async appendUpdates(id: string, updates: readonly Uint8Array[]): Promise<number> {
    if (this.#gate) {
      this.held++;
      await this.#gate;
      this.held--;
    }
    if (this.failNext) throw new Error('disk full');
    return super.appendUpdates(id, updates);
  }
}

const logger = pino({ level: 'silent' });
/** Waits until `condition` holds, polling; fails the test if it does not within `timeoutMs`. */
async function eventually(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 2_000): Promise<void> {
  await vi.waitFor(
    async () => {
      if (!(await condition())) throw new Error(`timed out waiting for ${what}`);
    },
    { timeout: timeoutMs, interval: 2 },
  );
}
const rooms: Room[] = [];
const stores: GatedStore[] = [];
const presenceSweep = new SharedInterval(3_000);
const storageFailures: string[] = [];

async function openRoom(store: GatedStore, options: Partial<RoomOptions> = {}) {
  const doc = new Y.Doc();
  createMapFromTemplate(doc, { title: 'Room test', template: 'blank' });
  await store.createMap('m', Y.encodeStateAsUpdate(doc), 0);
  const room = await Room.load('m', {
    store,
    logger,
    compactAfterUpdates: 1000,
    compactAfterBytes: 1 << 30,
    keepaliveMs: 60_000,
    maxDocBytes: 1 << 30,
    storageRetryMs: 60_000,
    presenceSweep,
    keepaliveSweep: presenceSweep,
    buildDocumentAfterMs: 20,
    onEmpty: () => {},
    onStorageFailure: (_room, reason) => storageFailures.push(reason),
    onStorageRecovered: () => {},
    onLoadFailed: () => {},
    ...options,
  });
  rooms.push(room);
  stores.push(store);
  return room;
}

function join(room: Room, role: 'editor' | 'viewer' = 'editor') {
  const socket = new RecordingSocket();
  const connection = new RoomConnection(socket, permissionFor('m', role));
  room.join(connection);
  return { socket, connection };
}

/** An edit any editor may make, on a document of its own: a new persona named `name`. */
function edit(name: string): Uint8Array {
  const doc = new Y.Doc();
  addPersona(doc, { name });
  return Y.encodeStateAsUpdate(doc);
}

const personaNames = (doc: Y.Doc) => readPersonas(doc).map((persona) => persona.name);

afterEach(async () => {
  // A test that failed while a commit was held must not leave unload waiting for it.
  for (const store of stores.splice(0)) store.release();
  for (const room of rooms.splice(0)) await room.unload();
});

describe('Room', () => {
  it('fans an update out only after the store has committed it', async () => {
    const store = new GatedStore();
    const room = await openRoom(store);
    const writer = join(room);
    const reader = join(room);
    store.hold();
    room.receive(writer.connection, encodeSyncUpdate(edit('held')));
    await eventually('the commit to reach the store', () => store.held === 1);
    expect(reader.socket.updates()).toHaveLength(0);
    store.release();
    await eventually('the update to reach the reader', () => reader.socket.updates().length === 1);
    expect(writer.socket.updates()).toHaveLength(0);
  });

  it('holds a joining client’s sync reply until what it contains is durable', async () => {
    const store = new GatedStore();
    const room = await openRoom(store);
    const writer = join(room);
    store.hold();
    room.receive(writer.connection, encodeSyncUpdate(edit('pending')));
    await eventually('the commit to reach the store', () => store.held === 1);
    const joiner = join(room);
    // With nothing pending the reply goes out within this call (see the cold-start test below).
    room.receive(joiner.connection, encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
    expect(joiner.socket.updates()).toHaveLength(0);
    store.release();
    await eventually('the sync reply', () => joiner.socket.updates().length > 0);
    const [reply] = joiner.socket.updates();
    const doc = new Y.Doc();
    Y.applyUpdate(doc, reply!);
    expect(personaNames(doc)).toEqual(['pending']);
  });

  it('never fans out an update the store refused, and closes the room', async () => {
    const store = new GatedStore();
    const room = await openRoom(store);
    const writer = join(room);
    const reader = join(room);
    store.failNext = true;
    room.receive(writer.connection, encodeSyncUpdate(edit('lost')));
    await eventually('the room to fail', () => room.state === 'failed');
    expect(reader.socket.updates()).toHaveLength(0);
    expect(reader.socket.closedWith).toMatchObject({ code: 4502, reason: expect.stringMatching(/cannot save/) });
    expect(storageFailures.at(-1)).toMatch(/cannot save changes right now/);
    expect((await store.load('m')).updates).toHaveLength(0);
  });

  it('commits updates that arrive in one turn of the event loop together', async () => {
    const store = new GatedStore();
    const room = await openRoom(store);
    const writer = join(room);
    let appends = 0;
    const append = store.appendUpdates.bind(store);
    store.appendUpdates = async (id, updates) => {
      appends++;
      return append(id, updates);
    };
    for (let i = 0; i < 20; i++) room.receive(writer.connection, encodeSyncUpdate(edit(`n${i}`)));
    await eventually('all 20 updates to be stored', async () => (await store.load('m')).updates.length === 20);
    expect(appends).toBe(1);
  });

  it('answers the first client from the stored bytes, then asks for what it has', async () => {
    const store = new GatedStore();
    const room = await openRoom(store);
    const first = join(room);
    // Cold: no server step 1 yet, but a sync request is answered from storage straight away.
    expect(first.socket.frames.some((f) => decodeMessage(f).type === 'sync-step1')).toBe(false);
    room.receive(first.connection, encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
    const received = new Y.Doc();
    for (const update of first.socket.updates()) Y.applyUpdate(received, update);
    expect(received.getMap('meta').get('title')).toBe('Room test');
    expect(decodeMessage(first.socket.frames.at(-1)!).type).toBe('sync-step2');
    // The document is built a little later (buildDocumentAfterMs), out of the way of the clients taking in the map.
    expect(first.socket.frames.some((f) => decodeMessage(f).type === 'sync-step1')).toBe(false);
    await eventually('the server’s sync request', () => first.socket.frames.some((f) => decodeMessage(f).type === 'sync-step1'));
    expect(room.doc.getMap('meta').get('title')).toBe('Room test');
  });

  it('neither stores nor relays an update that adds nothing the map does not hold', async () => {
    const store = new GatedStore();
    const room = await openRoom(store);
    const writer = join(room);
    const reader = join(room);
    const update = edit('once');
    room.receive(writer.connection, encodeSyncUpdate(update));
    await eventually('the update to reach the reader', () => reader.socket.updates().length === 1);
    // A reconnecting client's sync reply repeating it, and the same bytes sent again...
    room.receive(reader.connection, encodeSyncUpdate(update));
    room.receive(writer.connection, encodeSyncUpdate(update));
    // ...then a new edit: updates are stored and relayed in order, so once it is through, so are they.
    room.receive(writer.connection, encodeSyncUpdate(edit('after')));
    await eventually('the next edit to reach the reader', () => reader.socket.updates().length >= 2);
    expect((await store.load('m')).updates).toHaveLength(2);
    expect(reader.socket.updates()).toHaveLength(2);
    expect(writer.socket.updates()).toHaveLength(0);
  });

  it('sends keepalives from the shared timer to connections that heard nothing, and leaves it on unload', async () => {
    const keepaliveSweep = new SharedInterval(10);
    const room = await openRoom(new GatedStore(), { keepaliveMs: 20, keepaliveSweep });
    const quiet = join(room);
    expect(keepaliveSweep.size).toBe(1);
    await eventually('a keepalive', () => quiet.socket.frames.some((f) => Buffer.from(f).equals(Buffer.from(KEEPALIVE_FRAME))));
    await room.unload();
    expect(keepaliveSweep.size).toBe(0);
  });

  it('refuses a viewer’s update and tells it why', async () => {
    const store = new GatedStore();
    const room = await openRoom(store);
    const viewer = join(room, 'viewer');
    const other = join(room);
    room.receive(viewer.connection, encodeSyncUpdate(edit('viewer')));
    expect(viewer.socket.frames.some((f) => f[0] === 2)).toBe(true);
    // An editor's edit after it: once the viewer hears it, anything accepted before it would be through too.
    room.receive(other.connection, encodeSyncUpdate(edit('editor')));
    await eventually('the editor’s edit to reach the viewer', () => viewer.socket.updates().length === 1);
    expect(other.socket.updates()).toHaveLength(0);
    expect(personaNames(room.doc)).toEqual(['editor']);
  });
});
