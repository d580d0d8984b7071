import {
  cardInScope,
  cellInScope,
  readRounds,
  topLevelMap,
  voteTotals,
  type OpenRound,
  type RoundResult,
  type Rounds,
} from '@waymark/model';
import type * as Y from 'yjs';
import { msUntilNextSecond } from './countdown';
import type { MapState } from './map-state.svelte';
import { RoundsApi, voterId, type NewRound, type PrivateCard } from './rounds-api';
import { PendingCalls, type CallAnswer } from './pending-calls.svelte';
import { browserSeat } from './workshop-api';

/** What this person has put into the open round: only they (and the server) know it. */
interface Mine {
  readonly roundId: string;
  readonly ballot: readonly string[];
  readonly cards: readonly PrivateCard[];
}

/** A card's votes in the latest revealed vote that covered it, and who gave them unless it was anonymous. */
export interface VoteResult {
  readonly votes: number;
  readonly voters: readonly string[] | null;
}

/**
 * Sealed workshop rounds as this page sees them. The open round and the revealed results come
 * from the document (only the server writes them); this person's own ballot or private cards come
 * from the server, asked for whenever a round opens or the page loads, and are sent back whole on
 * each change.
 */
export class RoundsState {
  #rounds = $state.raw<Rounds>({ open: null, results: [] });
  #mine = $state.raw<Mine | null>(null);
  #now = $state(Date.now());
  #totals = $derived(voteTotals(this.#rounds.results));
  #tick: ReturnType<typeof setTimeout> | undefined;
  /** The ballot changed while one was on its way: send the newest once that one answers. */
  #ballotDirty = false;
  #sendingBallot = false;
  #loadingId: string | null = null;
  readonly #api: RoundsApi;
  readonly #detach: () => void;

  readonly #calls: PendingCalls;
  constructor(
    doc: Y.Doc,
    mapId: string,
    token: string,
    private readonly map: MapState,
    profile: { readonly id: string; readonly name: string },
    /** Server time minus this browser's time. */
    private readonly clockOffset: () => number,
    private readonly say: (message: string) => void,
  ) {
    this.#calls = new PendingCalls(say);
    this.#api = new RoundsApi(mapId, token, browserSeat(), voterId(profile.id), () => profile.name);
    const workshop = topLevelMap(doc, 'workshop');
    const read = () => {
      this.#rounds = readRounds(doc);
      const open = this.#rounds.open;
      if (open === null) this.#mine = null;
      else if (this.#mine?.roundId !== open.id && this.#loadingId !== open.id) void this.#load(open.id);
      this.#schedule();
    };
    workshop.observe(read);
    this.#detach = () => workshop.unobserve(read);
    read();
  }

  get open(): OpenRound | null {
    return this.#rounds.open;
  }

  get results(): readonly RoundResult[] {
    return this.#rounds.results;
  }

  /** A call the facilitator made is on its way. */
  get busy(): boolean {
    return this.#calls.busy;
  }

  /** Time left before submissions stop (server clock), or null when the round runs until the reveal. */
  get remainingMs(): number | null {
    const endsAt = this.#rounds.open?.endsAt ?? null;
    return endsAt === null ? null : endsAt - (this.#now + this.clockOffset());
  }

  /** The open round still takes votes or cards. */
  /**
   * One signal for every card: the countdown ticks each second, but the cards' vote controls
   * change only when this flips.
   */
  readonly #taking = $derived.by(() => {
    const remaining = this.remainingMs;
    return this.#rounds.open !== null && (remaining === null || remaining > 0);
  });

  get taking(): boolean {
    return this.#taking;
  }

  get ballot(): readonly string[] {
    return this.#current?.ballot ?? [];
  }

  get votesLeft(): number {
    return Math.max(0, (this.#rounds.open?.votesPerPerson ?? 0) - this.ballot.length);
  }

  /** This person's dots on a card in the open vote. */
  dotsOn(cardId: string): number {
    return this.ballot.filter((id) => id === cardId).length;
  }

  /** Whether the open vote is about this card. */
  votesOn(card: { readonly stageId: string; readonly laneId: string; readonly tags: readonly string[] }): boolean {
    const open = this.#rounds.open;
    return open?.kind === 'vote' && cardInScope(open.scope, card, this.map.lane(card.laneId));
  }

  /** Whether the open brainstorm takes cards in this cell. */
  takesCardsIn(stageId: string, laneId: string): boolean {
    const open = this.#rounds.open;
    return open?.kind === 'brainstorm' && cellInScope(open.scope, stageId, laneId, this.map.lane(laneId));
  }

  /** This person's private cards in one cell of the open brainstorm. */
  privateCardsIn(stageId: string, laneId: string): readonly PrivateCard[] {
    return (this.#current?.cards ?? []).filter((card) => card.stageId === stageId && card.laneId === laneId);
  }

  /** The revealed votes on a card, or null when no revealed vote covered it. */
  resultOn(cardId: string): VoteResult | null {
    const total = this.#totals.get(cardId);
    if (!total) return null;
    const result = this.#rounds.results.find((candidate) => candidate.id === total.roundId);
    return { votes: total.votes, voters: result?.voters ? (result.voters[cardId] ?? []) : null };
  }

  vote(cardId: string): void {
    const open = this.#rounds.open;
    if (!open || open.kind !== 'vote' || !this.#current) return;
    if (this.votesLeft === 0) {
      this.say(`You have used all ${open.votesPerPerson} votes: take one back to move it`);
      return;
    }
    this.#setBallot([...this.ballot, cardId]);
  }

  unvote(cardId: string): void {
    const index = this.ballot.lastIndexOf(cardId);
    if (index < 0) return;
    this.#setBallot([...this.ballot.slice(0, index), ...this.ballot.slice(index + 1)]);
  }

  async addPrivateCard(stageId: string, laneId: string, text: string): Promise<boolean> {
    const mine = this.#current;
    if (!mine) return false;
    const answer = await this.#api.addCard(mine.roundId, { stageId, laneId, text });
    if (!answer.ok) {
      this.say(`Private card not added: ${answer.error}`);
      return false;
    }
    if (this.#mine?.roundId === mine.roundId) this.#mine = { ...this.#mine, cards: [...this.#mine.cards, answer.value] };
    return true;
  }

  async deletePrivateCard(cardId: string): Promise<void> {
    const mine = this.#current;
    if (!mine) return;
    const answer = await this.#api.deleteCard(mine.roundId, cardId);
    if (!answer.ok) {
      this.say(`Private card not deleted: ${answer.error}`);
      return;
    }
    if (this.#mine?.roundId === mine.roundId) this.#mine = { ...this.#mine, cards: this.#mine.cards.filter((card) => card.id !== cardId) };
  }

  start(round: NewRound): Promise<boolean> {
    return this.#do(round.kind === 'vote' ? 'Could not start the dot vote' : 'Could not start the brainstorm', () => this.#api.open(round));
  }

  reveal(): Promise<boolean> {
    const open = this.#rounds.open;
    return open ? this.#do('Could not reveal the round', () => this.#api.reveal(open.id)) : Promise.resolve(false);
  }

  cancel(): Promise<boolean> {
    const open = this.#rounds.open;
    return open ? this.#do('Could not cancel the round', () => this.#api.cancel(open.id)) : Promise.resolve(false);
  }

  /** Asks again for what this person put into the open round (on each connection: an earlier ask may have found the server away). */
  refresh(): void {
    const open = this.#rounds.open;
    if (open && !this.#current && this.#loadingId !== open.id) void this.#load(open.id);
  }

  destroy(): void {
    this.#detach();
    clearTimeout(this.#tick);
  }

  /** What this person put into the round open now; null while it is being asked for. */
  get #current(): Mine | null {
    const mine = this.#mine;
    return mine !== null && mine.roundId === this.#rounds.open?.id ? mine : null;
  }

  async #load(roundId: string): Promise<void> {
    this.#loadingId = roundId;
    const answer = await this.#api.mine(roundId);
    if (this.#loadingId === roundId) this.#loadingId = null;
    if (this.#rounds.open?.id !== roundId) return;
    if (!answer.ok) {
      // A round the offline copy still shows but the server has closed is no news to anyone.
      if (answer.status !== 404) this.say(`Could not read your part in this round: ${answer.error}`);
      return;
    }
    if (answer.value.state === 'open') this.#mine = { roundId, ballot: answer.value.ballot, cards: answer.value.cards };
  }

  #setBallot(ballot: readonly string[]): void {
    const mine = this.#current;
    if (!mine) return;
    this.#mine = { ...mine, ballot };
    this.#ballotDirty = true;
    void this.#sendBallot();
  }

  /** One ballot on its way at a time, the newest sent last, so the server ends with what the page shows. */
  async #sendBallot(): Promise<void> {
    if (this.#sendingBallot) return;
    this.#sendingBallot = true;
    try {
      while (this.#ballotDirty && this.#current) {
        this.#ballotDirty = false;
        const { roundId, ballot } = this.#current;
        const answer = await this.#api.vote(roundId, ballot);
        if (!answer.ok) {
          this.#ballotDirty = false;
          this.say(`Vote not saved: ${answer.error}`);
          // Show what the server holds, not what it refused.
          this.#mine = null;
          await this.#load(roundId);
        }
      }
    } finally {
      this.#sendingBallot = false;
    }
  }

  #do(failure: string, call: () => Promise<CallAnswer>): Promise<boolean> {
    return this.#calls.run(failure, call);
  }

  /** Ticks on the moment the shown time changes, while an open round's time runs. */
  #schedule(): void {
    clearTimeout(this.#tick);
    this.#tick = undefined;
    this.#now = Date.now();
    const remaining = this.remainingMs;
    if (remaining === null || remaining <= 0) return;
    this.#tick = setTimeout(() => this.#schedule(), msUntilNextSecond(remaining) + 5);
  }
}
