import { afterEach, describe, expect, it } from 'vitest';
import { permissionFor } from '../access/roles.js';
import { decodeMessage, type AwarenessEntry } from '../sync/protocol.js';
import type { SyncSocket } from '../sync/sync-socket.js';
import { Presence, PRESENCE_TIMEOUT_MS } from './presence.js';
import { DEFAULT_PRESENCE_LIMITS, jsonDepth, type PresenceLimits } from './presence-entry.js';
import { RoomConnection } from './room-connection.js';
import { SharedInterval } from '../shared-interval.js';

class RecordingSocket implements SyncSocket {
  readonly frames: Uint8Array[] = [];
  send(frame: Uint8Array): void {
    this.frames.push(frame);
  }
  close(): void {}
  /** The awareness entries received, each with its state parsed; then forgets them. */
  take(): { clientId: number; clock: number; state: unknown }[] {
    return this.frames.splice(0).flatMap((frame) => {
      const message = decodeMessage(frame);
      return message.type === 'awareness' ? message.entries.map(parsed) : [];
    });
  }
}

const entry = (clientId: number, clock: number, state: unknown): AwarenessEntry => ({
  clientId,
  clock,
  json: JSON.stringify(state),
});

const parsed = ({ clientId, clock, json }: AwarenessEntry) => ({ clientId, clock, state: JSON.parse(json) as unknown });

/** The entries of a presence's snapshot, parsed. */
const snapshot = (presence: Presence) => {
  const message = decodeMessage(presence.snapshotFrame()!);
  return message.type === 'awareness' ? message.entries.map(parsed) : [];
};

const sweeps: SharedInterval[] = [];
afterEach(() => {
  for (const sweep of sweeps.splice(0)) sweep.close();
});

function setUp(people = 3, limits: Partial<PresenceLimits> = {}) {
  const connections = new Set<RoomConnection>();
  const sweep = new SharedInterval(60_000);
  sweeps.push(sweep);
  const dropped: { clientId: number; reason: string }[] = [];
  const presence = new Presence(connections, sweep, { ...DEFAULT_PRESENCE_LIMITS, ...limits }, (_c, clientId, reason) =>
    dropped.push({ clientId, reason }),
  );
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
  return { presence, sweep, sockets, dropped, a: a!, b: b!, c: c!, leave };
}

describe('Presence', () => {
  it('relays an entry to everyone else and gives it to newcomers', () => {
    const { presence, sockets, a } = setUp();
    presence.apply(a, [entry(7, 1, { user: { name: 'Ana' } })]);
    expect(sockets[0]!.take()).toEqual([]);
    expect(sockets[1]!.take()).toEqual([{ clientId: 7, clock: 1, state: { user: { name: 'Ana' } } }]);
    expect(snapshot(presence)).toEqual([{ clientId: 7, clock: 1, state: { user: { name: 'Ana' } } }]);
  });

  it('takes an entry only when its clock moves forward, so echoes stop at the server', () => {
    const { presence, sockets, a, b } = setUp();
    presence.apply(a, [entry(7, 2, { n: 2 })]);
    sockets[2]!.take();
    presence.apply(b, [entry(7, 2, { n: 2 })]);
    presence.apply(b, [entry(7, 1, { n: 1 })]);
    expect(sockets[2]!.take()).toEqual([]);
    expect(snapshot(presence)).toEqual([{ clientId: 7, clock: 2, state: { n: 2 } }]);
  });

  it('removes what a connection spoke for when it leaves, not what it only echoed', () => {
    const { presence, sockets, a, b, leave } = setUp();
    presence.apply(a, [entry(1, 1, { name: 'Ana' })]);
    presence.apply(b, [entry(1, 1, { name: 'Ana' }), entry(2, 1, { name: 'Ben' })]);
    sockets[2]!.take();
    leave(b);
    expect(sockets[2]!.take()).toEqual([{ clientId: 2, clock: 1, state: null }]);
    expect(snapshot(presence)).toMatchObject([{ clientId: 1, state: { name: 'Ana' } }]);
  });

  it('lets no other connection change or remove an entry while the one that introduced it is here', () => {
    const { presence, sockets, dropped, a, b, leave } = setUp();
    presence.apply(a, [entry(1, 1, { user: { name: 'Alice' } })]);
    sockets[2]!.take();
    // Alice's client id with a higher clock, from someone else: renamed, then removed.
    presence.apply(b, [entry(1, 5, { user: { name: 'Mallory' } })]);
    presence.apply(b, [entry(1, 6, null)]);
    presence.apply(b, [entry(1, 1, null)]);
    expect(sockets[2]!.take()).toEqual([]);
    expect(snapshot(presence)).toEqual([{ clientId: 1, clock: 1, state: { user: { name: 'Alice' } } }]);
    expect(dropped).toEqual([
      { clientId: 1, reason: 'the entry belongs to another connection' },
      { clientId: 1, reason: 'the entry belongs to another connection' },
    ]);
    // Once Alice's connection has gone, the client id is free again (her client reconnecting).
    leave(a);
    expect(sockets[2]!.take()).toEqual([{ clientId: 1, clock: 1, state: null }]);
    presence.apply(b, [entry(1, 2, { user: { name: 'Alice' } })]);
    expect(sockets[2]!.take()).toEqual([{ clientId: 1, clock: 2, state: { user: { name: 'Alice' } } }]);
  });

  it('drops entries that are too big, too deep, badly typed or pose as the server, and relays none of them', () => {
    const { presence, sockets, dropped, a } = setUp(3, { maxEntryBytes: 1024 });
    const deep = '['.repeat(20) + ']'.repeat(20);
    presence.apply(a, [
      entry(1, 1, { user: { name: 'x'.repeat(2000) } }),
      { clientId: 2, clock: 1, json: deep },
      entry(3, 1, { server: { readOnly: true, reason: 'Waymark moved: sign in again at https://evil.example/login' } }),
      entry(4, 1, { user: { name: 'Ana', colour: 'red' } }),
      entry(5, 1, { cursor: { x: 1, y: 'up' } }),
      entry(6, 1, { user: 'Ana' }),
      entry(7, 1, [1, 2]),
      entry(8, 1, { user: { name: 'x'.repeat(101) } }),
      { clientId: 10, clock: 1, json: '{{' },
      entry(9, 1, { user: { id: 'u1', name: 'Ana', colour: '#aabbcc' }, cursor: { x: 1, y: 2 }, editing: null, extra: [1] }),
    ]);
    expect(sockets[1]!.take()).toEqual([
      {
        clientId: 9,
        clock: 1,
        state: { user: { id: 'u1', name: 'Ana', colour: '#aabbcc' }, cursor: { x: 1, y: 2 }, editing: null, extra: [1] },
      },
    ]);
    expect(dropped.map((d) => d.clientId)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 10]);
    expect(dropped.at(-1)!.reason).toBe('entry is not valid JSON');
    expect(dropped[0]!.reason).toMatch(/over the limit of 1024/);
    expect(dropped[1]!.reason).toMatch(/deeper than 8/);
    expect(dropped[2]!.reason).toMatch(/only the server/);
  });

  it('relays a presenter position of one stage id, and drops an entry whose position is malformed', () => {
    const { presence, sockets, dropped, a } = setUp();
    const user = { id: 'u1', name: 'Ana', colour: '#aabbcc' };
    presence.apply(a, [
      entry(1, 1, { user, presenting: { stageId: 'stage_3-Decision' } }),
      entry(2, 1, { user, presenting: null }),
      entry(3, 1, { user, presenting: { stageId: 'stage:3' } }),
      entry(4, 1, { user, presenting: { stageId: 'x'.repeat(65) } }),
      entry(5, 1, { user, presenting: { stageId: 'stage3', url: 'https://evil.example' } }),
      entry(6, 1, { user, presenting: 'stage3' }),
      entry(7, 1, { user, presenting: [{ stageId: 'stage3' }] }),
      entry(8, 1, { user, presenting: {} }),
    ]);
    expect(sockets[1]!.take()).toEqual([
      { clientId: 1, clock: 1, state: { user, presenting: { stageId: 'stage_3-Decision' } } },
      { clientId: 2, clock: 1, state: { user, presenting: null } },
    ]);
    expect(dropped.map((d) => d.clientId)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(dropped.map((d) => d.reason)).toEqual([
      'presenting.stageId is not a record id',
      'presenting.stageId is not a record id',
      'presenting may hold a stageId and nothing else',
      'presenting is not an object',
      'presenting is not an object',
      'presenting may hold a stageId and nothing else',
    ]);
  });

  it("relays a facilitator's view of finite numbers and a stage id, and drops one that is malformed", () => {
    const { presence, sockets, dropped, a } = setUp(3, { maxEntriesPerConnection: 20 });
    const user = { id: 'u1', name: 'Ana', colour: '#aabbcc' };
    const view = { x: 120.5, y: 0, zoom: 0.8, stageId: 'stage_3-Decision' };
    presence.apply(a, [
      entry(1, 1, { user, view }),
      entry(2, 1, { user, view: { ...view, stageId: null } }),
      entry(3, 1, { user, view: null }),
      entry(4, 1, { user, view: { ...view, x: '12' } }),
      entry(5, 1, { user, view: { ...view, y: 1e12 } }),
      entry(6, 1, { user, view: { ...view, zoom: 0 } }),
      entry(7, 1, { user, view: { ...view, stageId: 'stage:3' } }),
      entry(8, 1, { user, view: { ...view, url: 'https://evil.example' } }),
      entry(9, 1, { user, view: [view] }),
    ]);
    expect(sockets[1]!.take().map((e) => e.clientId)).toEqual([1, 2, 3]);
    expect(dropped.map((d) => d.reason)).toEqual([
      'view.x and view.y must be finite numbers within ±10000000',
      'view.x and view.y must be finite numbers within ±10000000',
      'view.zoom must be a number above 0 and at most 10',
      'view.stageId is not a record id or null',
      'view may hold x, y, zoom and stageId and nothing else',
      'view is not an object',
    ]);
  });

  it('refuses a 200,000-deep array by its nesting even where the size limit would let it through', () => {
    const { presence, sockets, dropped, a } = setUp(3, { maxEntryBytes: 1024 * 1024 });
    presence.apply(a, [{ clientId: 1, clock: 1, json: '['.repeat(200_000) + ']'.repeat(200_000) }]);
    expect(sockets[1]!.take()).toEqual([]);
    expect(dropped[0]!.reason).toMatch(/deeper than 8/);
  });

  it('lets one connection speak for a bounded number of entries', () => {
    const { presence, sockets, dropped, a } = setUp(3, { maxEntriesPerConnection: 2 });
    presence.apply(a, [entry(1, 1, {}), entry(2, 1, {}), entry(3, 1, {})]);
    expect(sockets[1]!.take().map((e) => e.clientId)).toEqual([1, 2]);
    expect(dropped).toEqual([{ clientId: 3, reason: 'a connection may speak for at most 2 entries' }]);
    // Its own entries still move.
    presence.apply(a, [entry(2, 2, { n: 2 })]);
    expect(sockets[1]!.take()).toEqual([{ clientId: 2, clock: 2, state: { n: 2 } }]);
  });

  it('measures nesting outside strings only', () => {
    expect(jsonDepth('{"a":[1,{"b":"[[[["}]}')).toBe(3);
    expect(jsonDepth('"\\"')).toBe(0);
    expect(jsonDepth('[[]]')).toBe(2);
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
});

describe('Presence across nodes', () => {
  it("takes another node's entries by the same clock rule and relays them once; their echoes go nowhere", () => {
    const { presence, sockets, a } = setUp();
    presence.applyRemote([entry(9, 3, { user: { name: 'Remote' } })]);
    for (const socket of sockets) expect(socket.take()).toEqual([{ clientId: 9, clock: 3, state: { user: { name: 'Remote' } } }]);
    // A stock client here echoes it, and another node's echo comes back through the stream.
    expect(presence.apply(a, [entry(9, 3, { user: { name: 'Remote' } })])).toBeNull();
    presence.applyRemote([entry(9, 3, { user: { name: 'Remote' } }), entry(9, 2, { user: { name: 'Older' } })]);
    expect(sockets[1]!.take()).toEqual([]);
    presence.applyRemote([entry(9, 3, null)]);
    expect(sockets[1]!.take()).toEqual([{ clientId: 9, clock: 3, state: null }]);
  });

  it('gives the other nodes what its own connections moved forward, and lets none of them change those entries', () => {
    const { presence, sockets, a } = setUp();
    const relayed = presence.apply(a, [entry(1, 1, { user: { name: 'Alice' } })]);
    const message = decodeMessage(relayed!);
    expect(message.type === 'awareness' && message.entries.map(parsed)).toEqual([
      { clientId: 1, clock: 1, state: { user: { name: 'Alice' } } },
    ]);
    sockets[1]!.take();
    presence.applyRemote([entry(1, 5, { user: { name: 'Mallory' } })]);
    expect(sockets[1]!.take()).toEqual([]);
    expect(snapshot(presence)).toEqual([{ clientId: 1, clock: 1, state: { user: { name: 'Alice' } } }]);
  });
});
