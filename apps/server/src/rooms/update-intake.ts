import { dropPending, hasPending, remoteOrigin, serverOrigin, topLevelMap } from '@waymark/model';
import type { Logger } from 'pino';
import * as Y from 'yjs';
import type { RoomMetrics } from '../metrics.js';
import { CyclicUpdateError } from '../policy/locate.js';
import { undoRefused } from '../policy/refusal.js';
import { checkUpdate, type CheckedUpdate, type UpdateSender } from '../policy/update-policy.js';
import { encodePermissionDenied, encodeSyncUpdate, isEmptyUpdate, type ClientMessage, type DecodedUpdate } from '../sync/protocol.js';
import { missingDependency } from '../sync/update-dependencies.js';
import { UpdateTooLargeError } from '../sync/update-reader.js';
import { CloseCode } from '../sync/sync-socket.js';
import type { CommitQueue } from './commit-queue.js';
import type { Presence } from './presence.js';
import type { RoomConnection } from './room-connection.js';

/** What the intake needs of its room. */
export interface IntakeRoom {
  readonly doc: Y.Doc;
  readonly log: CommitQueue;
  readonly presence: Presence;
  readonly logger: () => Logger;
  readonly metrics: RoomMetrics | undefined;
  readonly maxUpdateParts: number;
  readonly maxDocBytes: number;
  /** Why writes are refused for everyone right now (storage), or null. */
  readOnlyReason(): string | null;
  /** Builds a cold room's document; false when that failed and the room closed. */
  build(): boolean;
  /** Just before an accepted edit lands (an automatic version may be due). */
  beforeEdit(connection: RoomConnection): void;
  /** An edit landed: what it touched, for the activity feed and the library. */
  accepted(connection: RoomConnection, touched: CheckedUpdate['touched']): void;
}

type DocumentMessage = Extract<ClientMessage, { type: 'sync-step2' | 'sync-update' }>;

/** Closes a connection whose update is larger than the room takes, saying so first. */
export function closeTooLarge(connection: RoomConnection, error: UpdateTooLargeError, logger: Logger): void {
  logger.warn({ connection: connection.id, limit: error.limit }, 'closing connection: update too large');
  connection.send(encodePermissionDenied(error.message));
  connection.close(CloseCode.tooLarge, error.message);
}

/**
 * The room's write path: a client's document update is checked (room refusals, order, whose
 * client it writes as, the policy), applied, committed and relayed, or refused out loud and
 * undone on the sender's device.
 */
export class UpdateIntake {
  /** The Yjs clients each connection has written as, while it is connected. */
  readonly #writers = new Map<number, RoomConnection>();

  constructor(readonly room: IntakeRoom) {}

  /** The connection left: the clients it wrote as are free again. */
  forget(connection: RoomConnection): void {
    for (const [client, writer] of this.#writers) if (writer === connection) this.#writers.delete(client);
  }

  take(connection: RoomConnection, message: DocumentMessage, bytes: Uint8Array): void {
    const { room } = this;
    if (isEmptyUpdate(message.decoded)) return;
    if (!room.build()) return;
    const refusal = this.#refusal(connection, message.update.byteLength);
    if (refusal) {
      connection.send(encodePermissionDenied(refusal));
      return;
    }
    const missing = missingDependency(room.doc, message.decoded);
    if (missing) {
      room.logger().warn({ connection: connection.id, reason: missing }, 'closing connection: update out of order');
      connection.close(CloseCode.resync, `${missing}; reconnecting to resync`);
      return;
    }
    const claimed = this.#clientsToClaim(connection, message.decoded);
    if (!claimed) return;
    let checked: CheckedUpdate;
    try {
      checked = checkUpdate(room.doc, message.decoded, this.#sender(connection), room.maxUpdateParts);
    } catch (error) {
      if (error instanceof UpdateTooLargeError) return closeTooLarge(connection, error, room.logger());
      if (!(error instanceof CyclicUpdateError)) throw error;
      room.logger().warn({ connection: connection.id, reason: error.message }, 'closing connection: bad message');
      connection.close(CloseCode.badMessage, error.message);
      return;
    }
    // Claimed once judged, so an update cannot make itself the owner of what it deletes.
    for (const client of claimed) this.#writers.set(client, connection);
    if (!checked.verdict.ok) {
      // A live update is one action, refused whole; a sync reply holds everything the client
      // did offline, and only the records with a refused change are refused.
      const { refusedGroups } = checked.verdict;
      const refused = message.type === 'sync-step2' ? (group: string) => refusedGroups.has(group) : () => true;
      this.#takeRewritten(connection, message.decoded, checked, refused, checked.verdict.reasons);
      return;
    }
    if (checked.landsNowhere) {
      this.#takeRewritten(connection, message.decoded, checked, () => false, []);
      return;
    }
    // Forward the bytes as received; a step 2 is re-framed so others do not take it as their own sync.
    const frame = message.type === 'sync-update' ? bytes : encodeSyncUpdate(message.update);
    room.beforeEdit(connection);
    const changed = this.#apply(connection, message.update);
    if (connection.closed) return;
    // A reconnecting client's sync reply often repeats only what the map already holds (its
    // whole delete set, at least): there is nothing in it to store or to relay.
    if (changed) {
      room.metrics?.accepted();
      room.log.append(message.update, frame, connection);
      room.accepted(connection, checked.touched);
    }
  }

  /** Why this connection may not write now (storage, the facilitator's lock, the map's size), or null. */
  #refusal(connection: RoomConnection, bytes: number): string | null {
    const { room } = this;
    const readOnly = room.readOnlyReason();
    if (readOnly) return readOnly;
    // The facilitator's lock, set by the server in the workshop map: participants wait.
    if (connection.permission.role === 'participant' && topLevelMap(room.doc, 'workshop').get('locked') === true) {
      return 'the facilitator has locked the map while presenting; your change stays on your device until it is unlocked';
    }
    if (room.log.storedBytes + bytes > room.maxDocBytes) {
      return `this map has reached its size limit of ${formatBytes(room.maxDocBytes)}; the change was not saved`;
    }
    return null;
  }

  /** The sender as the policy sees it: its role, and the Yjs clients it speaks for. */
  #sender(connection: RoomConnection): UpdateSender {
    return {
      role: connection.permission.role,
      owns: (client) => (this.#writers.get(client) ?? this.room.presence.ownerOf(client)) === connection,
    };
  }

  /**
   * A connection writes as the Yjs clients it introduced. Writing as one another connection
   * speaks for (in its document or its presence) would let it take that person's place; a client
   * reconnecting while its old connection lingers half-open waits until that one is cut off.
   * The clients the update writes as, for this connection to claim; null (and closed) when one is
   * another's.
   */
  #clientsToClaim(connection: RoomConnection, update: DecodedUpdate): number[] | null {
    const { doc } = this.room;
    const claimed: number[] = [];
    for (const { id, length } of update.structs) {
      // Only what the server lacks is written by this update; the rest it already holds.
      if (id.clock + length <= Y.getState(doc.store, id.client)) continue;
      const owner = this.#writers.get(id.client) ?? this.room.presence.ownerOf(id.client);
      if (id.client !== doc.clientID && (owner === undefined || owner === connection)) {
        claimed.push(id.client);
        continue;
      }
      this.room
        .logger()
        .warn({ connection: connection.id, client: id.client }, 'closing connection: writes as another connection’s client');
      connection.close(CloseCode.tryAgainLater, 'this client is still connected from elsewhere; reconnecting shortly');
      return null;
    }
    return claimed;
  }

  /**
   * Takes an update in rewritten (see undoRefused): refused groups as tombstones with the values
   * they touched set again, so nothing of them is kept; what lands in collected content as
   * collected ranges. Tells the sender what was refused and why, if anything was.
   */
  #takeRewritten(
    connection: RoomConnection,
    update: DecodedUpdate,
    checked: CheckedUpdate,
    refused: (group: string) => boolean,
    reasons: readonly string[],
  ): void {
    const { room } = this;
    if (reasons.length > 0) room.metrics?.refused();
    const undoing = undoRefused(room.doc, update, checked, serverOrigin(), refused);
    connection.send(encodeSyncUpdate(undoing.forSender));
    if (undoing.update) room.log.append(undoing.update, encodeSyncUpdate(undoing.update), null);
    if (reasons.length === 0) return;
    room.logger().info({ connection: connection.id, role: connection.permission.role, reasons }, 'update refused');
    const more = reasons.length > 1 ? ` (and ${reasons.length - 1} more)` : '';
    connection.send(encodePermissionDenied(`${reasons[0]}${more}; the change was undone on your device`));
  }

  /** Applies a client's update; returns whether it added anything to the document. */
  #apply(connection: RoomConnection, update: Uint8Array): boolean {
    const { doc } = this.room;
    let changed = false;
    const observe = (transaction: Y.Transaction) => (changed = addedAnything(transaction));
    doc.on('afterTransaction', observe);
    try {
      Y.applyUpdate(doc, update, remoteOrigin(String(connection.id)));
    } catch (error) {
      // The update parsed but could not be integrated; nothing of it is stored or relayed.
      this.room.logger().warn({ connection: connection.id, reason: (error as Error).message }, 'closing connection: update rejected');
      connection.close(CloseCode.badMessage, 'the document update could not be applied');
    }
    if (hasPending(doc)) {
      // missingDependency should have caught this; never let a pending update reach a snapshot.
      dropPending(doc);
      this.room.logger().error({ connection: connection.id }, 'closing connection: update left pending state');
      connection.close(CloseCode.resync, 'update refers to content the server does not have; reconnecting to resync');
    }
    doc.off('afterTransaction', observe);
    return changed;
  }
}

/** Whether a transaction integrated new content or deleted something not yet deleted. */
function addedAnything(transaction: Y.Transaction): boolean {
  if (transaction.deleteSet.clients.size > 0) return true;
  for (const [client, clock] of transaction.afterState) {
    if (transaction.beforeState.get(client) !== clock) return true;
  }
  return false;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return `${+(bytes / 1024).toFixed(1)} KiB`;
}
