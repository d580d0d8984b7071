import { cardText, emotionKey, localOrigin, topLevelMap, type Origin } from '@waymark/model';
import * as Y from 'yjs';
import { ActionPlan } from './action-plan.svelte';
import { CommentBoard } from './comment-board.svelte';
import { MapCommands } from './map-commands';
import { MapConnection } from './map-connection.svelte';
import { lookUpRole, roleFromToken, roleMay } from './map-role';
import { MapState } from './map-state.svelte';
import { Notices } from './notices.svelte';
import { fetchPeopleNames } from './people-api';
import { Presence } from './presence.svelte';
import { RecentMaps, type MapRole } from './recent-maps.svelte';
import { RoundsState } from './rounds.svelte';
import { emotionWrittenByThisDoc, insertedByThisDoc } from './record-author';
import { UndoHistory } from './undo-history.svelte';
import { userProfile, type UserProfile } from './user-profile.svelte';
import { WorkshopState } from './workshop.svelte';

/**
 * One open map: the shared document and everything wired to it. Components get their
 * state and their verbs from here and never hold Y types themselves.
 */
export class MapSession {
  readonly doc = new Y.Doc();
  /** The one origin all of this person's writes carry; undo tracks exactly it. */
  readonly origin: Origin;
  readonly profile: UserProfile;
  readonly state: MapState;
  readonly actionPlan: ActionPlan;
  readonly comments: CommentBoard;
  readonly connection: MapConnection;
  readonly presence: Presence;
  readonly history: UndoHistory;
  readonly commands: MapCommands;
  readonly notices = new Notices();
  readonly workshop: WorkshopState;
  readonly rounds: RoundsState;
  readonly recent = new RecentMaps();
  #role = $state<MapRole | null>(null);
  #trashDays = $state<number | null>(null);
  #knownNames = $state.raw<readonly string[]>([]);
  #refusal = $state<string | null>(null);
  #recheckingLink = false;
  readonly #stopWatchingSteps: () => void;

  constructor(
    readonly mapId: string,
    readonly token: string,
    /** An embedded map (/embed/…) only ever shows the map. */
    readonly embedded = false,
  ) {
    this.profile = userProfile();
    this.origin = localOrigin(this.profile.id);
    this.state = new MapState(this.doc);
    this.actionPlan = new ActionPlan(this.doc);
    this.comments = new CommentBoard(this.doc);
    // A refused write is said, in words, where people look for news (the same refusal again renews it).
    this.connection = new MapConnection(this.doc, mapId, token, (reason) => this.notices.show(`Not saved: ${reason}`, { tone: 'error' }));
    this.presence = new Presence(this.connection.provider.awareness, this.profile);
    this.history = new UndoHistory(this.doc, this.origin);
    this.commands = new MapCommands(this.doc, this.origin, this.state, this, (message) => this.notices.show(message, { tone: 'error' }));
    this.workshop = new WorkshopState(
      this.doc,
      mapId,
      token,
      (message) => this.notices.show(message, { tone: 'error' }),
      () => this.presence.clientId,
    );
    this.rounds = new RoundsState(
      this.doc,
      mapId,
      token,
      this.state,
      this.profile,
      () => this.workshop.clockOffset,
      (message) => this.notices.show(message, { tone: 'error' }),
    );
    // Timers run on the server's clock: measure the way to it on each connection (a laptop that slept may have drifted).
    this.connection.provider.on('status', ({ status }) => {
      if (status !== 'connected') return;
      void this.workshop.measureClock();
      this.rounds.refresh();
    });
    this.#stopWatchingSteps = this.history.onNewStep(() => this.notices.dismissActions());
    // A link revoked while this page was away (asleep, offline) is refused at the handshake,
    // which the browser reports like any lost connection: ask the server why.
    this.connection.provider.on('connection-close', (event) => {
      if (event?.code === 1006 && this.connection.everConnected) void this.#recheckLink();
    });
    void this.#resolveRole();
  }

  /** How long a deleted map stays restorable, as the server tells an owner; null when it has not said. */
  get trashDays(): number | null {
    return this.#trashDays;
  }

  /** Null until the server (or, offline, the remembered link) says. */
  get role(): MapRole | null {
    return this.#role;
  }

  /** Why the server will not open this link, if it will not. */
  get refusal(): string | null {
    return this.#refusal;
  }

  /**
   * Title, goal, scope, stages, lanes, personas and the agreed emotion curve: owners and
   * editors, while the page may write at all.
   */
  get canShapeMap(): boolean {
    return roleMay(this.#role, 'shape-map') && this.#writable;
  }

  /** Adding, typing, moving and attributing cards: owners, editors and participants. */
  get canEditCards(): boolean {
    return roleMay(this.#role, 'edit-cards') && this.#writable;
  }

  /**
   * Owners and editors delete any card; a participant only the cards this page's document
   * created (the server decides the same way, so one made before a reload is not theirs).
   */
  canDeleteCard(id: string): boolean {
    if (!this.canEditCards) return false;
    return roleMay(this.#role, 'delete-any-card') || insertedByThisDoc(this.doc, 'cards', id);
  }

  /** Writing comments, resolving and reopening threads: every role but a viewer. */
  get canComment(): boolean {
    return roleMay(this.#role, 'comment') && this.#writable;
  }

  /**
   * Changing or deleting a comment: owners and editors any, the others only those this page's
   * document wrote (the server decides the same way).
   */
  canChangeComment(id: string): boolean {
    if (!this.canComment) return false;
    return roleMay(this.#role, 'shape-map') || this.comments.writtenHere(id);
  }

  /** The names @mentions offer: this person, those on the page, and the people the server names for the map. */
  get mentionableNames(): string[] {
    const names = [this.profile.name, ...this.presence.peers.map((peer) => peer.name), ...this.#knownNames];
    const seen = new Map<string, string>();
    for (const name of names) {
      const trimmed = name.trim();
      if (trimmed !== '' && !seen.has(trimmed.toLowerCase())) seen.set(trimmed.toLowerCase(), trimmed);
    }
    return [...seen.values()].sort((a, b) => a.localeCompare(b));
  }

  /** Asks the server again for the people on the map (a composer opening does, so a new link's label is offered). */
  async refreshPeople(): Promise<void> {
    if (this.#refusal !== null) return;
    this.#knownNames = await fetchPeopleNames(this.mapId, this.token);
  }

  /**
   * Why this page's link no longer works, once the server ended its live session (revoked or
   * expired while the page was open); a link refused from the start is `refusal` instead.
   */
  get linkEnded(): string | null {
    return this.connection.linkEnded;
  }

  /** Whatever the role: an embed, a newer schema, a refused or ended link or a server notice stop all writes. */
  get #writable(): boolean {
    return (
      !this.embedded &&
      !this.state.newerSchema &&
      this.#refusal === null &&
      this.connection.linkEnded === null &&
      this.connection.serverNotice === null
    );
  }

  /** The link that opened this map, for "share" and for the list of recent maps. */
  get link(): string {
    return `${location.origin}/maps/${this.mapId}#token=${this.token}`;
  }

  rememberVisit(): void {
    if (this.#role === null) return;
    this.recent.remember({ id: this.mapId, title: this.state.meta.title, link: this.link, role: this.#role });
  }

  /** The live text of a card, for the one component that binds an editor to it. */
  cardText(id: string): Y.Text | undefined {
    return cardText(this.doc, id);
  }

  /** Rating each stage's emotion for oneself: owners, editors and participants. */
  get canRate(): boolean {
    return roleMay(this.#role, 'rate') && this.#writable;
  }

  /**
   * Owners and editors set or clear their own rating at will; a participant changes a rating only
   * while it is unset or this page's document wrote it (the server decides the same way, so one
   * given before a reload stays as it is).
   */
  canChangeRating(personaId: string, stageId: string): boolean {
    if (!this.canRate) return false;
    if (roleMay(this.#role, 'shape-map')) return true;
    const key = emotionKey(personaId, stageId, this.profile.id);
    return !topLevelMap(this.doc, 'emotions').has(key) || emotionWrittenByThisDoc(this.doc, key);
  }

  /** Whether a transaction is one of this person's own writes. */
  isOwnEdit(origin: unknown): boolean {
    return origin === this.origin;
  }

  // A participant's undo steps hold only card changes and their own ratings (the page offers them nothing else).
  undo(): void {
    if (this.canEditCards) this.history.undo();
  }

  redo(): void {
    if (this.canEditCards) this.history.redo();
  }

  destroy(): void {
    this.#stopWatchingSteps();
    this.workshop.destroy();
    this.rounds.destroy();
    this.presence.destroy();
    this.history.destroy();
    this.actionPlan.destroy();
    this.comments.destroy();
    this.state.destroy();
    this.connection.destroy();
    this.notices.destroy();
    this.doc.destroy();
  }

  async #recheckLink(): Promise<void> {
    if (this.#recheckingLink || this.connection.linkEnded !== null) return;
    this.#recheckingLink = true;
    const answer = await lookUpRole(this.mapId, this.token);
    this.#recheckingLink = false;
    if (answer.kind === 'refused' && answer.ended !== undefined) this.connection.endLink(answer.ended);
  }

  async #resolveRole(): Promise<void> {
    const answer = await lookUpRole(this.mapId, this.token);
    if (answer.kind === 'role') {
      this.#role = answer.role;
      this.#trashDays = answer.trashDays;
    } else if (answer.kind === 'refused') {
      // The socket would be refused too, again and again: it is never opened.
      this.#refusal = answer.message;
      return;
    } else {
      // Offline: trust what this browser saw for this link before, else what the link says
      // about itself (the server still refuses any write the link does not allow).
      const remembered = this.recent.find(this.mapId);
      this.#role = remembered?.link === this.link ? remembered.role : roleFromToken(this.token);
    }
    this.connection.start();
    this.rememberVisit();
  }
}
