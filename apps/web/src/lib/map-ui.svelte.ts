import type { CommentTarget, Evidence } from '@waymark/model';
import type { CardView } from './card-view';
import type { ConfirmRequest } from './confirmation.svelte';

/** What the page is doing that is nobody else's business: panels, selection, zoom, dialogs. */

export type SidePanel =
  'card' | 'personas' | 'history' | 'workshop' | 'actions' | 'funnel' | 'attention' | 'priorities' | 'comments' | 'mentions' | null;

export const MIN_ZOOM = 0.3;
export const MAX_ZOOM = 1.5;

export class MapUi {
  #panel = $state<SidePanel>(null);
  #selectedCardId = $state<string | null>(null);
  #focusedActionId = $state<string | null>(null);
  #personaFilter = $state<string | null>(null);
  #tagFilter = $state<string | null>(null);
  #evidenceFilter = $state<Evidence | null>(null);
  #channelFilter = $state<string | null>(null);
  #departmentFilter = $state<string | null>(null);
  #renaming = $state<{ kind: 'stage' | 'lane'; id: string } | null>(null);
  #confirm = $state.raw<ConfirmRequest | null>(null);
  #zoom = $state(1);
  #editingName = $state(false);
  #nameAskedLater = $state(false);
  #summaryOpen = $state(false);
  #metricsStageId = $state<string | null>(null);
  #commentTarget = $state.raw<CommentTarget | null>(null);

  get panel(): SidePanel {
    return this.#panel;
  }
  get selectedCardId(): string | null {
    return this.#selectedCardId;
  }
  /** The action the action plan opens for editing (one just made from a card), until the panel has shown it. */
  get focusedActionId(): string | null {
    return this.#focusedActionId;
  }
  /** Show only this persona's cards and curve; null = everyone. */
  get personaFilter(): string | null {
    return this.#personaFilter;
  }
  /** Show only cards carrying this tag; null = any. */
  get tagFilter(): string | null {
    return this.#tagFilter;
  }
  /** Show only cards at this evidence level; null = any. */
  get evidenceFilter(): Evidence | null {
    return this.#evidenceFilter;
  }
  /** Show only cards in this channel; null = any. */
  get channelFilter(): string | null {
    return this.#channelFilter;
  }
  /** Show only cards of this department; null = any. */
  get departmentFilter(): string | null {
    return this.#departmentFilter;
  }
  /** The filters together, as `cardInView` takes them. */
  get view(): CardView {
    return {
      personaId: this.#personaFilter,
      tag: this.#tagFilter,
      evidence: this.#evidenceFilter,
      channel: this.#channelFilter,
      department: this.#departmentFilter,
    };
  }
  get confirm(): ConfirmRequest | null {
    return this.#confirm;
  }
  get zoom(): number {
    return this.#zoom;
  }

  /** The person asked to change their name (the avatar button). */
  get editingName(): boolean {
    return this.#editingName;
  }
  /** The first-visit name prompt was put off: asking once per visit is enough. */
  get nameAskedLater(): boolean {
    return this.#nameAskedLater;
  }

  /** The workshop summary dialog is open (from the workshop panel or bar). */
  get summaryOpen(): boolean {
    return this.#summaryOpen;
  }

  openSummary(): void {
    this.#summaryOpen = true;
  }

  closeSummary(): void {
    this.#summaryOpen = false;
  }

  /** The stage whose metrics dialog is open; null when it is closed. */
  get metricsStageId(): string | null {
    return this.#metricsStageId;
  }

  openStageMetrics(stageId: string): void {
    this.#metricsStageId = stageId;
  }

  closeStageMetrics(): void {
    this.#metricsStageId = null;
  }

  toggleNameForm(): void {
    this.#editingName = !this.#editingName;
  }

  closeNameForm(): void {
    this.#editingName = false;
  }

  askNameLater(): void {
    this.#nameAskedLater = true;
  }

  isRenaming(kind: 'stage' | 'lane', id: string): boolean {
    return this.#renaming?.kind === kind && this.#renaming.id === id;
  }

  startRenaming(kind: 'stage' | 'lane', id: string): void {
    this.#renaming = { kind, id };
  }

  stopRenaming(): void {
    this.#renaming = null;
  }

  openCard(id: string): void {
    this.#selectedCardId = id;
    this.#panel = 'card';
  }

  /** Opens a side panel, or closes it when it is the one open. */
  togglePanel(panel: Exclude<SidePanel, 'card' | null>): void {
    this.#panel = this.#panel === panel ? null : panel;
  }

  /** What the comments panel shows the threads of (a stage or an action; a card's are in its details). */
  get commentTarget(): CommentTarget | null {
    return this.#commentTarget;
  }

  /** Opens the threads on a target: a card's in its details, a stage's or an action's in the comments panel. */
  openComments(target: CommentTarget): void {
    if (target.kind === 'card') {
      this.openCard(target.id);
      return;
    }
    this.#commentTarget = target;
    this.#panel = 'comments';
  }

  /** Opens the action plan on one action, ready to edit. */
  openAction(id: string): void {
    this.#focusedActionId = id;
    this.#panel = 'actions';
  }

  actionFocused(): void {
    this.#focusedActionId = null;
  }

  closePanel(): void {
    this.#panel = null;
  }

  filterTo(personaId: string | null): void {
    this.#personaFilter = personaId;
  }

  filterToTag(tag: string | null): void {
    this.#tagFilter = tag;
  }

  filterToEvidence(evidence: Evidence | null): void {
    this.#evidenceFilter = evidence;
  }

  filterToChannel(channel: string | null): void {
    this.#channelFilter = channel;
  }

  filterToDepartment(department: string | null): void {
    this.#departmentFilter = department;
  }

  /** Back to the whole map: every filter off. */
  clearView(): void {
    this.#personaFilter = null;
    this.#tagFilter = null;
    this.#evidenceFilter = null;
    this.#channelFilter = null;
    this.#departmentFilter = null;
  }

  ask(request: ConfirmRequest): void {
    this.#confirm = request;
  }

  answered(): void {
    this.#confirm = null;
  }

  setZoom(zoom: number): void {
    this.#zoom = Math.round(Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom)) * 100) / 100;
  }
}
