import { apiRequest, NOT_UNDERSTOOD, type ApiAnswer, type Fetch } from './api-request';
import { downloadFile, type DownloadAnswer } from './export-download';

/**
 * The workshop summary as the server builds it (`GET /api/maps/:id/workshop/summary`, any link to
 * the map): the agenda as run, the revealed rounds, the parking lot and the session's changes.
 * The answer is decoded here; a line that is not well formed is left out.
 */

export interface SummaryAgendaLine {
  readonly title: string;
  readonly plannedMinutes: number;
  /** Whole minutes; null for an item that was not reached. */
  readonly actualMinutes: number | null;
  /** Under way now. */
  readonly running: boolean;
}

export interface SummaryCard {
  readonly text: string;
  readonly stage: string;
  readonly lane: string;
  /** Null for a brainstorm's card. */
  readonly votes: number | null;
  /** One name per vote; null for an anonymous vote or a brainstorm. */
  readonly voters: readonly string[] | null;
}

export interface SummaryRound {
  readonly kind: 'vote' | 'brainstorm';
  /** In words: "pain points", `stage "Purchase"`. */
  readonly scope: string;
  readonly anonymous: boolean;
  readonly people: number;
  readonly revealedAt: number;
  readonly cards: readonly SummaryCard[];
}

export interface SummaryTopic {
  readonly text: string;
  readonly by: string;
  readonly at: number;
}

export interface SummaryPerson {
  readonly name: string;
  readonly created: number;
  readonly changed: number;
  readonly deleted: number;
}

export interface SummaryAddedCard {
  readonly text: string;
  readonly stage: string;
  readonly lane: string;
  readonly by: string | null;
}

export interface WorkshopSummary {
  readonly mapTitle: string;
  readonly facilitator: string | null;
  /** When the session started and ended (or now, while under way); null before anything ran. */
  readonly from: number | null;
  readonly to: number | null;
  readonly agenda: readonly SummaryAgendaLine[];
  readonly rounds: readonly SummaryRound[];
  readonly parkingLot: readonly SummaryTopic[];
  readonly changes: { readonly people: readonly SummaryPerson[]; readonly cardsAdded: readonly SummaryAddedCard[] };
}

export type SummaryFormat = 'md' | 'pdf';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;
const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const nameOrNull = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);
const timeOrNull = (value: unknown): number | null => (isTime(value) ? value : null);

/** Each well-formed entry of a list, decoded; null when it is not a list at all. */
function decodeList<T>(value: unknown, decode: (entry: Record<string, unknown>) => T | null): T[] | null {
  if (!Array.isArray(value)) return null;
  return value.flatMap((entry) => {
    const decoded = isRecord(entry) ? decode(entry) : null;
    return decoded === null ? [] : [decoded];
  });
}

function decodeAgendaLine(line: Record<string, unknown>): SummaryAgendaLine | null {
  const { title, plannedMinutes, actualMinutes, running } = line;
  if (typeof title !== 'string' || !isCount(plannedMinutes)) return null;
  return { title, plannedMinutes, actualMinutes: isCount(actualMinutes) ? actualMinutes : null, running: running === true };
}

function decodeCard(card: Record<string, unknown>): SummaryCard {
  const voters = Array.isArray(card['voters']) ? card['voters'].filter((voter): voter is string => typeof voter === 'string') : null;
  return {
    text: text(card['text']),
    stage: text(card['stage']),
    lane: text(card['lane']),
    votes: isCount(card['votes']) ? card['votes'] : null,
    voters,
  };
}

function decodeRound(round: Record<string, unknown>): SummaryRound | null {
  const { kind, scope, people, revealedAt } = round;
  const cards = decodeList(round['cards'], decodeCard);
  if ((kind !== 'vote' && kind !== 'brainstorm') || typeof scope !== 'string' || !isCount(people) || !isTime(revealedAt) || !cards)
    return null;
  return { kind, scope, anonymous: round['anonymous'] === true, people, revealedAt, cards };
}

function decodeTopic(topic: Record<string, unknown>): SummaryTopic | null {
  return typeof topic['text'] === 'string' && isTime(topic['at']) ? { text: topic['text'], by: text(topic['by']), at: topic['at'] } : null;
}

function decodePerson(person: Record<string, unknown>): SummaryPerson | null {
  const { name, created, changed, deleted } = person;
  return typeof name === 'string' && isCount(created) && isCount(changed) && isCount(deleted) ? { name, created, changed, deleted } : null;
}

function decodeAddedCard(card: Record<string, unknown>): SummaryAddedCard {
  return { text: text(card['text']), stage: text(card['stage']), lane: text(card['lane']), by: nameOrNull(card['by']) };
}

export function decodeWorkshopSummary(value: unknown): WorkshopSummary | null {
  if (!isRecord(value) || typeof value['mapTitle'] !== 'string' || !isRecord(value['changes'])) return null;
  const agenda = decodeList(value['agenda'], decodeAgendaLine);
  const rounds = decodeList(value['rounds'], decodeRound);
  const parkingLot = decodeList(value['parkingLot'], decodeTopic);
  const people = decodeList(value['changes']['people'], decodePerson);
  const cardsAdded = decodeList(value['changes']['cardsAdded'], decodeAddedCard);
  if (!agenda || !rounds || !parkingLot || !people || !cardsAdded) return null;
  const from = timeOrNull(value['from']);
  return {
    mapTitle: value['mapTitle'],
    facilitator: nameOrNull(value['facilitator']),
    from,
    to: from === null ? null : (timeOrNull(value['to']) ?? from),
    agenda,
    rounds,
    parkingLot,
    changes: { people, cardsAdded },
  };
}

const summaryPath = (mapId: string) => `/api/maps/${encodeURIComponent(mapId)}/workshop/summary`;

export async function fetchWorkshopSummary(mapId: string, token: string, send?: Fetch): Promise<ApiAnswer<WorkshopSummary>> {
  const answer = await apiRequest(summaryPath(mapId), { token }, send);
  if (!answer.ok) return answer;
  const summary = decodeWorkshopSummary(answer.value);
  return summary ? { ok: true, value: summary } : NOT_UNDERSTOOD;
}

/** Saves the summary as Markdown or PDF, as the server writes it. */
export function downloadWorkshopSummary(mapId: string, token: string, format: SummaryFormat, send?: Fetch): Promise<DownloadAnswer> {
  return downloadFile(`${summaryPath(mapId)}.${format}`, token, `workshop-summary.${format}`, send);
}
