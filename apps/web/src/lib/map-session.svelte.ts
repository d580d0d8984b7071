import { cardText, localOrigin, type Origin } from '@waymark/model';
import * as Y from 'yjs';
import { MapCommands } from './map-commands';
import { MapConnection } from './map-connection.svelte';
import { lookUpRole, roleCanEdit, roleFromToken } from './map-role';
import { MapState } from './map-state.svelte';
import { Notices } from './notices.svelte';
import { Presence } from './presence.svelte';
import { RecentMaps, type MapRole } from './recent-maps.svelte';
import { UndoHistory } from './undo-history.svelte';
import { userProfile, type UserProfile } from './user-profile.svelte';

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
  readonly connection: MapConnection;
  readonly presence: Presence;
  readonly history: UndoHistory;
  readonly commands: MapCommands;
  readonly notices = new Notices();
  readonly recent = new RecentMaps();
  #role = $state<MapRole | null>(null);
  #refusal = $state<string | null>(null);
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
    this.connection = new MapConnection(this.doc, mapId, token);
    this.presence = new Presence(this.connection.provider.awareness, this.profile);
    this.history = new UndoHistory(this.doc, this.origin);
    this.commands = new MapCommands(this.doc, this.origin, this.state, () => this.canEdit, (message) =>
      this.notices.show(message, { tone: 'error' }),
    );
    this.#stopWatchingSteps = this.history.onNewStep(() => this.notices.dismissActions());
    void this.#resolveRole();
  }

  /** Null until the server (or, offline, the remembered link) says. */
  get role(): MapRole | null {
    return this.#role;
  }

  /** Why the server will not open this link, if it will not. */
  get refusal(): string | null {
    return this.#refusal;
  }

  get canEdit(): boolean {
    return (
      roleCanEdit(this.#role) &&
      !this.embedded &&
      !this.state.newerSchema &&
      this.#refusal === null &&
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

  /** Whether a transaction is one of this person's own writes. */
  isOwnEdit(origin: unknown): boolean {
    return origin === this.origin;
  }

  undo(): void {
    if (this.canEdit) this.history.undo();
  }

  redo(): void {
    if (this.canEdit) this.history.redo();
  }

  destroy(): void {
    this.#stopWatchingSteps();
    this.presence.destroy();
    this.history.destroy();
    this.state.destroy();
    this.connection.destroy();
    this.notices.destroy();
    this.doc.destroy();
  }

  async #resolveRole(): Promise<void> {
    const answer = await lookUpRole(this.mapId, this.token);
    if (answer.kind === 'role') {
      this.#role = answer.role;
    } else if (answer.kind === 'refused') {
      this.#refusal = answer.message;
      return;
    } else {
      // Offline: trust what this browser saw for this link before, else what the link says
      // about itself (the server still refuses any write the link does not allow).
      const remembered = this.recent.find(this.mapId);
      this.#role = remembered?.link === this.link ? remembered.role : roleFromToken(this.token);
    }
    this.rememberVisit();
  }
}
