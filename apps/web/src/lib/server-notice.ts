/**
 * The server speaks in presence too: its own entry `{ server: { readOnly, reason } }` says why a
 * map is read-only for everyone (storage down). Presence comes off the wire, so it is checked.
 */
export function serverNoticeIn(states: ReadonlyMap<number, unknown>): string | null {
  for (const state of states.values()) {
    if (typeof state !== 'object' || state === null) continue;
    const server = (state as { server?: unknown }).server;
    if (typeof server !== 'object' || server === null) continue;
    const { readOnly, reason } = server as { readOnly?: unknown; reason?: unknown };
    if (readOnly === true) return typeof reason === 'string' && reason ? reason : 'the server is not saving changes right now';
  }
  return null;
}
