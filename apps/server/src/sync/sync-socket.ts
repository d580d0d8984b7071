/** What a room needs of a client connection; the ws adapter and in-memory test pairs provide it. */
export interface SyncSocket {
  /** `written` runs once the frame has left for the network (or the socket is gone). */
  send(frame: Uint8Array, written?: () => void): void;
  /** Closes the connection; the room hears of it through RoomConnection.leave. */
  close(code: number, reason: string): void;
}

/**
 * Close codes sent to clients. The stock client does not reconnect after 4400-4499 (a decision
 * reconnecting cannot change); every other code, 1013 and 4500-4599 included, is temporary.
 */
export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  /** Too many messages per second: the client backs off and resends on reconnect. */
  tryAgainLater: 1013,
  badMessage: 4400,
  unauthorized: 4401,
  forbidden: 4403,
  unknownMap: 4404,
  /** The map was moved to the trash: its owner can restore it. */
  gone: 4410,
  tooLarge: 4413,
  serverError: 4500,
  /** The update builds on changes the server lacks; reconnecting resyncs the whole state. */
  resync: 4501,
  /** Saving failed; the map reopens read-only until storage works again. */
  storageFailed: 4502,
  unavailable: 4503,
} as const;

/** Why a map's sessions end, and its links are refused, while it is in the trash. */
export const MAP_IN_TRASH = 'this map was deleted; its owner can restore it from the trash';
