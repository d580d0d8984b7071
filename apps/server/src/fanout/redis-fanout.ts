import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { decodeNodeEvent, encodeNodeEvent, type NodeEvent } from './node-events.js';
import type { FanoutListener, NodeEventListener, RoomChannel, RoomFanout } from './room-fanout.js';
import { decodeStreamReply, type StreamEntry } from './stream-reply.js';

export interface RedisFanoutOptions {
  /** redis:// or rediss:// (REDIS_URL). */
  url: string;
  logger: Logger;
  /**
   * Entries each room's stream keeps, about (Redis trims whole nodes, `MAXLEN ~`). Every entry is
   * in the store before it is appended, so trimming never loses an update; the bound only has to
   * stay far above what a reader can fall behind by between two reads.
   */
  maxStreamLength?: number;
}

const DEFAULT_MAX_STREAM_LENGTH = 10_000;
/** How long one XREAD waits for news; a room that opens meanwhile cuts the wait short (CLIENT UNBLOCK). */
const READ_BLOCK_MS = 5_000;
/** Entries one XREAD returns at most, over all streams. */
const READ_COUNT = 1_000;
/** Back-off after a failed read: 100 ms, doubling, at most 5 s. */
const retryDelay = (attempt: number) => Math.min(5_000, 100 * 2 ** attempt);

export const streamKey = (mapId: string) => `waymark:room:${mapId}`;
/** The nodes' announcements to each other (node-events.ts), read by every node. */
export const EVENTS_KEY = 'waymark:events';
/** Announcements the events stream keeps, about: a node reads them within one XREAD round. */
const MAX_EVENTS_LENGTH = 1_000;
/** Announcements held while Redis cannot take them, sent once it can. */
const MAX_UNSENT_EVENTS = 1_000;

/**
 * Fan-out between nodes through Redis Streams: one stream per live room (`waymark:room:<mapId>`).
 * A node appends each update after the store has committed it, and the awareness frames its own
 * connections moved forward; every node serving the room reads the stream on one dedicated
 * connection (one XREAD BLOCK over all its rooms' streams) and hands other nodes' entries to the
 * room, which relays them as it does its own (presence through the same clock filter).
 */
export class RedisFanout implements RoomFanout {
  /** Tells this node's entries from others'. */
  readonly nodeId = randomUUID();
  readonly #commands: Redis;
  readonly #reader: Redis;
  readonly #channels = new Map<string, RedisRoomChannel>();
  readonly #maxStreamLength: number;
  readonly #reading: Promise<void>;
  /** The reader connection's CLIENT ID, to wake its XREAD when a room opens. */
  #readerId: number | null = null;
  /** Channels that failed to append an update: the next append, or the connection's return, first says so. */
  readonly #missed = new Set<RedisRoomChannel>();
  readonly #eventListeners = new Set<NodeEventListener>();
  /** The last announcement read; null until the reader has taken the events stream's newest. */
  #eventsLastId: string | null = null;
  /** Announcements Redis did not take, in order: sent when the connection is ready again. */
  readonly #unsent: NodeEvent[] = [];
  /** Whether Redis answers; false from a connection error until the reader is ready again. */
  #reachable = true;
  #closed = false;

  constructor(readonly options: RedisFanoutOptions) {
    this.#maxStreamLength = options.maxStreamLength ?? DEFAULT_MAX_STREAM_LENGTH;
    const retryStrategy = (attempt: number) => Math.min(5_000, 100 * 2 ** Math.min(attempt, 6));
    // A command fails soon when Redis is away (a room that cannot open its stream is refused) while
    // the connection keeps reconnecting with back-off in the background.
    this.#commands = new Redis(options.url, { maxRetriesPerRequest: 1, retryStrategy, lazyConnect: false });
    this.#reader = new Redis(options.url, { maxRetriesPerRequest: null, retryStrategy, lazyConnect: false });
    const lost = (error: Error) => {
      // One warning per outage, not one per reconnect attempt.
      if (this.#reachable) options.logger.warn({ err: error }, 'Redis cannot be reached; reconnecting with back-off');
      this.#reachable = false;
    };
    this.#commands.on('error', lost);
    this.#reader.on('error', lost);
    this.#reader.on('close', () => {
      if (!this.#closed) this.#reachable = false;
    });
    this.#reader.on('ready', () => {
      this.#reader.client('ID').then(
        (id) => (this.#readerId = Number(id)),
        () => (this.#readerId = null),
      );
      if (this.#reachable) return;
      this.#reachable = true;
      options.logger.info('Redis reachable again; the live rooms catch up from the store');
      // A Redis that restarted empty lost what it had not yet delivered here: the store has it all.
      for (const channel of this.#channels.values()) channel.listener.resync();
      for (const listener of this.#eventListeners) listener.missed();
    });
    this.#commands.on('ready', () => {
      for (const channel of this.#missed) this.#sayMissed(channel);
      for (const event of this.#unsent.splice(0)) this.announce(event);
    });
    // Announcements are heard from the start, rooms or none.
    this.#reading = this.#readLoop();
  }

  /** Whether Redis answers (for /healthz). */
  get reachable(): boolean {
    return this.#reachable;
  }

  async open(mapId: string, listener: FanoutListener): Promise<RoomChannel> {
    const key = streamKey(mapId);
    const newest = await this.#commands.xrevrange(key, '+', '-', 'COUNT', 1);
    return new RedisRoomChannel(this, mapId, key, newest[0]?.[0] ?? '0-0', listener);
  }

  announce(event: NodeEvent): void {
    if (this.#closed) return;
    const fields = ['node', this.nodeId, 'kind', 'event', 'seq', '0', 'data', Buffer.from(encodeNodeEvent(event))];
    this.#commands.call('XADD', EVENTS_KEY, 'MAXLEN', '~', MAX_EVENTS_LENGTH, '*', ...fields).catch((error: unknown) => {
      this.options.logger.warn({ err: error, event: event.kind }, 'an announcement to the other nodes waits until Redis answers');
      // The nodes that lost Redis meanwhile check the store themselves; the others still need telling.
      if (this.#unsent.length < MAX_UNSENT_EVENTS) this.#unsent.push(event);
    });
  }

  onEvents(listener: NodeEventListener): () => void {
    this.#eventListeners.add(listener);
    return () => this.#eventListeners.delete(listener);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#channels.clear();
    this.#wakeReader();
    this.#reader.disconnect();
    await this.#reading;
    await this.#commands.quit().catch(() => this.#commands.disconnect());
  }

  /** @internal A channel's room went live: its stream is read from the channel's position on. */
  listen(channel: RedisRoomChannel): void {
    if (this.#closed) return;
    this.#channels.set(channel.key, channel);
    this.#wakeReader();
  }

  /** @internal */
  forget(channel: RedisRoomChannel): void {
    this.#missed.delete(channel);
    if (this.#channels.get(channel.key) === channel) this.#channels.delete(channel.key);
  }

  /**
   * @internal Appends one entry to a room's stream. A failed update is already stored: the other
   * nodes are told to catch up from the store as soon as an append works again.
   */
  append(channel: RedisRoomChannel, kind: 'update' | 'awareness' | 'presence-query', data: Uint8Array, seq: number): void {
    if (this.#closed) return;
    if (this.#missed.has(channel)) this.#sayMissed(channel);
    this.#xadd(channel, kind, data, seq).catch((error: unknown) => {
      this.options.logger.warn({ err: error, mapId: channel.mapId, kind }, 'an entry could not be appended to the room stream');
      if (kind === 'update') this.#missed.add(channel);
    });
  }

  #sayMissed(channel: RedisRoomChannel): void {
    this.#missed.delete(channel);
    this.#xadd(channel, 'resync', new Uint8Array(0), 0).catch(() => this.#missed.add(channel));
  }

  #xadd(
    channel: RedisRoomChannel,
    kind: 'update' | 'awareness' | 'resync' | 'presence-query',
    data: Uint8Array,
    seq: number,
  ): Promise<unknown> {
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const fields = ['node', this.nodeId, 'kind', kind, 'seq', String(seq), 'data', bytes];
    return this.#commands.call('XADD', channel.key, 'MAXLEN', '~', this.#maxStreamLength, '*', ...fields);
  }

  #wakeReader(): void {
    if (this.#readerId === null) return;
    this.#commands.call('CLIENT', 'UNBLOCK', this.#readerId).catch(() => {});
  }

  async #readLoop(): Promise<void> {
    let failures = 0;
    while (!this.#closed) {
      const channels = [...this.#channels.values()];
      let reply: unknown;
      try {
        // Announcements from before this node started are not its business: it reads from the newest on.
        this.#eventsLastId ??= (await this.#reader.xrevrange(EVENTS_KEY, '+', '-', 'COUNT', 1))[0]?.[0] ?? '0-0';
        reply = await this.#reader.callBuffer(
          'XREAD',
          'COUNT',
          READ_COUNT,
          'BLOCK',
          READ_BLOCK_MS,
          'STREAMS',
          EVENTS_KEY,
          ...channels.map((channel) => channel.key),
          this.#eventsLastId,
          ...channels.map((channel) => channel.lastId),
        );
        failures = 0;
      } catch (error) {
        if (this.#closed) return;
        this.options.logger.debug({ err: error }, 'reading the room streams failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, retryDelay(failures++)));
        continue;
      }
      for (const [key, entries] of decodeStreamReply(reply)) {
        if (key === EVENTS_KEY) {
          for (const entry of entries) this.#deliverEvent(entry);
          continue;
        }
        const channel = this.#channels.get(key);
        if (channel) for (const entry of entries) this.#deliver(channel, entry);
      }
    }
  }

  #deliverEvent(entry: StreamEntry): void {
    this.#eventsLastId = entry.id;
    const content = entry.content;
    if (!content || content.node === this.nodeId || content.kind !== 'event') return;
    const event = decodeNodeEvent(content.data);
    if (!event) return;
    for (const listener of this.#eventListeners) {
      try {
        listener.event(event);
      } catch (error) {
        this.options.logger.error({ err: error, event: event.kind }, 'an announcement from another node could not be followed');
      }
    }
  }

  #deliver(channel: RedisRoomChannel, entry: StreamEntry): void {
    channel.lastId = entry.id;
    const content = entry.content;
    if (!content || content.node === this.nodeId) return;
    try {
      if (content.kind === 'update') channel.listener.update(content.data, content.seq);
      else if (content.kind === 'awareness') channel.listener.awareness(content.data);
      else if (content.kind === 'resync') channel.listener.resync();
      else if (content.kind === 'presence-query') channel.listener.presenceWanted();
    } catch (error) {
      this.options.logger.error({ err: error, mapId: channel.mapId, entry: entry.id }, 'a room could not take a stream entry');
    }
  }
}

class RedisRoomChannel implements RoomChannel {
  constructor(
    readonly fanout: RedisFanout,
    readonly mapId: string,
    readonly key: string,
    /** The last entry read (or, before the first read, the stream's newest when the room opened). */
    public lastId: string,
    readonly listener: FanoutListener,
  ) {}

  start(): void {
    this.fanout.listen(this);
  }

  publishUpdates(updates: readonly Uint8Array[], lastSeq: number): void {
    updates.forEach((update, i) => this.fanout.append(this, 'update', update, lastSeq - updates.length + 1 + i));
  }

  publishAwareness(frame: Uint8Array): void {
    this.fanout.append(this, 'awareness', frame, 0);
  }

  askForPresence(): void {
    this.fanout.append(this, 'presence-query', new Uint8Array(0), 0);
  }

  close(): void {
    this.fanout.forget(this);
  }
}
