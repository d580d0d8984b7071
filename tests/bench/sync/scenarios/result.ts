import type { EventLoopDelay, HostStats, PolicyCostRow, ServerKind } from '../protocol.js';
import type { Distribution } from '../stats.js';

/** What one scenario measured on one server. Absent fields do not apply to it. */
export interface ScenarioResult {
  scenario: string;
  server: ServerKind;
  /** The load as actually run (after scaling). */
  load: Record<string, number | string>;
  fanout?: Distribution;
  /** Updates some reader never received, after the run settled (10 s). */
  losses?: number;
  /** Server CPU during the load phase, % of one core. */
  serverCpuPct?: number;
  /** All client processes together, % of one core. */
  clientCpuPct?: number;
  eventLoopDelay?: EventLoopDelay;
  /** The whole machine's busy CPU over the load phase, % of one core: server + clients + anything else running. */
  machineCpuPct?: number;
  rssBytes?: number;
  rssPerRoomBytes?: number;
  rssPerConnectionBytes?: number;
  heapPerRoomBytes?: number;
  heapPerConnectionBytes?: number;
  connectMs?: number;
  /** From the first client's connect until its document holds the whole map. */
  coldLoadMs?: number;
  /** Of that, the time the client itself spent applying what it received (the rest is the server and the wire). */
  coldLoadClientApplyMs?: number;
  /** Yjs applying the same state to an empty document, in this process (the target's baseline). */
  yjsApplyMs?: number;
  /** Restart storm: server start after the kill, until it listens. */
  restartMs?: number;
  /** Restart storm: from every client reconnecting at once until each is synced. */
  resyncMs?: number;
  /** Restart storm: updates some reader had received before the kill that the restarted server no longer had. */
  forgottenByServer?: number;
  /** Workshop load steps (the chart). */
  steps?: LoadStep[];
  /** policy-cost: the update check against the Yjs apply, per kind of edit. */
  policyCost?: PolicyCostRow[];
  /** hostile-frames: each phase (quiet, then each attacker). */
  hostile?: HostilePhase[];
  notes: string[];
  error?: string;
}

export interface LoadStep {
  writers: number;
  updatesPerSecond: number;
  fanout: Distribution;
  losses: number;
  serverCpuPct: number;
  eventLoopDelay: EventLoopDelay;
}

/** One phase of hostile-frames: fan-out in another map while one connection floods the server. */
export interface HostilePhase {
  /** Which link sends the frame; 'none (quiet)' for the phase without an attack. */
  attacker: string;
  fanout: Distribution;
  losses: number;
  frames: number;
  /** Attack traffic the server took in, MiB/s over the phase. */
  attackMiBps: number;
  connections: number;
  /** Close codes the attacker saw, and how often. */
  closes: Record<string, number>;
  replies: number;
  refusedConnections: number;
  serverCpuPct: number;
  machineCpuPct: number | undefined;
  eventLoopDelay: EventLoopDelay;
  /** After a forced GC, before the phase. */
  rssBeforeBytes: number;
  /** Largest RSS sampled (every 250 ms) during the phase. */
  rssMaxBytes: number;
  /** After a forced GC, once the phase is over. */
  rssAfterBytes: number;
}

export const cpuPct = (stats: HostStats): number => (stats.cpuMs / stats.wallMs) * 100;
