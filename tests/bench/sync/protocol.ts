/**
 * Messages between the bench orchestrator (run.ts), the server host (one per server under test)
 * and the client workers, over Node's IPC channel. Plain JSON: no functions, no typed arrays.
 */

export const SERVER_KINDS = ['waymark', 'ywebsocket', 'hocuspocus', 'relay'] as const;
export type ServerKind = (typeof SERVER_KINDS)[number];

export const SERVER_LABELS: Record<ServerKind, string> = {
  waymark: 'Waymark (SQLite, durable per update)',
  ywebsocket: 'y-websocket server 0.1.1 (LevelDB)',
  hocuspocus: 'Hocuspocus 3 (SQLite extension)',
  relay: 'raw relay (ws, no CRDT)',
};

// ---- server host ----

export type HostRequest = { type: 'stats-reset' } | { type: 'stats'; gc: boolean };

export interface EventLoopDelay {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

export interface HostStats {
  /** CPU time (user + system) of the server process since the last reset. */
  cpuMs: number;
  wallMs: number;
  rssBytes: number;
  /** Largest RSS sampled (every 250 ms) since the last reset. */
  rssMaxBytes: number;
  heapUsedBytes: number;
  eventLoopDelay: EventLoopDelay;
}

export type HostReply = { type: 'ready'; port: number } | { type: 'stats'; stats: HostStats };

// ---- client workers ----

export interface ClientSpec {
  /** Unique across the whole run. */
  id: number;
  room: string;
  /** Capability token (Waymark only). */
  token?: string;
  /** Set when this client may be asked to write; unique across the run. */
  writerId?: string;
}

export interface WorkerPlan {
  kind: ServerKind;
  /** ws://127.0.0.1:PORT (the worker adds /sync for Waymark). */
  wsUrl: string;
  clients: ClientSpec[];
  /** Every writer of the run, in any worker, and its room: readers watch those of their room. */
  writers: Record<string, string>;
  /**
   * The map every client's document starts with (base64 Yjs update), for servers that have no
   * map API; absent for Waymark, whose rooms are created with it.
   */
  templateState?: string;
}

/** Per writer: its room and how many updates it has sent in total. */
export type SentCounts = Record<string, { room: string; sent: number }>;

export type WorkerRequest =
  | { type: 'plan'; plan: WorkerPlan }
  /**
   * Opens the given clients (all when omitted) and answers once each is synced and, when
   * `stateVector` is given, holds at least that state (a server may answer the sync before its
   * storage has loaded).
   */
  | { type: 'connect'; ids?: number[]; timeoutMs: number; stateVector?: Record<string, number> }
  /**
   * Each writer here that has no card yet adds one (through the model) to its synced document;
   * answers once every client here holds the card of every writer of its room, or at the timeout.
   */
  | { type: 'add-cards'; timeoutMs: number }
  /** Runs writers and awareness for a while; answers at the end. */
  | { type: 'load'; writers: string[]; writeHz: number; awarenessHz: number; durationMs: number }
  /** Missing updates per reader, given what every writer sent. */
  | { type: 'losses'; sent: SentCounts }
  /** From now on a client whose socket drops stops reconnecting and stops writing. */
  | { type: 'arm-freeze' }
  | { type: 'await-frozen'; timeoutMs: number }
  /** Highest sequence number each writer reached that some reader here had received. */
  | { type: 'seen' }
  /** Fresh documents join the given rooms and report which sequence numbers the server holds. */
  | { type: 'probe'; rooms: ProbeRoom[]; timeoutMs: number }
  | { type: 'reconnect'; timeoutMs: number }
  | { type: 'close' };

export interface ProbeRoom {
  room: string;
  token?: string;
  writers: string[];
}

export interface LoadResult {
  /** Fan-out delays in ms measured by readers of writers in the same process. */
  delaysMs: number[];
  sent: Record<string, number>;
  cpuMs: number;
  wallMs: number;
}

export type WorkerReply =
  | { type: 'planned' }
  /** applyMs: time the clients spent applying what they received. */
  | { type: 'connected'; ms: number; notReady: number; applyMs: number }
  /** made: cards added here; missing: (client, writer) pairs still without the writer's card. */
  | { type: 'cards-added'; made: number; missing: number }
  | { type: 'loaded'; result: LoadResult }
  | { type: 'losses'; missing: number; readers: number }
  | { type: 'armed' }
  | { type: 'frozen'; ms: number; stillOpen: number }
  | { type: 'seen'; seen: Record<string, number> }
  | { type: 'probed'; held: Record<string, number>; ms: number; notReady: number }
  | { type: 'reconnected'; ms: number; notReady: number }
  | { type: 'closed' }
  | { type: 'error'; message: string };

// ---- policy-cost child (policy-cost.ts) ----

export interface PolicyCostRequest {
  /** × the default iterations. */
  scale: number;
  /** Which cards the edits pick: the same seed measures the same updates. */
  seed: number;
}

/** Microseconds at the median and the 99th percentile. */
export interface Micros {
  p50: number;
  p99: number;
}

/** One kind of edit: what checking its update costs next to applying it. */
export interface PolicyCostRow {
  operation: string;
  /** Cards in the map the update lands in. */
  mapCards: number;
  /** Mean size of the measured updates. */
  updateBytes: number;
  /** Structs, values and deleted ranges, as the server counts them against MAX_UPDATE_PARTS. */
  parts: number;
  /** Distinct updates measured in turn. */
  variants: number;
  iterations: number;
  /** readUpdate + missingDependency + checkUpdate: the work the policy adds. */
  checkUs: Micros;
  readUs: Micros;
  dependenciesUs: Micros;
  policyUs: Micros;
  /** Y.applyUpdate of the same update on the same server document, after the check. */
  applyUs: Micros;
  /** Y.applyUpdate on a fresh copy with no check before it (the path without the policy). */
  applyAloneUs: Micros;
  /** The check run a second time on the same document: with code and data in cache. */
  checkWarmUs: Micros;
  /** checkUs / applyUs. */
  ratioP50: number;
  ratioP99: number;
}

export type PolicyCostReply = { type: 'policy-cost'; rows: PolicyCostRow[] } | { type: 'error'; message: string };
