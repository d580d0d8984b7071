import { ClientPool } from '../client-pool.js';
import { busyPct, sampleMachine } from '../machine-load.js';
import type { BenchOptions } from '../options.js';
import type { ClientSpec, ServerKind } from '../protocol.js';
import { createRooms, roomTemplate } from '../servers.js';
import { onFreshServer } from './fresh-server.js';
import { distribution } from '../stats.js';
import { cpuPct, type LoadStep, type ScenarioResult } from './result.js';

const CLIENTS = 50;
const WRITERS = 5;
const WRITE_HZ = 10;
const SWEEP = [1, 10, 20];

/**
 * One room of 50 clients: 5 writers typing at 10 updates/s, awareness at 2 Hz from everyone.
 * With the sweep, the same room then runs at 1, 10 and 20 writers for the p99-against-load chart.
 */
export async function workshop(kind: ServerKind, options: BenchOptions, nodeFlags: string[] = []): Promise<ScenarioResult> {
  const durationS = options.durationS ?? Math.max(5, Math.round(60 * options.scale));
  const stepS = Math.max(5, Math.round(durationS / 4));
  const maxWriters = options.sweep ? Math.max(WRITERS, ...SWEEP) : WRITERS;
  const result: ScenarioResult = {
    scenario: 'workshop',
    server: kind,
    load: { rooms: 1, clients: CLIENTS, writers: WRITERS, writeHz: WRITE_HZ, awarenessHz: options.awarenessHz, durationS },
    notes: [],
  };
  return onFreshServer(
    kind,
    result,
    async (server, track) => {
      const [room] = await createRooms(server, 1, 'workshop');
      const specs: ClientSpec[] = Array.from({ length: CLIENTS }, (_, i) => ({
        id: i,
        room: room!.name,
        token: room!.token,
        writerId: i < maxWriters ? `w${i}` : undefined,
      }));
      const writerRooms = Object.fromEntries(specs.filter((s) => s.writerId).map((s) => [s.writerId!, s.room]));
      const idle = await server.stats(true);
      const pool = track(await ClientPool.create(kind, server.wsUrl, specs, options.processes, roomTemplate(kind)));
      const connected = await pool.connect();
      if (connected.notReady > 0) result.notes.push(`${connected.notReady} clients never synced`);
      result.connectMs = connected.ms;
      const live = await server.stats(true);
      result.rssBytes = live.rssBytes;
      result.rssPerConnectionBytes = (live.rssBytes - idle.rssBytes) / CLIENTS;
      result.heapPerConnectionBytes = (live.heapUsedBytes - idle.heapUsedBytes) / CLIENTS;
      // Every writer of the sweep gets its card now, so no step starts with cards arriving.
      await pool.addCards();

      const runStep = async (writers: number, seconds: number): Promise<StepRun> => {
        server.resetStats();
        const ids = specs.slice(0, writers).map((s) => s.writerId!);
        const machineBefore = sampleMachine();
        const load = await pool.load(ids, WRITE_HZ, options.awarenessHz, seconds * 1000);
        const machineCpuPct = busyPct(machineBefore, sampleMachine());
        const stats = await server.stats();
        const losses = await pool.losses(load.sent, writerRooms);
        return {
          writers,
          updatesPerSecond: writers * WRITE_HZ,
          fanout: distribution(load.delaysMs),
          losses,
          serverCpuPct: cpuPct(stats),
          clientCpuPct: (load.cpuMs / load.wallMs) * 100,
          eventLoopDelay: stats.eventLoopDelay,
          machineCpuPct,
        };
      };

      const headline = await runStep(WRITERS, durationS);
      Object.assign(result, {
        fanout: headline.fanout,
        losses: headline.losses,
        serverCpuPct: headline.serverCpuPct,
        clientCpuPct: headline.clientCpuPct,
        eventLoopDelay: headline.eventLoopDelay,
        machineCpuPct: headline.machineCpuPct,
      });
      const steps: LoadStep[] = [stripStep(headline)];
      if (options.sweep) {
        for (const writers of SWEEP) steps.push(stripStep(await runStep(writers, stepS)));
        result.load.sweepStepS = stepS;
      }
      result.steps = steps.sort((a, b) => a.writers - b.writers);
      result.losses = steps.reduce((n, s) => Math.max(n, s.losses), 0);
    },
    { nodeFlags },
  );
}

type StepRun = LoadStep & { clientCpuPct: number; machineCpuPct: number | undefined };

function stripStep(step: StepRun): LoadStep {
  const { writers, updatesPerSecond, fanout, losses, serverCpuPct, eventLoopDelay } = step;
  return { writers, updatesPerSecond, fanout, losses, serverCpuPct, eventLoopDelay };
}
