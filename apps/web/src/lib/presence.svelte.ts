import type { Awareness } from 'y-protocols/awareness';
import { decodePeer, type MapPoint, type MapView, type Peer } from './peer';
import type { UserProfile } from './user-profile.svelte';

export type { MapPoint, MapView, Peer } from './peer';

const CURSOR_INTERVAL_MS = 40;
/** A facilitator's scrolling, sent at most this often: followers glide along without a message per frame. */
const VIEW_INTERVAL_MS = 100;

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
  #leader = $state.raw<Peer | null>(null);
  #leaderId: number | null = null;
  #leaderKey = '';
  #pendingView: MapView | null | undefined;
  #viewTimer: ReturnType<typeof setTimeout> | null = null;
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

  /**
   * The page this one may follow, by awareness client id (the facilitator's, as the server recorded
   * it), or null. The server relays an id's presence only from the connection that introduced it,
   * so what `leader` shows is that page's own word.
   */
  lead(clientId: number | null): void {
    if (clientId === this.#leaderId) return;
    this.#leaderId = clientId;
    this.#refresh();
  }

  /** The page named by `lead`, while it is here, with its view and presented stage. */
  get leader(): Peer | null {
    return this.#leader;
  }

  /** This page's clientId in presence (what the facilitator's page tells the server). */
  get clientId(): number {
    return this.#awareness.clientID;
  }

  /** Publishes where this page looks, for followers (throttled like the cursor); null: nobody follows it. */
  setView(view: MapView | null): void {
    this.#pendingView = view;
    if (this.#viewTimer !== null) return;
    this.#awareness.setLocalStateField('view', view);
    this.#pendingView = undefined;
    this.#viewTimer = setTimeout(() => {
      this.#viewTimer = null;
      if (this.#pendingView !== undefined) this.setView(this.#pendingView);
    }, VIEW_INTERVAL_MS);
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
    if (this.#viewTimer !== null) clearTimeout(this.#viewTimer);
  }

  #refresh(): void {
    this.#refreshLeader();
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

  /** Cursor moves of the leader's page change nothing a follower reads: only its view, stage and name do. */
  #refreshLeader(): void {
    const id = this.#leaderId;
    const state = id === null || id === this.#awareness.clientID ? undefined : this.#awareness.getStates().get(id);
    const leader = state === undefined ? null : decodePeer(id!, state);
    const key = leader === null ? '' : JSON.stringify([leader.clientId, leader.name, leader.colour, leader.presentingStageId, leader.view]);
    if (key === this.#leaderKey) return;
    this.#leaderKey = key;
    this.#leader = leader;
  }
}
