import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What a room reports as it works; the server's metrics count it (nothing when metrics are off). */
export interface RoomMetrics {
  /** A client's update was taken in. */
  accepted(): void;
  /** A client's update (or part of it) was refused. */
  refused(): void;
  /** A batch of updates was committed to storage, taking `seconds`. */
  committed(seconds: number): void;
  /** A batch reached the room's other clients `seconds` after its first update arrived. */
  fannedOut(seconds: number): void;
  /** A write to storage failed (the map turned read-only). */
  storageFailed(): void;
}

export interface LiveCounts {
  rooms(): number;
  connections(): number;
  presenceEntries(): number;
}

const LATENCY_BUCKETS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5];

/**
 * `GET /metrics` in Prometheus text format: rooms, connections and presence entries now; updates
 * accepted and refused; commit and fan-out latency; storage failures; and Node's own (event-loop
 * delay, memory, CPU). One registry per server, so several servers in one process do not mix.
 */
export class ServerMetrics implements RoomMetrics {
  readonly registry = new Registry();
  readonly #accepted: Counter;
  readonly #refused: Counter;
  readonly #storageFailures: Counter;
  readonly #commit: Histogram;
  readonly #fanout: Histogram;

  constructor(live: LiveCounts) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 20 });
    new Gauge({
      name: 'waymark_rooms',
      help: 'Maps loaded in this process.',
      registers,
      collect() {
        this.set(live.rooms());
      },
    });
    new Gauge({
      name: 'waymark_connections',
      help: 'Open sync connections.',
      registers,
      collect() {
        this.set(live.connections());
      },
    });
    new Gauge({
      name: 'waymark_presence_entries',
      help: 'Presence entries held by the loaded maps.',
      registers,
      collect() {
        this.set(live.presenceEntries());
      },
    });
    this.#accepted = new Counter({ name: 'waymark_updates_accepted_total', help: 'Document updates taken in from clients.', registers });
    this.#refused = new Counter({ name: 'waymark_updates_refused_total', help: 'Document updates refused, whole or in part.', registers });
    this.#storageFailures = new Counter({ name: 'waymark_storage_failures_total', help: 'Writes to storage that failed.', registers });
    this.#commit = new Histogram({
      name: 'waymark_commit_seconds',
      help: 'Time to commit a batch of updates to storage.',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.#fanout = new Histogram({
      name: 'waymark_fanout_seconds',
      help: 'From an update arriving to its batch reaching the other clients.',
      buckets: LATENCY_BUCKETS,
      registers,
    });
  }

  accepted(): void {
    this.#accepted.inc();
  }
  refused(): void {
    this.#refused.inc();
  }
  committed(seconds: number): void {
    this.#commit.observe(seconds);
  }
  fannedOut(seconds: number): void {
    this.#fanout.observe(seconds);
  }
  storageFailed(): void {
    this.#storageFailures.inc();
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
