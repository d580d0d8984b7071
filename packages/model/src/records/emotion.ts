import type * as Y from 'yjs';
import { topLevelMap } from '../doc-keys.js';
import { isValidId } from '../ids.js';
import type { Problem } from '../problems.js';
import { collectPersonas } from './persona.js';
import { collectStages } from './stage.js';

/**
 * The emotion curve, stored flat in the `emotions` Y.Map as key → number:
 * - `personaId:stageId` is the score the team settled on for that persona at that stage;
 * - `personaId:stageId:participantId` is one participant's own score.
 * Flat keys mean each participant writes only their own entry, so scoring together in a
 * workshop never conflicts. Scores are integers from -3 (very negative) to +3.
 */
export const EMOTION_MIN = -3;
export const EMOTION_MAX = 3;

export interface EmotionPoint {
  readonly personaId: string;
  readonly stageId: string;
  /** The agreed score (`personaId:stageId`), null when nobody set one. */
  readonly score: number | null;
  /** participantId → that participant's score. */
  readonly participants: Readonly<Record<string, number>>;
  /** Over participant scores only; all null when there are none. Draw `score ?? mean`. */
  readonly mean: number | null;
  readonly min: number | null;
  readonly max: number | null;
  /** Population standard deviation of participant scores: the spread band. */
  readonly stdDev: number | null;
}

export function isEmotionScore(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= EMOTION_MIN && value <= EMOTION_MAX;
}

/** Participant ids come from the access layer, not from newId, so only ':' is ruled out. */
export function isParticipantId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 200 && !value.includes(':');
}

export function emotionKey(personaId: string, stageId: string, participantId?: string): string {
  return participantId === undefined ? `${personaId}:${stageId}` : `${personaId}:${stageId}:${participantId}`;
}

interface ParsedEmotionKey {
  readonly personaId: string;
  readonly stageId: string;
  readonly participantId: string | undefined;
}

export function parseEmotionKey(key: string): ParsedEmotionKey | undefined {
  const [personaId, stageId, participantId, ...rest] = key.split(':');
  if (rest.length > 0 || !isValidId(personaId) || !isValidId(stageId)) return undefined;
  if (participantId !== undefined && !isParticipantId(participantId)) return undefined;
  return { personaId, stageId, participantId };
}

interface PairScores {
  score: number | null;
  /** A Map, not an object: participant ids are peer data and could be "__proto__". */
  readonly participants: Map<string, number>;
}

function summarise(personaId: string, stageId: string, pair: PairScores): EmotionPoint {
  const { score } = pair;
  // fromEntries defines own properties, so any id is stored as plain data
  const participants: Record<string, number> = Object.fromEntries(pair.participants);
  const scores = [...pair.participants.values()];
  if (scores.length === 0) {
    const none = { mean: null, min: null, max: null, stdDev: null };
    return { personaId, stageId, score, participants, ...none };
  }
  const mean = scores.reduce((sum, value) => sum + value, 0) / scores.length;
  const variance = scores.reduce((sum, value) => sum + (value - mean) ** 2, 0) / scores.length;
  return {
    personaId,
    stageId,
    score,
    participants,
    mean,
    min: Math.min(...scores),
    max: Math.max(...scores),
    stdDev: Math.sqrt(variance),
  };
}

/**
 * The participants' mean as a score the curve can hold: rounded to the nearest whole number,
 * halves away from zero, so a mean of -1.5 becomes -2 just as +1.5 becomes +2 (Math.round
 * would pull every negative half towards "fine"). Null when nobody rated.
 */
export function roundedMean(point: Pick<EmotionPoint, 'mean'>): number | null {
  if (point.mean === null) return null;
  const size = Math.round(Math.abs(point.mean));
  // Never -0: it would print as "-0" and differ from 0 in a comparison by Object.is.
  return size === 0 ? 0 : Math.sign(point.mean) * size;
}

/**
 * One point per (persona, stage) that has any score, ordered like `personaIds` then
 * `stageIds` (pass them in display order). Entries for unknown personas or stages, bad keys
 * and bad scores are skipped and reported.
 */
export function collectEmotions(
  doc: Y.Doc,
  problems: Problem[],
  personaIds: readonly string[],
  stageIds: readonly string[],
): EmotionPoint[] {
  const personas = new Set(personaIds);
  const stages = new Set(stageIds);
  const byPair = new Map<string, PairScores>();
  for (const [key, value] of topLevelMap(doc, 'emotions').entries()) {
    const parsed = parseEmotionKey(key);
    const skip = (reason: string): void => {
      problems.push({ collection: 'emotions', id: key, reason, action: 'skipped' });
    };
    if (parsed === undefined) {
      skip('malformed key');
    } else if (!isEmotionScore(value)) {
      skip(`score is not an integer from ${EMOTION_MIN} to ${EMOTION_MAX}`);
    } else if (!personas.has(parsed.personaId)) {
      skip('persona does not exist');
    } else if (!stages.has(parsed.stageId)) {
      skip('stage does not exist');
    } else {
      const pairKey = emotionKey(parsed.personaId, parsed.stageId);
      const entry = byPair.get(pairKey) ?? { score: null, participants: new Map<string, number>() };
      if (parsed.participantId === undefined) entry.score = value;
      else entry.participants.set(parsed.participantId, value);
      byPair.set(pairKey, entry);
    }
  }
  const points: EmotionPoint[] = [];
  for (const personaId of personaIds) {
    for (const stageId of stageIds) {
      const entry = byPair.get(emotionKey(personaId, stageId));
      if (entry !== undefined) points.push(summarise(personaId, stageId, entry));
    }
  }
  return points;
}

/** Emotion points for the valid personas (by name) and stages (by order). */
export function readEmotions(doc: Y.Doc): EmotionPoint[] {
  const personaIds = collectPersonas(doc, []).map((persona) => persona.id);
  const stageIds = collectStages(doc, []).map((stage) => stage.id);
  return collectEmotions(doc, [], personaIds, stageIds);
}

export interface EmotionInput {
  readonly personaId: string;
  readonly stageId: string;
  readonly participantId?: string;
  readonly score: number;
}

export function checkEmotionScore(score: unknown, what: string): number {
  if (!isEmotionScore(score)) {
    throw new Error(`${what}: score must be an integer from ${EMOTION_MIN} to ${EMOTION_MAX}, got ${String(score)}`);
  }
  return score;
}

export function checkParticipantId(participantId: unknown, what: string): string {
  if (!isParticipantId(participantId)) {
    throw new Error(`${what}: participantId must be a non-empty string without ":"`);
  }
  return participantId;
}
