import type * as Y from 'yjs';
import { topLevelMap } from '../doc-keys.js';
import type { Origin } from '../origin.js';
import { checkEmotionScore, checkParticipantId, emotionKey, readEmotions, roundedMean, type EmotionInput } from '../records/emotion.js';
import { readPersonas } from '../records/persona.js';
import { readStages } from '../records/stage.js';
import { transactAs } from './transaction.js';

type EmotionTarget = Omit<EmotionInput, 'score'>;

function checkedKey(doc: Y.Doc, target: EmotionTarget, what: string): string {
  if (!readPersonas(doc).some((persona) => persona.id === target.personaId)) {
    throw new Error(`${what}: unknown persona "${target.personaId}"`);
  }
  if (!readStages(doc).some((stage) => stage.id === target.stageId)) {
    throw new Error(`${what}: unknown stage "${target.stageId}"`);
  }
  const participantId = target.participantId === undefined ? undefined : checkParticipantId(target.participantId, what);
  return emotionKey(target.personaId, target.stageId, participantId);
}

/**
 * Sets the agreed score (no participantId) or one participant's own score. Scores outside
 * -3..+3 or not whole numbers are rejected rather than clamped: a clamped 7 would look
 * like a real "+3" on the curve.
 */
export function setEmotion(doc: Y.Doc, input: EmotionInput, origin?: Origin): void {
  const score = checkEmotionScore(input.score, 'setEmotion');
  const key = checkedKey(doc, input, 'setEmotion');
  transactAs(doc, origin, () => topLevelMap(doc, 'emotions').set(key, score));
}

export function clearEmotion(doc: Y.Doc, target: EmotionTarget, origin?: Origin): void {
  const key = checkedKey(doc, target, 'clearEmotion');
  transactAs(doc, origin, () => topLevelMap(doc, 'emotions').delete(key));
}

/**
 * Makes the participants' rounded mean (see `roundedMean`) the agreed score of `personaId` at
 * each of `stageIds` (every stage when omitted) that has ratings, in one transaction, so one
 * undo takes the whole adoption back. Stages nobody rated keep their agreed score. Returns
 * the stage ids whose agreed score it set.
 */
export function adoptMeanEmotions(
  doc: Y.Doc,
  target: { readonly personaId: string; readonly stageIds?: readonly string[] },
  origin?: Origin,
): string[] {
  if (!readPersonas(doc).some((persona) => persona.id === target.personaId)) {
    throw new Error(`adoptMeanEmotions: unknown persona "${target.personaId}"`);
  }
  const known = new Set(readStages(doc).map((stage) => stage.id));
  for (const stageId of target.stageIds ?? []) {
    if (!known.has(stageId)) throw new Error(`adoptMeanEmotions: unknown stage "${stageId}"`);
  }
  const wanted = target.stageIds === undefined ? known : new Set(target.stageIds);
  const adopted: [string, number][] = [];
  for (const point of readEmotions(doc)) {
    if (point.personaId !== target.personaId || !wanted.has(point.stageId)) continue;
    const mean = roundedMean(point);
    if (mean !== null && mean !== point.score) adopted.push([point.stageId, mean]);
  }
  if (adopted.length > 0) {
    transactAs(doc, origin, () => {
      const emotions = topLevelMap(doc, 'emotions');
      for (const [stageId, score] of adopted) emotions.set(emotionKey(target.personaId, stageId), score);
    });
  }
  return adopted.map(([stageId]) => stageId);
}
