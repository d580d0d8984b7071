import { agendaFinished, readWorkshop, timerRemaining, topLevelMap, type AgendaItem, type Workshop } from '@waymark/model';
import type * as Y from 'yjs';
import { msUntilNextSecond } from './countdown';
import { measureClockOffset } from './server-clock';
import { PendingCalls, type CallAnswer } from './pending-calls.svelte';
import { browserSeat, WorkshopApi, type AgendaAction, type AgendaDraftItem } from './workshop-api';

/**
 * The live workshop as this page sees it: the state the server keeps in the document, the time
 * left on the server's clock (ticking once a second while a timer runs), and the facilitator's
 * verbs. Only the server writes the workshop map (it refuses anyone else's change), so what is
 * read here is the server's word.
 */
export class WorkshopState {
  #workshop = $state.raw<Workshop>({
    facilitator: null,
    agenda: [],
    currentItemId: null,
    timer: { state: 'stopped' },
    locked: false,
    runs: [],
    parkingLot: [],
    gatheredAt: null,
  });
  /** Server time minus this browser's time; 0 until measured. */
  #offset = $state(0);
  #now = $state(Date.now());
  /** Bumped when a running timer reaches zero while this page watches, for the bar's signal. */
  #timeUps = $state(0);
  #tick: ReturnType<typeof setTimeout> | undefined;
  readonly #api: WorkshopApi;
  readonly #detach: () => void;

  readonly #calls: PendingCalls;
  constructor(
    doc: Y.Doc,
    mapId: string,
    private readonly token: string,
    private readonly say: (message: string) => void,
    /** This page's awareness client id: participants follow the facilitator's page by it. */
    private readonly clientId: () => number,
  ) {
    this.#calls = new PendingCalls(say);
    this.#api = new WorkshopApi(mapId, token, browserSeat());
    const map = topLevelMap(doc, 'workshop');
    const read = () => {
      this.#workshop = readWorkshop(doc);
      this.#schedule();
      this.#announceClient();
    };
    map.observe(read);
    this.#detach = () => map.unobserve(read);
    read();
  }

  get workshop(): Workshop {
    return this.#workshop;
  }

  /** This browser holds the facilitator seat. */
  get facilitating(): boolean {
    return this.#workshop.facilitator?.seat === this.#api.seat;
  }

  get current(): { item: AgendaItem; index: number } | null {
    const index = this.#workshop.agenda.findIndex((item) => item.id === this.#workshop.currentItemId);
    return index < 0 ? null : { item: this.#workshop.agenda[index]!, index };
  }

  /** The agenda was run to its end and nothing is under way: the bar says so and offers the summary. */
  get finished(): boolean {
    return agendaFinished(this.#workshop);
  }

  /** The item under way looks at this stage or lane (its header is marked on the grid). */
  focusOn(kind: 'stage' | 'lane', id: string): boolean {
    const focus = this.current?.item.focus;
    return focus?.kind === kind && focus.id === id;
  }

  /** Time left on the current item (negative when over), or null with no timer. */
  get remainingMs(): number | null {
    return this.current ? timerRemaining(this.#workshop.timer, this.#now + this.#offset) : null;
  }

  /** Server time minus this browser's time (0 until measured): sealed rounds end on the server's clock too. */
  get clockOffset(): number {
    return this.#offset;
  }

  get timeUps(): number {
    return this.#timeUps;
  }

  /** A call is on its way: the panel's buttons wait. */
  get busy(): boolean {
    return this.#calls.busy;
  }

  /** Measures the offset to the server's clock (on load, and again on each reconnect). */
  async measureClock(): Promise<void> {
    const offset = await measureClockOffset(this.token);
    if (offset !== null) this.#offset = offset;
    this.#schedule();
  }

  takeSeat(name: string): Promise<boolean> {
    this.#announced = true;
    return this.#do('Could not take the seat', () => this.#api.takeSeat(name, this.clientId()));
  }

  /** Moves every participant's page to the facilitator's view, following it from now on. */
  gather(): Promise<boolean> {
    return this.#do('Could not bring everyone here', () => this.#api.gather());
  }

  leaveSeat(): Promise<boolean> {
    return this.#do('Could not leave the seat', () => this.#api.leaveSeat());
  }

  saveAgenda(items: readonly AgendaDraftItem[]): Promise<boolean> {
    return this.#do('Agenda not saved', () => this.#api.saveAgenda(items));
  }

  run(action: AgendaAction): Promise<boolean> {
    return this.#do(`Could not ${action === 'next' ? 'move on' : action}`, () => this.#api.run(action));
  }

  lock(locked: boolean): Promise<boolean> {
    return this.#do(locked ? 'Could not lock the map' : 'Could not unlock the map', () => this.#api.lock(locked));
  }

  /*
   * The parking lot's calls answer with the server's words instead of a notice: they are made
   * from a modal dialog, which would cover the notice tray.
   */
  park(text: string, person: string): Promise<string | null> {
    return this.#ask(() => this.#api.park(text, person));
  }

  topicToCard(topicId: string, stageId: string, laneId: string): Promise<string | null> {
    return this.#ask(() => this.#api.topicToCard(topicId, stageId, laneId));
  }

  discardTopic(topicId: string): Promise<string | null> {
    return this.#ask(() => this.#api.discardTopic(topicId));
  }

  destroy(): void {
    this.#detach();
    clearTimeout(this.#tick);
  }

  #do(failure: string, call: () => Promise<CallAnswer>): Promise<boolean> {
    return this.#calls.run(failure, call);
  }

  /** The server's refusal, or null when the call went through. */
  #ask(call: () => Promise<CallAnswer>): Promise<string | null> {
    return this.#calls.ask(call);
  }

  /** This page told the server its client id (on taking the seat, or after a reload). */
  #announced = false;

  /**
   * This browser holds the seat but the map names another page of it (this one reloaded): say
   * this one, once. Two tabs of the facilitator's browser would otherwise take it in turns forever;
   * once, the tab opened last is the one followed.
   */
  #announceClient(): void {
    const held = this.#workshop.facilitator;
    const clientId = this.clientId();
    if (!this.facilitating || held?.clientId === clientId || this.#announced) return;
    this.#announced = true;
    void this.#api.announceClient(clientId).then((answer) => {
      if (!answer.ok) this.#announced = false;
    });
  }

  /** Ticks on the moment the shown time changes, and only while a timer runs. */
  #schedule(): void {
    clearTimeout(this.#tick);
    this.#tick = undefined;
    this.#now = Date.now();
    const remaining = this.remainingMs;
    if (remaining === null || this.#workshop.timer.state !== 'running') return;
    this.#tick = setTimeout(
      () => {
        const before = this.remainingMs;
        this.#schedule();
        const after = this.remainingMs;
        if (before !== null && after !== null && before > 0 && after <= 0) this.#timeUps++;
      },
      msUntilNextSecond(remaining) + 5,
    );
  }
}
