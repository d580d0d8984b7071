/** What a room needs of a client connection; the ws adapter and in-memory test pairs provide it. */
export interface SyncSocket {
  send(frame: Uint8Array): void;
  /** Closes the connection; the room hears of it through RoomConnection.leave. */
  close(code: number, reason: string): void;
}

/** Close codes sent to clients. The stock client does not reconnect after 4400-4499. */
export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  badMessage: 4400,
  unauthorized: 4401,
  forbidden: 4403,
  unknownMap: 4404,
  tooLarge: 4413,
  serverError: 4500,
  unavailable: 4503,
} as const;
