/**
 * The y-websocket wire protocol, decoded strictly: bytes from a socket become a typed message or a
 * ProtocolError, never a half-read value. Encoders produce the frames the stock client expects.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { readUpdate, UpdateTooLargeError, type ReadUpdate } from './update-reader.js';

export const MessageType = { sync: 0, awareness: 1, auth: 2, queryAwareness: 3 } as const;
export const SyncType = { step1: 0, step2: 1, update: 2 } as const;
/**
 * Subtypes of the auth message, which only the server sends. Stock clients act on "permission
 * denied" and skip any other subtype, so Waymark's notices ride here: no client can write them.
 */
const AuthType = { permissionDenied: 0, notice: 1 } as const;

/** What the server tells a client about the map on its own channel. */
export type ServerNotice =
  /** Writes are refused for everyone for now (storage trouble); `reason` says why. */
  | { kind: 'read-only'; reason: string }
  /** The map takes writes again. */
  | { kind: 'writable' }
  /** Part of the stored map was damaged and left out; `reason` says what and which versions hold it. */
  | { kind: 'damaged'; reason: string };

export type ClientMessage =
  | { type: 'sync-step1'; stateVector: Uint8Array }
  | { type: 'sync-step2'; update: Uint8Array; decoded: DecodedUpdate }
  | { type: 'sync-update'; update: Uint8Array; decoded: DecodedUpdate }
  | { type: 'awareness'; update: Uint8Array; entries: AwarenessEntry[] }
  | { type: 'query-awareness' };

export interface AwarenessEntry {
  clientId: number;
  clock: number;
  /**
   * The state as JSON text, as the client sent it: `null` when the client has left. Checked (and
   * parsed) by the room only when it would take the entry, then relayed as it is.
   */
  json: string;
}

export const LEFT_JSON = 'null';

export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

/**
 * Decodes a client's message. A document update is read with a bound of `maxUpdateParts` structs,
 * values and deleted ranges (UpdateTooLargeError past it, found as early as the bytes allow).
 */
export function decodeMessage(bytes: Uint8Array, maxUpdateParts = Infinity): ClientMessage {
  try {
    const decoder = decoding.createDecoder(bytes);
    const message = readMessage(decoder, maxUpdateParts);
    if (decoding.hasContent(decoder)) throw new ProtocolError('trailing bytes after the message');
    return message;
  } catch (error) {
    if (error instanceof ProtocolError || error instanceof UpdateTooLargeError) throw error;
    throw new ProtocolError(`malformed message: ${(error as Error).message}`);
  }
}

/**
 * Whether a frame is a document update (sync step 2 or update), read from its first two bytes
 * only: a read-only connection's updates are refused before any of their payload is decoded.
 */
export function documentUpdateKind(bytes: Uint8Array): 'sync-step2' | 'sync-update' | null {
  if (bytes.length < 2 || bytes[0] !== MessageType.sync) return null;
  if (bytes[1] === SyncType.step2) return 'sync-step2';
  if (bytes[1] === SyncType.update) return 'sync-update';
  return null;
}

function readMessage(decoder: decoding.Decoder, maxUpdateParts: number): ClientMessage {
  const messageType = decoding.readVarUint(decoder);
  switch (messageType) {
    case MessageType.sync: {
      const syncType = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (syncType === SyncType.step1) {
        Y.decodeStateVector(payload);
        return { type: 'sync-step1', stateVector: payload };
      }
      if (syncType === SyncType.step2 || syncType === SyncType.update) {
        const decoded = parseUpdate(payload, maxUpdateParts);
        const type = syncType === SyncType.step2 ? 'sync-step2' : 'sync-update';
        return { type, update: payload, decoded };
      }
      throw new ProtocolError(`unknown sync message type ${syncType}`);
    }
    case MessageType.awareness: {
      const update = decoding.readVarUint8Array(decoder);
      return { type: 'awareness', update, entries: decodeAwarenessEntries(update) };
    }
    case MessageType.queryAwareness:
      return { type: 'query-awareness' };
    default:
      throw new ProtocolError(`unexpected message type ${messageType}`);
  }
}

export type DecodedUpdate = ReadUpdate;

/** True when an update carries no change at all (what a client with nothing new sends as step 2). */
export const isEmptyUpdate = ({ structs, deletes }: DecodedUpdate): boolean => structs.length === 0 && deletes.length === 0;

/**
 * Parses the whole update (structs and delete set) before anything is applied, because Yjs
 * integrates the structs before it reads the delete set and would leave a half-applied update
 * behind when the tail is corrupt.
 */
function parseUpdate(update: Uint8Array, maxParts: number): DecodedUpdate {
  try {
    return readUpdate(update, maxParts);
  } catch (error) {
    if (error instanceof UpdateTooLargeError) throw error;
    throw new ProtocolError(`malformed document update: ${(error as Error).message}`);
  }
}

function decodeAwarenessEntries(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const json = decoding.readVarString(decoder);
    entries.push({ clientId, clock, json });
  }
  if (decoding.hasContent(decoder)) throw new ProtocolError('trailing bytes in awareness update');
  return entries;
}

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

export const encodeSyncStep1 = (stateVector: Uint8Array): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, MessageType.sync);
    encoding.writeVarUint(e, SyncType.step1);
    encoding.writeVarUint8Array(e, stateVector);
  });

export const encodeSyncStep2 = (update: Uint8Array): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, MessageType.sync);
    encoding.writeVarUint(e, SyncType.step2);
    encoding.writeVarUint8Array(e, update);
  });

export const encodeSyncUpdate = (update: Uint8Array): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, MessageType.sync);
    encoding.writeVarUint(e, SyncType.update);
    encoding.writeVarUint8Array(e, update);
  });

export const encodeAwareness = (awarenessUpdate: Uint8Array): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, MessageType.awareness);
    encoding.writeVarUint8Array(e, awarenessUpdate);
  });

/** An awareness message from entries whose states are JSON text (`null` for a client that left). */
export const encodeAwarenessEntries = (entries: readonly AwarenessEntry[]): Uint8Array =>
  encodeAwareness(
    frame((e) => {
      encoding.writeVarUint(e, entries.length);
      for (const { clientId, clock, json } of entries) {
        encoding.writeVarUint(e, clientId);
        encoding.writeVarUint(e, clock);
        encoding.writeVarString(e, json);
      }
    }),
  );

export const encodePermissionDenied = (reason: string): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, MessageType.auth);
    encoding.writeVarUint(e, AuthType.permissionDenied);
    encoding.writeVarString(e, reason);
  });

export const encodeServerNotice = (notice: ServerNotice): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, MessageType.auth);
    encoding.writeVarUint(e, AuthType.notice);
    encoding.writeVarString(e, JSON.stringify(notice));
  });

/** An awareness message with no entries: a no-op for the client that resets its idle watchdog. */
export const KEEPALIVE_FRAME = encodeAwareness(new Uint8Array([0]));
