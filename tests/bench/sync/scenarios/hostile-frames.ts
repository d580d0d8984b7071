import { ClientPool } from '../client-pool.js';
import { flood, hostileFrame, type FloodLimits, type FloodResult } from '../hostile-frame.js';
import { busyPct, sampleMachine } from '../machine-load.js';
import type { BenchOptions } from '../options.js';
import type { ClientSpec, ServerKind } from '../protocol.js';
import { createRooms, roomTemplate } from '../servers.js';
import { onFreshServer } from './fresh-server.js';
import { distribution } from '../stats.js';
import { cpuPct, type HostilePhase, type ScenarioResult } from './result.js';

/** The victims' writer types faster than a workshop's (10/s), for more samples per phase. */
const WRITE_HZ = 20;
/**
 * Frames per phase at most. The y-websocket server decodes each frame into four million structs
 * (about a second of CPU and half a GiB each, measured), so it gets a handful.
 */
const MAX_FRAMES: Record<ServerKind, number> = { waymark: 10_000, ywebsocket: 5, hocuspocus: 0, relay: 0 };

let frame: Uint8Array | undefined;

interface Attack {
  attacker: string;
  url: string;
  mode: FloodLimits['mode'];
}

/**
 * While one attacker connection floods one map with an ~8 MB update announcing four million
 * structs (hostile-frame.ts), a writer and a reader in another map measure fan-out. Waymark:
 * a quiet phase, then the frame from an editor link (the server closes it, 4413, so the attacker
 * reconnects and sends again) and from a viewer link (refused on its first two bytes; the
 * connection stays open). The y-websocket server, for contrast, decodes and applies the frame,
 * so it gets a few frames only. Hocuspocus and the relay are not run.
 *
 * Server settings are the bench's (servers.ts, server-host.ts): Waymark's limits at their
 * defaults (MAX_MESSAGE_BYTES 8 MiB, MAX_UPDATE_PARTS 100,000, 200 messages/s per connection),
 * except MAX_CONNECTIONS_PER_IP, raised for every bench run; the attacker holds one connection
 * at a time, so the default would not stop it either.
 */
export async function hostileFrames(kind: ServerKind, options: BenchOptions): Promise<ScenarioResult> {
  const durationS = options.durationS ?? Math.max(5, Math.round(20 * options.scale));
  const result: ScenarioResult = {
    scenario: 'hostile-frames',
    server: kind,
    load: { writers: 1, readers: 1, writeHz: WRITE_HZ, phaseS: durationS, maxFrames: MAX_FRAMES[kind] },
    notes: [],
  };
  const attackFrame = (frame ??= hostileFrame());
  result.load.frameBytes = attackFrame.byteLength;
  return onFreshServer(kind, result, async (server, track) => {
    const [target, victim] = await createRooms(server, 2, 'hostile');
    const specs: ClientSpec[] = [
      { id: 0, room: victim!.name, token: victim!.token, writerId: 'w0' },
      { id: 1, room: victim!.name, token: victim!.token },
    ];
    const writerRooms = { w0: victim!.name };
    const pool = track(await ClientPool.create(kind, server.wsUrl, specs, 1, roomTemplate(kind)));
    const connected = await pool.connect();
    if (connected.notReady > 0) result.notes.push(`${connected.notReady} clients never synced`);
    await pool.addCards();

    const attacks: (Attack | null)[] = [null];
    if (kind === 'waymark') {
      attacks.push({ attacker: 'editor link', url: `${server.wsUrl}/sync/${target!.name}?token=${target!.token}`, mode: 'reconnect' });
      attacks.push({ attacker: 'viewer link', url: `${server.wsUrl}/sync/${target!.name}?token=${target!.viewerToken}`, mode: 'keep' });
    } else {
      attacks.push({ attacker: 'any client', url: `${server.wsUrl}/${target!.name}`, mode: 'keep' });
    }

    const phases: HostilePhase[] = [];
    for (const attack of attacks) {
      const before = await server.stats(true);
      server.resetStats();
      const machineBefore = sampleMachine();
      const started = Date.now();
      const attacking: Promise<FloodResult | null> = attack
        ? flood(attack.url, attackFrame, { until: started + durationS * 1000, maxFrames: MAX_FRAMES[kind], mode: attack.mode })
        : Promise.resolve(null);
      const load = await pool.load(['w0'], WRITE_HZ, 0, durationS * 1000);
      const flooded = await attacking;
      const machineCpuPct = busyPct(machineBefore, sampleMachine());
      const during = await server.stats();
      const losses = await pool.losses(load.sent, writerRooms);
      const after = await server.stats(true);
      phases.push({
        attacker: attack?.attacker ?? 'none (quiet)',
        fanout: distribution(load.delaysMs),
        losses,
        frames: flooded?.frames ?? 0,
        attackMiBps: flooded ? flooded.bytes / 2 ** 20 / ((Date.now() - started) / 1000) : 0,
        connections: flooded?.connections ?? 0,
        closes: flooded?.closes ?? {},
        replies: flooded?.replies ?? 0,
        refusedConnections: flooded?.refusedConnections ?? 0,
        serverCpuPct: cpuPct(during),
        machineCpuPct,
        eventLoopDelay: during.eventLoopDelay,
        rssBeforeBytes: before.rssBytes,
        rssMaxBytes: during.rssMaxBytes,
        rssAfterBytes: after.rssBytes,
      });
    }
    result.hostile = phases;
    // The headline row: the flood phase with the worst p99.
    const worst = phases.filter((p) => p.frames > 0).sort((a, b) => (b.fanout.p99 || 0) - (a.fanout.p99 || 0))[0];
    if (worst) {
      result.fanout = worst.fanout;
      result.losses = Math.max(...phases.map((p) => p.losses));
      result.serverCpuPct = worst.serverCpuPct;
      result.machineCpuPct = worst.machineCpuPct;
      result.eventLoopDelay = worst.eventLoopDelay;
      result.rssBytes = worst.rssMaxBytes;
      result.notes.push(`row: the ${worst.attacker} flood (worst p99); every phase in the hostile-frames table`);
    }
  });
}
