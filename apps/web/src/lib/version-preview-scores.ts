import type { MapDiff, MapExport } from '@waymark/model';
import { signedScore } from './journey-highlights';
import type { PreviewHeader } from './version-preview';

/**
 * The emotion scores a version's preview draws in its emotions lane: each persona's agreed score
 * at each stage, and, compared with another state, whether the score is new in the version
 * ("added"), only in the other state ("removed": cleared by restoring), or different ("changed",
 * read from the other state to the version like the rest of the preview).
 */

export type ScoreMark = 'added' | 'removed' | 'changed' | null;

export interface PreviewScore {
  readonly personaId: string;
  readonly personaName: string;
  /** The persona itself is only in the other state (its scores come back as ghosts). */
  readonly personaRemoved: boolean;
  /** The agreed score in the version, null when it has none. */
  readonly score: number | null;
  /** The agreed score in the other state when it differs, else null. */
  readonly before: number | null;
  readonly mark: ScoreMark;
  /** How many participants' own ratings differ from the other state. */
  readonly participantsChanged: number;
}

/** A version's scores are read, never trusted: only whole numbers from −3 to +3 count. */
const scoreOf = (value: unknown): number | null =>
  typeof value === 'number' && Number.isInteger(value) && value >= -3 && value <= 3 ? value : null;

/** "−2", "+1", or "none". */
export const scoreText = (score: number | null): string => (score === null ? 'none' : signedScore(score));

function split(key: string): { personaId: string; stageId: string; participant: boolean } | null {
  const [personaId, stageId, participant, ...rest] = key.split(':');
  if (!personaId || !stageId || rest.length > 0) return null;
  return { personaId, stageId, participant: participant !== undefined };
}

/**
 * Scores by stage id, each stage's in the personas' order. A persona at a stage is listed when
 * either state has an agreed score for it there, or when participants' ratings differ; scores of
 * a persona or stage that neither state has are left out.
 */
export function previewScores(
  shown: MapExport,
  base: MapExport | null,
  diff: MapDiff | null,
  personas: readonly PreviewHeader[],
  stages: readonly PreviewHeader[],
): ReadonlyMap<string, readonly PreviewScore[]> {
  const stageIds = new Set(stages.map((stage) => stage.id));
  const changedKeys = new Set(diff?.emotions.map((change) => change.key));
  const participantsChanged = new Map<string, number>();
  const pairs = new Set<string>();
  for (const key of new Set([...Object.keys(shown.emotions), ...Object.keys(base?.emotions ?? {})])) {
    const parsed = split(key);
    if (!parsed) continue;
    const pair = `${parsed.personaId}:${parsed.stageId}`;
    if (!parsed.participant) pairs.add(pair);
    else if (changedKeys.has(key)) {
      participantsChanged.set(pair, (participantsChanged.get(pair) ?? 0) + 1);
      pairs.add(pair);
    }
  }
  const byStage = new Map<string, PreviewScore[]>();
  for (const stageId of stageIds) {
    const list: PreviewScore[] = [];
    for (const persona of personas) {
      const pair = `${persona.id}:${stageId}`;
      if (!pairs.has(pair)) continue;
      const score = scoreOf(shown.emotions[pair]);
      const other = base ? scoreOf(base.emotions[pair]) : score;
      // An unreadable score with nothing else to say draws nothing.
      if (score === null && other === null && !participantsChanged.has(pair)) continue;
      const mark: ScoreMark = score === other ? null : other === null ? 'added' : score === null ? 'removed' : 'changed';
      list.push({
        personaId: persona.id,
        personaName: persona.name,
        personaRemoved: persona.mark === 'removed',
        score,
        before: mark === null ? null : other,
        mark,
        participantsChanged: participantsChanged.get(pair) ?? 0,
      });
    }
    if (list.length > 0) byStage.set(stageId, list);
  }
  return byStage;
}
