import * as Y from 'yjs';
import { recordMap, topLevelMap } from '../doc-keys.js';
import { isValidId } from '../ids.js';
import { compareByOrder } from '../order.js';
import { invalid, parseOrReport, type Problem } from '../problems.js';
import {
  asRecordMap,
  checkColour,
  checkString,
  checkStringList,
  isColour,
  optionalFiniteNumber,
  optionalString,
  optionalStringList,
  requiredOrder,
} from './fields.js';
import { checkSource, isJudgement, MAX_JUDGEMENT, MAX_SOURCES_PER_CARD, readSources, type EvidenceSource } from './card-insight.js';
import { collectLanes, type Lane } from './lane.js';
import { collectPersonas, type Persona } from './persona.js';
import { collectStages, type Stage } from './stage.js';

/**
 * A sticky note in a stage × lane cell, stored as a Y.Map in `cards`:
 * { stageId, laneId, order, text: Y.Text, colour, tags, personaIds, evidence, links,
 *   author, createdAt }.
 *
 * - `stageId`, `laneId` and `order` are always written together in one transaction, so two
 *   concurrent moves resolve to one whole move (every key has the same history and Yjs
 *   picks the same winner for each), never a mix.
 * - `text` is a Y.Text because several people type into one note during a workshop.
 * - `tags`, `personaIds` and `links` are plain arrays, replaced whole. They are short
 *   picker-edited sets: a Y.Array would merge two concurrent additions of the same tag into
 *   a duplicate and races removals by index, while a whole-list write is predictable (the
 *   rare loser of a simultaneous edit of one card's tags sees the other person's list).
 *   Readers also accept Y.Arrays and drop duplicates.
 */
export const EVIDENCE_LEVELS = ['observed', 'assumed', 'proposed'] as const;
export type Evidence = (typeof EVIDENCE_LEVELS)[number];

export function isEvidence(value: unknown): value is Evidence {
  return typeof value === 'string' && (EVIDENCE_LEVELS as readonly string[]).includes(value);
}

/** Most workshop notes start as assumptions until someone attaches data. */
export const DEFAULT_EVIDENCE: Evidence = 'assumed';
export const DEFAULT_CARD_COLOUR = '#fde68a';

export interface Card {
  readonly id: string;
  readonly stageId: string;
  readonly laneId: string;
  readonly order: string;
  readonly text: string;
  readonly colour: string;
  readonly tags: readonly string[];
  readonly personaIds: readonly string[];
  readonly evidence: Evidence;
  readonly links: readonly string[];
  /** Where the evidence comes from (see card-insight.ts). */
  readonly sources: readonly EvidenceSource[];
  /** 1–5 judged impact and effort for prioritising; 0 while not scored. */
  readonly impact: number;
  readonly effort: number;
  /** The channels it happens in (web, phone, store…), for the channel view. */
  readonly channels: readonly string[];
  /** The team that owns it; empty when none. */
  readonly department: string;
  readonly author: string;
  readonly createdAt: number;
}

/** What a card may point at; built from the valid stages, lanes and personas. */
export interface CardReferences {
  readonly stageIds: ReadonlySet<string>;
  readonly laneIds: ReadonlySet<string>;
  readonly personaIds: ReadonlySet<string>;
}

function readText(record: Y.Map<unknown>): string {
  const text = record.get('text');
  if (text === undefined) return '';
  if (text instanceof Y.Text) return text.toString();
  // v1 stored plain strings; migrateDoc converts them, but reading one should still work.
  if (typeof text === 'string') return text;
  return invalid('text is neither a Y.Text nor a string');
}

export function parseCard(id: string, value: unknown, references: CardReferences, problems: Problem[]): Card {
  if (!isValidId(id)) invalid('id is not a valid record id');
  const record = asRecordMap(value);
  const stageId = record.get('stageId');
  const laneId = record.get('laneId');
  // A concurrent "delete stage" and "move card into it" leaves such a card behind: skipped
  // here, kept in the document (an undo of the delete brings the stage back).
  if (typeof stageId !== 'string' || !references.stageIds.has(stageId)) {
    invalid(`stage ${JSON.stringify(stageId) ?? 'missing'} does not exist`);
  }
  if (typeof laneId !== 'string' || !references.laneIds.has(laneId)) {
    invalid(`lane ${JSON.stringify(laneId) ?? 'missing'} does not exist`);
  }
  const evidence = record.get('evidence') ?? DEFAULT_EVIDENCE;
  if (!isEvidence(evidence)) invalid(`unknown evidence: ${JSON.stringify(evidence)}`);
  const storedColour = optionalString(record, 'colour', DEFAULT_CARD_COLOUR);
  if (!isColour(storedColour)) {
    problems.push({ collection: 'cards', id, reason: 'colour is not #rrggbb', action: 'repaired' });
  }
  const storedPersonaIds = optionalStringList(record, 'personaIds');
  const personaIds = storedPersonaIds.filter((personaId) => references.personaIds.has(personaId));
  if (personaIds.length !== storedPersonaIds.length) {
    // A persona deleted while someone tagged this card: drop the dangling reference.
    problems.push({ collection: 'cards', id, reason: 'unknown persona ids dropped', action: 'repaired' });
  }
  return {
    id,
    stageId,
    laneId,
    order: requiredOrder(record),
    text: readText(record),
    colour: isColour(storedColour) ? storedColour : DEFAULT_CARD_COLOUR,
    tags: optionalStringList(record, 'tags'),
    personaIds,
    evidence,
    links: optionalStringList(record, 'links'),
    sources: readStoredSources(record, id, problems),
    impact: judgement(record, 'impact'),
    effort: judgement(record, 'effort'),
    channels: optionalStringList(record, 'channels'),
    department: optionalString(record, 'department', ''),
    author: optionalString(record, 'author', ''),
    createdAt: optionalFiniteNumber(record, 'createdAt', 0),
  };
}

function readStoredSources(record: Y.Map<unknown>, id: string, problems: Problem[]): EvidenceSource[] {
  const value = record.get('sources');
  if (value === undefined) return [];
  const sources = readSources(value);
  if (sources.length === 0 && !(Array.isArray(value) && value.length === 0)) {
    problems.push({ collection: 'cards', id, reason: 'unreadable evidence sources ignored', action: 'repaired' });
  }
  return sources;
}

function judgement(record: Y.Map<unknown>, key: 'impact' | 'effort'): number {
  const value = record.get(key);
  return isJudgement(value) ? value : 0;
}

export interface CardFilter {
  readonly personaId?: string;
  readonly stageId?: string;
  readonly laneId?: string;
}

/**
 * Whether a card passes a filter. A card tagged with no persona is about the journey as
 * everyone walks it, so it shows under every persona; a tagged card shows only under the
 * personas it is tagged with. Takes just the fields it reads, so the web app's live card
 * state passes the same rule as a freshly read card.
 */
export function cardMatchesFilter(card: Pick<Card, 'stageId' | 'laneId' | 'personaIds'>, filter: CardFilter): boolean {
  return (
    (filter.stageId === undefined || card.stageId === filter.stageId) &&
    (filter.laneId === undefined || card.laneId === filter.laneId) &&
    (filter.personaId === undefined || card.personaIds.length === 0 || card.personaIds.includes(filter.personaId))
  );
}

export interface CardContext extends CardReferences {
  readonly stageRank: ReadonlyMap<string, number>;
  readonly laneRank: ReadonlyMap<string, number>;
}

/** What cards are checked against and sorted by, from the already validated records. */
export function cardContext(stages: readonly Stage[], lanes: readonly Lane[], personas: readonly Persona[]): CardContext {
  return {
    stageIds: new Set(stages.map((stage) => stage.id)),
    laneIds: new Set(lanes.map((lane) => lane.id)),
    personaIds: new Set(personas.map((persona) => persona.id)),
    stageRank: new Map(stages.map((stage, index) => [stage.id, index])),
    laneRank: new Map(lanes.map((lane, index) => [lane.id, index])),
  };
}

/**
 * Valid cards sorted by stage position, lane position, then (order, id) within a cell.
 */
export function collectCards(doc: Y.Doc, problems: Problem[], references: CardContext): Card[] {
  const cards: Card[] = [];
  for (const [id, value] of topLevelMap(doc, 'cards').entries()) {
    const card = parseOrReport('cards', id, problems, () => parseCard(id, value, references, problems));
    if (card !== undefined) cards.push(card);
  }
  const rank = (ranks: ReadonlyMap<string, number>, id: string): number => ranks.get(id) ?? 0;
  return cards.sort(
    (x, y) =>
      rank(references.stageRank, x.stageId) - rank(references.stageRank, y.stageId) ||
      rank(references.laneRank, x.laneId) - rank(references.laneRank, y.laneId) ||
      compareByOrder(x, y),
  );
}

/**
 * Valid cards, sorted, optionally filtered (see `cardMatchesFilter`: a persona's cards are
 * those tagged with it plus the untagged ones, which belong to everyone).
 */
export function readCards(doc: Y.Doc, filter: CardFilter = {}): Card[] {
  const context = cardContext(collectStages(doc, []), collectLanes(doc, []), collectPersonas(doc, []));
  return collectCards(doc, [], context).filter((card) => cardMatchesFilter(card, filter));
}

/**
 * A card's Y.Text, for a write: a text stored as a plain string (by v1, before migrateDoc turns
 * it into shared text) or missing becomes a Y.Text now, holding the same characters. Call it
 * inside the write's transaction.
 */
export function sharedCardText(record: Y.Map<unknown>): Y.Text {
  const text = record.get('text');
  if (text instanceof Y.Text) return text;
  const shared = new Y.Text(typeof text === 'string' ? text : '');
  record.set('text', shared);
  return shared;
}

/** The live Y.Text of a card, for binding an editor; undefined for unknown or v1 cards. */
export function cardText(doc: Y.Doc, id: string): Y.Text | undefined {
  const text = recordMap(doc, 'cards', id)?.get('text');
  return text instanceof Y.Text ? text : undefined;
}

export interface CardPatch {
  readonly colour?: string;
  readonly tags?: readonly string[];
  readonly personaIds?: readonly string[];
  readonly evidence?: Evidence;
  readonly links?: readonly string[];
  readonly sources?: readonly Partial<EvidenceSource>[];
  readonly impact?: number;
  readonly effort?: number;
  readonly channels?: readonly string[];
  readonly department?: string;
}

export interface CheckedCardPatch {
  colour?: string;
  tags?: string[];
  personaIds?: string[];
  evidence?: Evidence;
  links?: string[];
  sources?: EvidenceSource[];
  impact?: number;
  effort?: number;
  channels?: string[];
  department?: string;
}

/** Input check shared by addCard and updateCard; persona ids are checked by the caller. */
export function checkCardPatch(patch: CardPatch, what: string): CheckedCardPatch {
  const checked: CheckedCardPatch = {};
  if (patch.colour !== undefined) checked.colour = checkColour(patch.colour, `${what}: colour`);
  if (patch.tags !== undefined) checked.tags = checkStringList(patch.tags, `${what}: tags`);
  if (patch.personaIds !== undefined) {
    checked.personaIds = checkStringList(patch.personaIds, `${what}: personaIds`);
  }
  if (patch.links !== undefined) checked.links = checkStringList(patch.links, `${what}: links`);
  if (patch.sources !== undefined) {
    if (!Array.isArray(patch.sources)) throw new Error(`${what}: sources must be a list`);
    if (patch.sources.length > MAX_SOURCES_PER_CARD) throw new Error(`${what}: a card holds at most ${MAX_SOURCES_PER_CARD} sources`);
    checked.sources = patch.sources.map((source, index) => checkSource(source, `${what}: sources[${index}]`));
  }
  for (const field of ['impact', 'effort'] as const) {
    const given = patch[field];
    if (given === undefined) continue;
    if (!isJudgement(given)) throw new Error(`${what}: ${field} must be a whole number from 1 to ${MAX_JUDGEMENT}, or 0 for not scored`);
    checked[field] = given;
  }
  if (patch.channels !== undefined) checked.channels = checkStringList(patch.channels, `${what}: channels`);
  if (patch.department !== undefined) checked.department = checkString(patch.department, `${what}: department`).trim();
  if (patch.evidence !== undefined) {
    if (!isEvidence(patch.evidence)) {
      throw new Error(`${what}: evidence must be one of ${EVIDENCE_LEVELS.join(', ')}`);
    }
    checked.evidence = patch.evidence;
  }
  return checked;
}

/** v1's sticky-note palette names and the colours v2 draws them with. */
const V1_PALETTE: Readonly<Record<string, string>> = {
  yellow: '#fde68a',
  pink: '#fbcfe8',
  blue: '#bfdbfe',
  green: '#bbf7d0',
  orange: '#fed7aa',
  purple: '#ddd6fe',
};

/** Whether a stored card still has v1's shape: what upgradeCardFromV1 changes. */
export function isV1Card(record: Y.Map<unknown>): boolean {
  return record.has('color') || typeof record.get('text') === 'string';
}

/**
 * v1 → v2 for one stored card: v1 kept `color` as a palette name (or hex) and the text as
 * a plain string, so two people typing into one note overwrote each other. Safe to run
 * twice; a colour v1 did not know is kept and the reader falls back to the default.
 */
export function upgradeCardFromV1(record: Y.Map<unknown>): void {
  const legacyColour = record.get('color');
  if (legacyColour !== undefined) {
    if (record.get('colour') === undefined && typeof legacyColour === 'string') {
      record.set('colour', V1_PALETTE[legacyColour.toLowerCase()] ?? legacyColour.toLowerCase());
    }
    record.delete('color');
  }
  const text = record.get('text');
  if (typeof text === 'string') record.set('text', new Y.Text(text));
}
