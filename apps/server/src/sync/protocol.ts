/**
 * The y-websocket wire protocol, decoded strictly: bytes from a socket become a typed message or a
 * ProtocolError, never a half-read value. Encoders produce the frames the stock client expects.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

export const MessageType = { sync: 0, awareness: 1, auth: 2, queryAwareness: 3 } as const;
export const SyncType = { step1: 0, step2: 1, update: 2 } as const;
const AuthType = { permissionDenied: 0 } as const;

export type ClientMessage =
  | { type: 'sync-step1'; stateVector: Uint8Array }
  | { type: 'sync-step2'; update: Uint8Array; decoded: DecodedUpdate }
  | { type: 'sync-update'; update: Uint8Array; decoded: DecodedUpdate }
  | { type: 'awareness'; update: Uint8Array; entries: AwarenessEntry[] }
  | { type: 'query-awareness' };

export interface AwarenessEntry {
  clientId: number;
  clock: number;
  /** null when the client has left. */
  state: unknown;
  /** The state as the client sent it (checked to be JSON), relayed as it is. */
  json: string;
}

export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

export function decodeMessage(bytes: Uint8Array): ClientMessage {
  try {
    const decoder = decoding.createDecoder(bytes);
    const message = readMessage(decoder);
    if (decoding.hasContent(decoder)) throw new ProtocolError('trailing bytes after the message');
    return message;
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    throw new ProtocolError(`malformed message: ${(error as Error).message}`);
  }
}

function readMessage(decoder: decoding.Decoder): ClientMessage {
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
        const decoded = parseUpdate(payload);
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

export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

/** True when an update carries no change at all (what a client with nothing new sends as step 2). */
export const isEmptyUpdate = ({ structs, ds }: DecodedUpdate): boolean => structs.length === 0 && ds.clients.size === 0;

/**
 * Parses the whole update (structs and delete set) before anything is applied, because Yjs
 * integrates the structs before it reads the delete set and would leave a half-applied update
 * behind when the tail is corrupt.
 */
function parseUpdate(update: Uint8Array): DecodedUpdate {
  try {
    return Y.decodeUpdate(update);
  } catch (error) {
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
    let state: unknown;
    try {
      state = JSON.parse(json);
    } catch {
      throw new ProtocolError('awareness state is not valid JSON');
    }
    entries.push({ clientId, clock, state, json });
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
export const encodeAwarenessEntries = (entries: readonly Omit<AwarenessEntry, 'state'>[]): Uint8Array =>
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

/** An awareness message with no entries: a no-op for the client that resets its idle watchdog. */
export const KEEPALIVE_FRAME = encodeAwareness(new Uint8Array([0]));
