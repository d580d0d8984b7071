import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { permissionFor } from '../access/roles.js';
import { RoomConnection } from '../rooms/room-connection.js';
import { MemoryMapStore } from '../storage/memory-store.js';
import type { SyncSocket } from '../sync/sync-socket.js';
import { ActivityRecorder } from './activity.js';

const socket: SyncSocket = { send() {}, close() {} };
const touched = (changed: string[]) => ({ created: new Set<string>(), changed: new Set(changed), deleted: new Set<string>() });

describe('ActivityRecorder', () => {
  it('gathers a person’s edits until they pause, reading their name only when the entry opens and is stored', async () => {
    const store = new MemoryMapStore();
    await store.createMap('m', new Uint8Array([0, 0]), 0);
    const recorder = new ActivityRecorder('m', store, pino({ level: 'silent' }), { quietMs: 80, maxOpenMs: 60_000 });
    const connection = new RoomConnection(socket, permissionFor('m', 'editor'));
    const name = vi.fn(() => 'Ana');
    // Edits keep coming for longer than the quiet spell: the entry stays open.
    for (let i = 0; i < 5; i++) {
      recorder.note(connection, touched([`cards/c${i}`]), name);
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    expect(await store.listActivity('m', 10)).toEqual([]);
    expect(recorder.inProgress().map((entry) => entry.changed.length)).toEqual([5]);
    // Then the pause: one entry with every record. The name was read when the entry opened, for the
    // in-progress look and when it was stored: not once per edit.
    await vi.waitFor(async () => expect(await store.listActivity('m', 10)).toHaveLength(1), { timeout: 2_000, interval: 20 });
    const [entry] = await store.listActivity('m', 10);
    expect(entry).toMatchObject({ person: 'Ana', role: 'editor', changed: ['cards/c0', 'cards/c1', 'cards/c2', 'cards/c3', 'cards/c4'] });
    expect(name).toHaveBeenCalledTimes(3);
    recorder.destroy();
  });
});
