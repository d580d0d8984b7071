import { ClientPool } from '../client-pool.js';
import { busyPct, sampleMachine } from '../machine-load.js';
import type { BenchOptions } from '../options.js';
import type { ServerKind } from '../protocol.js';
import { createRooms, oneWriterPerRoom, roomTemplate } from '../servers.js';
import { onFreshServer } from './fresh-server.js';
import { distribution } from '../stats.js';
import { cpuPct, type ScenarioResult } from './result.js';

const CLIENTS_PER_ROOM = 10;
const WRITE_HZ = 2;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * 1,000 connected clients (100 rooms × 10, one writer per room at 2 updates/s); SIGKILL the
 * server while they write, then:
 * 1. restart it, and fresh documents (that never saw the rooms) read what it kept: an update some
 *    reader had received before the kill but the server no longer has is "forgotten by the server";
 * 2. SIGKILL and restart again (so every room is cold), and every client reconnects at once: the
 *    time until each one is synced again is the resync time;
 * 3. after that, any update some reader never got is a loss.
 * Clients do not reconnect on their own between the kill and step 2, so the probes of step 1
 * see only what the server kept, not what a client pushed back.
 */
export async function restartStorm(kind: ServerKind, options: BenchOptions): Promise<ScenarioResult> {
  const clients = Math.max(CLIENTS_PER_ROOM * 2, Math.round(options.stormClients / CLIENTS_PER_ROOM) * CLIENTS_PER_ROOM);
  const roomCount = clients / CLIENTS_PER_ROOM;
  const beforeKillS = Math.max(3, Math.round(10 * options.scale));
  const result: ScenarioResult = {
    scenario: 'restart-storm',
    server: kind,
    load: { rooms: roomCount, clients, writers: roomCount, writeHz: WRITE_HZ, beforeKillS },
    notes: [],
  };
  return onFreshServer(kind, result, async (server, track) => {
    const rooms = await createRooms(server, roomCount, 'storm');
    const { specs, writerRooms } = oneWriterPerRoom(rooms, CLIENTS_PER_ROOM);
    const pool = track(await ClientPool.create(kind, server.wsUrl, specs, options.processes, roomTemplate(kind)));
    const connected = await pool.connect();
    if (connected.notReady > 0) result.notes.push(`${connected.notReady} clients never synced before the kill`);
    result.connectMs = connected.ms;
    await pool.addCards();
    await pool.armFreeze();

    // Writers run through the kill; each stops when its socket drops.
    const machineBefore = sampleMachine();
    const loading = pool.load(Object.keys(writerRooms), WRITE_HZ, 0, (beforeKillS + 3) * 1000);
    await sleep(beforeKillS * 1000);
    await server.kill();
    const stillOpen = await pool.awaitFrozen();
    if (stillOpen > 0) result.notes.push(`${stillOpen} sockets still open after the kill`);
    const seen = await pool.seen();
    const load = await loading;
    result.machineCpuPct = busyPct(machineBefore, sampleMachine());
    result.fanout = distribution(load.delaysMs);
    result.clientCpuPct = (load.cpuMs / load.wallMs) * 100;

    if (kind !== 'relay') {
      await server.spawn();
      const probed = await pool.probe(
        rooms.map((room) => ({
          room: room.name,
          token: room.token,
          writers: Object.keys(writerRooms).filter((w) => writerRooms[w] === room.name),
        })),
      );
      if (probed.notReady > 0) result.notes.push(`${probed.notReady} probes never synced`);
      result.forgottenByServer = Object.entries(seen).reduce((n, [w, s]) => n + Math.max(0, s - (probed.held[w] ?? 0)), 0);
      await server.kill();
    } else {
      result.notes.push('the relay stores nothing, so there is nothing to probe; clients heal each other');
    }

    result.restartMs = await server.spawn();
    server.resetStats();
    const resynced = await pool.reconnect();
    result.resyncMs = resynced.ms;
    if (resynced.notReady > 0)
      result.notes.push(`${resynced.notReady} clients not synced ${Math.round(resynced.ms)} ms after reconnecting`);
    const stats = await server.stats();
    result.serverCpuPct = cpuPct(stats);
    result.eventLoopDelay = stats.eventLoopDelay;
    result.rssBytes = stats.rssMaxBytes;
    result.losses = await pool.losses(load.sent, writerRooms);
  });
}
