import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { permissionFor } from '../access/roles.js';
import { decodeMessage, type AwarenessEntry } from '../sync/protocol.js';
import type { SyncSocket } from '../sync/sync-socket.js';
import { Presence, PRESENCE_TIMEOUT_MS } from './presence.js';
import { RoomConnection } from './room-connection.js';
import { SharedInterval } from './shared-interval.js';

class RecordingSocket implements SyncSocket {
  readonly frames: Uint8Array[] = [];
  send(frame: Uint8Array): void {
    this.frames.push(frame);
  }
  close(): void {}
  /** The awareness entries received, each with its state parsed; then forgets them. */
  take(): Pick<AwarenessEntry, 'clientId' | 'clock' | 'state'>[] {
    return this.frames.splice(0).flatMap((frame) => {
      const message = decodeMessage(frame);
      return message.type === 'awareness' ? message.entries.map(({ clientId, clock, state }) => ({ clientId, clock, state })) : [];
    });
  }
}

const entry = (clientId: number, clock: number, state: unknown): AwarenessEntry => ({
  clientId,
  clock,
  state,
  json: JSON.stringify(state),
});

const sweeps: SharedInterval[] = [];
afterEach(() => {
  for (const sweep of sweeps.splice(0)) sweep.close();
});

function setUp(people = 3) {
  const doc = new Y.Doc();
  const connections = new Set<RoomConnection>();
  const sweep = new SharedInterval(60_000);
  sweeps.push(sweep);
  const presence = new Presence(doc, connections, sweep);
  const sockets = Array.from({ length: people }, () => new RecordingSocket());
  const [a, b, c] = sockets.map((socket) => {
    const connection = new RoomConnection(socket, permissionFor('m', 'editor'));
    connections.add(connection);
    return connection;
  });
  const leave = (connection: RoomConnection, now?: number) => {
    connections.delete(connection);
    presence.leave(connection, now);
  };
  return { doc, presence, sweep, sockets, a: a!, b: b!, c: c!, leave };
}

describe('Presence', () => {
  it('relays an entry to everyone else and gives it to newcomers', () => {
    const { presence, sockets, a } = setUp();
    presence.apply(a, [entry(7, 1, { user: { name: 'Ana' } })]);
    expect(sockets[0]!.take()).toEqual([]);
    expect(sockets[1]!.take()).toEqual([{ clientId: 7, clock: 1, state: { user: { name: 'Ana' } } }]);
    expect(decodeMessage(presence.snapshotFrame()!)).toMatchObject({ type: 'awareness', entries: [{ clientId: 7, clock: 1 }] });
  });

  it('takes an entry only when its clock moves forward, so echoes stop at the server', () => {
    const { presence, sockets, a, b } = setUp();
    presence.apply(a, [entry(7, 2, { n: 2 })]);
    sockets[2]!.take();
    presence.apply(b, [entry(7, 2, { n: 2 })]);
    presence.apply(b, [entry(7, 1, { n: 1 })]);
    expect(sockets[2]!.take()).toEqual([]);
    expect(decodeMessage(presence.snapshotFrame()!)).toMatchObject({ entries: [{ clientId: 7, clock: 2, state: { n: 2 } }] });
  });

  it('removes what a connection spoke for when it leaves, not what it only echoed', () => {
    const { presence, sockets, a, b, leave } = setUp();
    presence.apply(a, [entry(1, 1, { name: 'Ana' })]);
    presence.apply(b, [entry(1, 1, { name: 'Ana' }), entry(2, 1, { name: 'Ben' })]);
    sockets[2]!.take();
    leave(b);
    expect(sockets[2]!.take()).toEqual([{ clientId: 2, clock: 1, state: null }]);
    expect(decodeMessage(presence.snapshotFrame()!)).toMatchObject({ entries: [{ clientId: 1, state: { name: 'Ana' } }] });
  });

  it('gives an entry to the connection that last moved it forward', () => {
    const { presence, sockets, a, b, leave } = setUp();
    // The same client on a new connection while the old one has not closed yet.
    presence.apply(a, [entry(1, 1, { name: 'Ana' })]);
    presence.apply(b, [entry(1, 2, { name: 'Ana' })]);
    sockets[2]!.take();
    leave(a);
    expect(sockets[2]!.take()).toEqual([]);
    leave(b);
    expect(sockets[2]!.take()).toEqual([{ clientId: 1, clock: 2, state: null }]);
  });

  it('remembers a client that left, so a late echo of it is not taken for a new entry', () => {
    const { presence, sockets, a, b, leave } = setUp();
    presence.apply(a, [entry(1, 3, { name: 'Ana' })]);
    leave(a);
    sockets[2]!.take();
    presence.apply(b, [entry(1, 3, { name: 'Ana' })]);
    expect(sockets[2]!.take()).toEqual([]);
    expect(presence.snapshotFrame()).toBeNull();
  });

  it('drops entries that are not renewed in time, and forgets them a while later', () => {
    const { presence, sweep, sockets, a, b } = setUp();
    const start = Date.now();
    presence.apply(a, [entry(1, 1, { name: 'Ana' })], start);
    presence.apply(b, [entry(2, 1, { name: 'Ben' })], start + 10_000);
    sockets[2]!.take();
    presence.tick(start + PRESENCE_TIMEOUT_MS - 1);
    expect(sockets[2]!.take()).toEqual([]);
    presence.tick(start + PRESENCE_TIMEOUT_MS);
    expect(sockets[2]!.take()).toEqual([{ clientId: 1, clock: 1, state: null }]);
    presence.tick(start + 10_000 + PRESENCE_TIMEOUT_MS);
    expect(sockets[2]!.take()).toEqual([{ clientId: 2, clock: 1, state: null }]);
    expect(sweep.size).toBe(1);
    presence.tick(start + 10_000 + 2 * PRESENCE_TIMEOUT_MS);
    expect(sweep.size).toBe(0);
    // Forgotten: the same client coming back with a clock from scratch is taken.
    presence.apply(a, [entry(1, 1, { name: 'Ana' })]);
    expect(sockets[2]!.take()).toEqual([{ clientId: 1, clock: 1, state: { name: 'Ana' } }]);
  });

  it('renews the server notice before clients would drop it, and keeps it when one does', () => {
    const { doc, presence, sockets, a } = setUp();
    const start = Date.now();
    presence.setServerNotice({ readOnly: true, reason: 'disk full' }, start);
    const notice = { server: { readOnly: true, reason: 'disk full' } };
    expect(sockets[0]!.take()).toEqual([{ clientId: doc.clientID, clock: 1, state: notice }]);
    presence.tick(start + PRESENCE_TIMEOUT_MS / 2);
    expect(sockets[0]!.take()).toEqual([{ clientId: doc.clientID, clock: 2, state: notice }]);
    // A stock client whose own timer ran out sends the entry back as removed, with the same clock.
    presence.apply(a, [entry(doc.clientID, 2, null)]);
    expect(sockets[1]!.take().at(-1)).toEqual({ clientId: doc.clientID, clock: 3, state: notice });
    presence.setServerNotice(null);
    expect(sockets[1]!.take()).toEqual([{ clientId: doc.clientID, clock: 4, state: null }]);
    expect(presence.snapshotFrame()).toBeNull();
  });
});
