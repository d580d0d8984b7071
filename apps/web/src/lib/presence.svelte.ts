import { isColour } from '@waymark/model';
import type { Awareness } from 'y-protocols/awareness';
import type { UserProfile } from './user-profile.svelte';

/** A point on the map, in unzoomed map pixels, so everyone's cursor lands on the same card. */
export interface MapPoint {
  readonly x: number;
  readonly y: number;
}

export interface Peer {
  readonly clientId: number;
  readonly userId: string;
  readonly name: string;
  readonly colour: string;
  readonly cursor: MapPoint | null;
  readonly editingCardId: string | null;
}

const CURSOR_INTERVAL_MS = 40;

function decodePoint(value: unknown): MapPoint | null {
  if (typeof value !== 'object' || value === null) return null;
  const { x, y } = value as Record<string, unknown>;
  if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) {
    return null;
  }
  return { x, y };
}

/** Awareness states come from other browsers: decode, never trust. */
export function decodePeer(clientId: number, state: unknown): Peer | null {
  if (typeof state !== 'object' || state === null) return null;
  const record = state as Record<string, unknown>;
  const user = record['user'];
  if (typeof user !== 'object' || user === null) return null;
  const { id, name, colour } = user as Record<string, unknown>;
  if (typeof id !== 'string' || typeof name !== 'string' || !isColour(colour)) return null;
  const editing = record['editing'];
  return {
    clientId,
    userId: id,
    name: name.slice(0, 40) || 'Guest',
    colour,
    cursor: decodePoint(record['cursor']),
    editingCardId: typeof editing === 'string' ? editing : null,
  };
}

/**
 * Who else is on the map, where their pointer is and which card they are typing in.
 * Cursor moves arrive many times a second, so they update only the cursor layer; the
 * people list and the per-card outlines change only when someone joins, leaves, renames
 * or moves to another card.
 */
export class Presence {
  #peers = $state.raw<readonly Peer[]>([]);
  #cursors = $state.raw<readonly Peer[]>([]);
  #editors = $state.raw<ReadonlyMap<string, Peer>>(new Map());
  #peersKey = '';
  #editorsKey = '';
  #pendingCursor: MapPoint | null | undefined;
  #cursorTimer: ReturnType<typeof setTimeout> | null = null;
  readonly #awareness: Awareness;
  readonly #profile: UserProfile;
  readonly #onChange = () => this.#refresh();

  constructor(awareness: Awareness, profile: UserProfile) {
    this.#awareness = awareness;
    this.#profile = profile;
    this.announce();
    awareness.on('change', this.#onChange);
    this.#refresh();
  }

  /** Everyone else on the map, each person once even with several tabs open. */
  get peers(): readonly Peer[] {
    return this.#peers;
  }

  get cursors(): readonly Peer[] {
    return this.#cursors;
  }

  /** The colleague typing in a card, if any. */
  editorOf(cardId: string): Peer | undefined {
    return this.#editors.get(cardId);
  }

  /** Publishes this person's name and colour (again, after a rename). */
  announce(): void {
    this.#awareness.setLocalStateField('user', {
      id: this.#profile.id,
      name: this.#profile.name,
      colour: this.#profile.colour,
    });
  }

  setEditing(cardId: string | null): void {
    this.#awareness.setLocalStateField('editing', cardId);
  }

  /** Throttled: a moving mouse would otherwise send a message per pixel. */
  moveCursor(point: MapPoint | null): void {
    this.#pendingCursor = point;
    if (this.#cursorTimer !== null) return;
    this.#awareness.setLocalStateField('cursor', point);
    this.#pendingCursor = undefined;
    this.#cursorTimer = setTimeout(() => {
      this.#cursorTimer = null;
      if (this.#pendingCursor !== undefined) this.moveCursor(this.#pendingCursor);
    }, CURSOR_INTERVAL_MS);
  }

  destroy(): void {
    this.#awareness.off('change', this.#onChange);
    if (this.#cursorTimer !== null) clearTimeout(this.#cursorTimer);
  }

  #refresh(): void {
    const others: Peer[] = [];
    for (const [clientId, state] of this.#awareness.getStates()) {
      if (clientId === this.#awareness.clientID) continue;
      const peer = decodePeer(clientId, state);
      if (peer !== null) others.push(peer);
    }
    others.sort((a, b) => a.name.localeCompare(b.name) || a.clientId - b.clientId);
    this.#cursors = others.filter((peer) => peer.cursor !== null);
    const people = new Map<string, Peer>();
    for (const peer of others) if (!people.has(peer.userId)) people.set(peer.userId, peer);
    const peersKey = [...people.values()].map((p) => `${p.userId}|${p.name}|${p.colour}`).join('\n');
    if (peersKey !== this.#peersKey) {
      this.#peersKey = peersKey;
      this.#peers = [...people.values()];
    }
    const editors = new Map<string, Peer>();
    for (const peer of others) if (peer.editingCardId) editors.set(peer.editingCardId, peer);
    const editorsKey = [...editors].map(([card, p]) => `${card}|${p.clientId}|${p.colour}`).join('\n');
    if (editorsKey !== this.#editorsKey) {
      this.#editorsKey = editorsKey;
      this.#editors = editors;
    }
  }
}
