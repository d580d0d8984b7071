/**
 * What one node tells the others beside the rooms' updates: what happened on it that the sessions
 * held by other nodes must follow at once. Each is idempotent, and each is also in the store, so a
 * node that missed some (the fan-out was away) checks the store instead (NodeEventListener.missed).
 */
export type NodeEvent =
  /** A link was revoked: its sessions end, wherever they are. */
  | { readonly kind: 'link-revoked'; readonly linkId: string; readonly reason: string }
  /** A map went to the trash: its room unloads and its sessions end. */
  | { readonly kind: 'map-trashed'; readonly mapId: string }
  /** A restore repaired the map: its rooms stop telling of the damage. */
  | { readonly kind: 'damage-cleared'; readonly mapId: string };

const MAX_TEXT = 1_000;
const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= MAX_TEXT;

export const encodeNodeEvent = (event: NodeEvent): Uint8Array => new TextEncoder().encode(JSON.stringify(event));

/**
 * An announcement's bytes back into an event; null for anything else. Other programs may write to
 * Redis too, so nothing is taken on trust: every field is checked for its kind and size.
 */
export function decodeNodeEvent(bytes: Uint8Array): NodeEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const event = value as Record<string, unknown>;
  switch (event['kind']) {
    case 'link-revoked':
      return isText(event['linkId']) && isText(event['reason'])
        ? { kind: 'link-revoked', linkId: event['linkId'], reason: event['reason'] }
        : null;
    case 'map-trashed':
    case 'damage-cleared':
      return isText(event['mapId']) ? { kind: event['kind'], mapId: event['mapId'] } : null;
    default:
      return null;
  }
}
