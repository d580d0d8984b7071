import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocket, type ClientOptions } from 'ws';
import * as Y from 'yjs';

export interface RawClient {
  ws: WebSocket;
  received: Uint8Array[];
  closed: Promise<{ code: number; reason: string }>;
}

/**
 * A bare WebSocket on the sync endpoint, to send bytes no well-behaved client would
 * (or, with `{ autoPong: false }`, to leave the server's pings unanswered).
 */
export function openRaw(url: string, mapId: string, token: string, options: ClientOptions = {}): Promise<RawClient> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/sync/${mapId}?token=${encodeURIComponent(token)}`, options);
  const received: Uint8Array[] = [];
  ws.on('message', (data: Buffer) => received.push(new Uint8Array(data)));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, received, closed }));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** The HTTP status an upgrade to the sync endpoint is answered with. */
export function upgradeStatus(url: string, path: string): Promise<number> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}${path}`);
  return new Promise((resolve, reject) => {
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

export function syncUpdateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, 2);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** Auth messages (type 2, permission denied) the server sent, as their reasons. */
export function permissionDenials(received: Uint8Array[]): string[] {
  return received.flatMap((bytes) => {
    const decoder = decoding.createDecoder(bytes);
    if (decoding.readVarUint(decoder) !== 2 || decoding.readVarUint(decoder) !== 0) return [];
    return [decoding.readVarString(decoder)];
  });
}

/** An update that adds one entry to a top-level map, made on a throwaway document. */
export function someUpdate(key: string, value: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('meta').set(key, value);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/** An awareness message with the given entries, states written as JSON (or raw JSON text). */
export function awarenessFrame(entries: { clientId: number; clock: number; state?: unknown; json?: string }[]): Uint8Array {
  const update = encoding.createEncoder();
  encoding.writeVarUint(update, entries.length);
  for (const { clientId, clock, state, json } of entries) {
    encoding.writeVarUint(update, clientId);
    encoding.writeVarUint(update, clock);
    encoding.writeVarString(update, json ?? JSON.stringify(state));
  }
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint8Array(encoder, encoding.toUint8Array(update));
  return encoding.toUint8Array(encoder);
}

/** The awareness entries the server sent, states parsed. */
export function awarenessEntries(received: Uint8Array[]): { clientId: number; clock: number; state: unknown }[] {
  return received.flatMap((bytes) => {
    const decoder = decoding.createDecoder(bytes);
    if (decoding.readVarUint(decoder) !== 1) return [];
    const update = decoding.createDecoder(decoding.readVarUint8Array(decoder));
    const count = decoding.readVarUint(update);
    return Array.from({ length: count }, () => ({
      clientId: decoding.readVarUint(update),
      clock: decoding.readVarUint(update),
      state: JSON.parse(decoding.readVarString(update)) as unknown,
    }));
  });
}

/** A known attack: a sync update of one client with four million one-character structs. */
export function fourMillionStructsFrame(): Uint8Array {
  const structs = 4_000_000;
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint(encoder, structs);
  encoding.writeVarUint(encoder, 4242);
  encoding.writeVarUint(encoder, 0);
  const head = encoding.toUint8Array(encoder);
  const update = new Uint8Array(head.length + structs * 2 + 1);
  update.set(head);
  for (let i = 0; i < structs; i++) {
    update[head.length + i * 2] = 0;
    update[head.length + i * 2 + 1] = 1;
  }
  update[update.length - 1] = 0;
  return syncUpdateFrame(update);
}
