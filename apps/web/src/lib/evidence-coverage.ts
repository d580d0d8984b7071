import type { Evidence } from '@waymark/model';

/** How many of a stage's cards rest on each kind of evidence. */
export interface EvidenceCounts {
  readonly observed: number;
  readonly assumed: number;
  readonly proposed: number;
  readonly total: number;
}

export const NO_EVIDENCE: EvidenceCounts = { observed: 0, assumed: 0, proposed: 0, total: 0 };

/** Below this many cards a stage is too thin to call mostly assumed. */
const MOSTLY_ASSUMED_MIN_CARDS = 3;

export function countEvidence(levels: Iterable<Evidence>): EvidenceCounts {
  const counts = { observed: 0, assumed: 0, proposed: 0, total: 0 };
  for (const level of levels) {
    counts[level]++;
    counts.total++;
  }
  return counts;
}

/** Counts per stage id, from every card's stage and evidence; stages listed but without cards get zeros. */
export function evidenceByStage(
  stageIds: Iterable<string>,
  cards: Iterable<{ readonly stageId: string; readonly evidence: Evidence }>,
): Map<string, EvidenceCounts> {
  const levels = new Map<string, Evidence[]>();
  for (const id of stageIds) levels.set(id, []);
  for (const card of cards) levels.get(card.stageId)?.push(card.evidence);
  return new Map([...levels].map(([id, list]) => [id, countEvidence(list)]));
}

/** The share of cards observed, 0 to 1; 0 for a stage without cards. */
export function observedShare(counts: EvidenceCounts): number {
  return counts.total === 0 ? 0 : counts.observed / counts.total;
}

/** More than half the cards assumed, and enough cards for that to mean something. */
export function isMostlyAssumed(counts: EvidenceCounts): boolean {
  return counts.total >= MOSTLY_ASSUMED_MIN_CARDS && counts.assumed * 2 > counts.total;
}

/** "3 of 8 cards observed"; "No cards yet" when there are none. */
export function coverageSummary(counts: EvidenceCounts): string {
  if (counts.total === 0) return 'No cards yet';
  return `${counts.observed} of ${counts.total} ${counts.total === 1 ? 'card' : 'cards'} observed`;
}

/** The summary with the rest spelled out: "3 of 8 cards observed, 4 assumed, 1 proposed". */
export function coverageDescription(counts: EvidenceCounts): string {
  if (counts.total === 0) return coverageSummary(counts);
  return `${coverageSummary(counts)}, ${counts.assumed} assumed, ${counts.proposed} proposed`;
}
