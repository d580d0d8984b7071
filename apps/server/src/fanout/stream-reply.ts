/** One entry of a room's stream: its id, and what it holds, decoded and checked (null when it does not fit). */
export interface StreamEntry {
  id: string;
  content: EntryContent | null;
}

export interface EntryContent {
  /** The node that appended it. */
  node: string;
  /**
   * A resync says the node may have stored updates it could not append: readers catch up from the
   * store. A presence query asks the other nodes for their people's presence. An event (on the
   * nodes' own stream) is one of node-events.ts's announcements.
   */
  kind: 'update' | 'awareness' | 'resync' | 'presence-query' | 'event';
  /** The update's stored sequence number (0 for the others). */
  seq: number;
  data: Uint8Array;
}

const isBytes = (value: unknown): value is Buffer => Buffer.isBuffer(value);

/**
 * An XREAD reply as raw bytes (`[[stream, [[id, [field, value, …]], …]], …]`, or null when the
 * wait ran out) into each stream's entries. Other programs may write to Redis too: a stream or an
 * entry without that shape, or an entry missing a field, holds nothing for a room.
 */
export function decodeStreamReply(reply: unknown): [string, StreamEntry[]][] {
  if (!Array.isArray(reply)) return [];
  const streams: [string, StreamEntry[]][] = [];
  for (const stream of reply as unknown[]) {
    if (!Array.isArray(stream) || !isBytes(stream[0]) || !Array.isArray(stream[1])) continue;
    const entries: StreamEntry[] = [];
    for (const raw of stream[1] as unknown[]) {
      // An entry that does not fit is still passed on by its id, so the reader moves past it.
      if (Array.isArray(raw) && isBytes(raw[0])) entries.push({ id: raw[0].toString(), content: decodeContent(raw[1]) });
    }
    streams.push([stream[0].toString(), entries]);
  }
  return streams;
}

function decodeContent(raw: unknown): EntryContent | null {
  if (!Array.isArray(raw)) return null;
  const fields = new Map<string, Buffer>();
  const list = raw as unknown[];
  for (let i = 0; i + 1 < list.length; i += 2) {
    const name = list[i];
    const value = list[i + 1];
    if (isBytes(name) && isBytes(value)) fields.set(name.toString(), value);
  }
  const node = fields.get('node')?.toString();
  const kind = fields.get('kind')?.toString();
  const seq = Number(fields.get('seq')?.toString());
  const data = fields.get('data');
  if (!node || !isKind(kind) || !Number.isSafeInteger(seq) || seq < 0 || !data) return null;
  return { node, kind, seq, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

const KINDS: readonly string[] = ['update', 'awareness', 'resync', 'presence-query', 'event'] satisfies EntryContent['kind'][];
const isKind = (kind: string | undefined): kind is EntryContent['kind'] => kind !== undefined && KINDS.includes(kind);
