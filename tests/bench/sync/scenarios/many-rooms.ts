import { ClientPool } from '../client-pool.js';
import { busyPct, sampleMachine } from '../machine-load.js';
import type { BenchOptions } from '../options.js';
import type { ServerKind } from '../protocol.js';
import { createRooms, oneWriterPerRoom, roomTemplate } from '../servers.js';
import { onFreshServer } from './fresh-server.js';
import { distribution } from '../stats.js';
import { cpuPct, type ScenarioResult } from './result.js';

const ROOMS = 500;
const CLIENTS_PER_ROOM = 4;
const WRITE_HZ = 2;
/**
 * Memory is read this long after a wave has synced, once the servers' deferred work is done
 * (Waymark builds a room's document up to 1 s after the room loads).
 */
const SETTLE_MS = 2000;
const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

/**
 * 500 rooms × 4 clients, one writer per room at 2 updates/s. Clients join in two waves (one per
 * room, then the other three) so memory splits into what a live room costs and what a
 * connection costs.
 */
export async function manyRooms(kind: ServerKind, options: BenchOptions): Promise<ScenarioResult> {
  const roomCount = Math.max(10, Math.round(ROOMS * options.scale));
  const durationS = options.durationS ?? Math.max(5, Math.round(60 * options.scale));
  const result: ScenarioResult = {
    scenario: 'many-rooms',
    server: kind,
    load: { rooms: roomCount, clients: roomCount * CLIENTS_PER_ROOM, writers: roomCount, writeHz: WRITE_HZ, awarenessHz: 0, durationS },
    notes: [],
  };
  return onFreshServer(kind, result, async (server, track) => {
    const rooms = await createRooms(server, roomCount, 'many');
    const { specs, writerRooms } = oneWriterPerRoom(rooms, CLIENTS_PER_ROOM);
    const pool = track(await ClientPool.create(kind, server.wsUrl, specs, options.processes, roomTemplate(kind)));
    const idle = await server.stats(true);
    // Wave 1: the writer of each room (it loads the room). The relay never syncs one lone client,
    // so there readiness is the open socket.
    const first = await pool.connect(specs.filter((s) => s.writerId).map((s) => s.id));
    await settle();
    const oneEach = await server.stats(true);
    const second = await pool.connect(specs.filter((s) => !s.writerId).map((s) => s.id));
    await settle();
    const all = await server.stats(true);
    const notReady = first.notReady + second.notReady;
    if (notReady > 0) result.notes.push(`${notReady} clients never synced`);
    result.connectMs = first.ms + second.ms;
    const extraConnections = roomCount * (CLIENTS_PER_ROOM - 1);
    result.rssBytes = all.rssBytes;
    result.rssPerConnectionBytes = (all.rssBytes - oneEach.rssBytes) / extraConnections;
    result.heapPerConnectionBytes = (all.heapUsedBytes - oneEach.heapUsedBytes) / extraConnections;
    // A room's cost is wave 1's growth less the one connection it brought.
    result.rssPerRoomBytes = (oneEach.rssBytes - idle.rssBytes) / roomCount - result.rssPerConnectionBytes;
    result.heapPerRoomBytes = (oneEach.heapUsedBytes - idle.heapUsedBytes) / roomCount - result.heapPerConnectionBytes;

    await pool.addCards();
    server.resetStats();
    const machineBefore = sampleMachine();
    const load = await pool.load(Object.keys(writerRooms), WRITE_HZ, 0, durationS * 1000);
    result.machineCpuPct = busyPct(machineBefore, sampleMachine());
    const stats = await server.stats();
    result.fanout = distribution(load.delaysMs);
    result.losses = await pool.losses(load.sent, writerRooms);
    result.serverCpuPct = cpuPct(stats);
    result.clientCpuPct = (load.cpuMs / load.wallMs) * 100;
    result.eventLoopDelay = stats.eventLoopDelay;
  });
}
