import type { Awareness } from 'y-protocols/awareness';
import { decodePeer, type MapPoint, type Peer } from './peer';
import type { UserProfile } from './user-profile.svelte';

export type { MapPoint, Peer } from './peer';

const CURSOR_INTERVAL_MS = 40;

/**
 * Who else is on the map, where their pointer is, which card they are typing in and which
 * stage they are presenting.
 * Cursor moves arrive many times a second, so they update only the cursor layer; the
 * people list and the per-card outlines change only when someone joins, leaves, renames
 * or moves to another card.
 */
export class Presence {
  #peers = $state.raw<readonly Peer[]>([]);
  #cursors = $state.raw<readonly Peer[]>([]);
  #editors = $state.raw<ReadonlyMap<string, Peer>>(new Map());
  #presenters = $state.raw<readonly Peer[]>([]);
  #peersKey = '';
  #editorsKey = '';
  #presentersKey = '';
  #presenting: string | null = null;
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

  /** Colleagues presenting the map, each tab once, with the stage they show. */
  get presenters(): readonly Peer[] {
    return this.#presenters;
  }

  /** Publishes the stage this tab presents, so others can jump to it and follow; null: not presenting. */
  setPresenting(stageId: string | null): void {
    if (stageId === this.#presenting) return;
    this.#presenting = stageId;
    this.#awareness.setLocalStateField('presenting', stageId === null ? null : { stageId });
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
      // The same person in another tab is still "you", not a colleague.
      if (peer !== null && peer.userId !== this.#profile.id) others.push(peer);
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
    const presenters = others.filter((peer) => peer.presentingStageId !== null);
    const presentersKey = presenters.map((p) => `${p.clientId}|${p.name}|${p.colour}|${p.presentingStageId}`).join('\n');
    if (presentersKey !== this.#presentersKey) {
      this.#presentersKey = presentersKey;
      this.#presenters = presenters;
    }
  }
}
