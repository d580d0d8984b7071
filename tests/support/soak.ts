import { addStage } from '@waymark/model';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { connect, createMap, synced, tokenOf, waitFor, type CreatedMap } from './clients.js';
import type { RunningServer } from './server.js';

setFlagsFromString('--expose_gc');
const collectGarbage = runInNewContext('gc') as () => void;

export interface SoakOptions {
  /** Stop after this many cycles… */
  cycles: number;
  /** …or this long, whichever comes first. */
  maxMs: number;
  maps: number;
  clientsPerCycle: number;
}

export interface SoakSample {
  cycle: number;
  heapUsedMb: number;
  rssMb: number;
  handles: number;
  rooms: number;
}

export interface SoakResult {
  cycles: number;
  ms: number;
  baseline: SoakSample;
  final: SoakSample;
  samples: SoakSample[];
}

/** Open handles other than timers the test runner itself keeps. */
const handleCount = () => process.getActiveResourcesInfo().filter((r) => r !== 'Timeout' && r !== 'Immediate').length;

async function settle(running: RunningServer, cycle: number): Promise<SoakSample> {
  await waitFor(() => running.server.rooms.size === 0, 'rooms to unload', 10_000);
  await waitFor(
    async () => ((await (await fetch(`${running.url}/healthz`)).json()) as { connections: number }).connections === 0,
    'connections to close',
    10_000,
  );
  for (let i = 0; i < 3; i++) {
    collectGarbage();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const memory = process.memoryUsage();
  return {
    cycle,
    heapUsedMb: +(memory.heapUsed / 1024 / 1024).toFixed(2),
    rssMb: +(memory.rss / 1024 / 1024).toFixed(1),
    handles: handleCount(),
    rooms: running.server.rooms.size,
  };
}

/**
 * Opens and closes rooms and connections over and over against a server in this process
 * (loopback only, bounded in cycles and time), sampling memory and handles between cycles once
 * everything has unloaded. The server must run with a short ROOM_IDLE_MS.
 */
export async function soak(running: RunningServer, options: SoakOptions): Promise<SoakResult> {
  const maps: CreatedMap[] = [];
  for (let i = 0; i < options.maps; i++) maps.push(await createMap(running.url, { title: `Soak ${i}` }));
  const runCycle = async (cycle: number) => {
    const clients = Array.from({ length: options.clientsPerCycle }, (_, i) => {
      const map = maps[(cycle + i) % maps.length]!;
      return connect(running.url, map.id, tokenOf(i % 3 === 0 ? map.links.viewer : map.links.editor));
    });
    await Promise.all(clients.map((c) => waitFor(() => c.provider.synced, 'soak client to sync')));
    for (const [i, client] of clients.entries()) {
      if (i % 3 !== 0) addStage(client.doc, { name: `cycle ${cycle}` });
      client.provider.awareness.setLocalStateField('user', { name: `soaker ${i}` });
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
    for (const client of clients) client.destroy();
  };
  await runCycle(0);
  const baseline = await settle(running, 0);
  const samples = [baseline];
  const started = Date.now();
  let cycle = 1;
  for (; cycle <= options.cycles && Date.now() - started < options.maxMs; cycle++) {
    await runCycle(cycle);
    if (cycle % 10 === 0) samples.push(await settle(running, cycle));
  }
  const final = await settle(running, cycle - 1);
  samples.push(final);
  return { cycles: cycle - 1, ms: Date.now() - started, baseline, final, samples };
}

export { synced };
