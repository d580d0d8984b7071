import { describe, expect, it } from 'vitest';
import {
  countEvidence,
  coverageDescription,
  coverageSummary,
  evidenceByStage,
  isMostlyAssumed,
  NO_EVIDENCE,
  observedShare,
} from './evidence-coverage';

describe('evidence coverage', () => {
  it('counts each level and the share observed', () => {
    const counts = countEvidence(['observed', 'assumed', 'assumed', 'proposed', 'observed', 'assumed', 'assumed', 'observed']);
    expect(counts).toEqual({ observed: 3, assumed: 4, proposed: 1, total: 8 });
    expect(observedShare(counts)).toBe(3 / 8);
    expect(observedShare(NO_EVIDENCE)).toBe(0);
  });

  it('words a stage with and without cards', () => {
    expect(
      coverageSummary(countEvidence(['observed', 'assumed', 'assumed', 'proposed', 'observed', 'assumed', 'assumed', 'observed'])),
    ).toBe('3 of 8 cards observed');
    expect(
      coverageDescription(countEvidence(['observed', 'assumed', 'assumed', 'proposed', 'observed', 'assumed', 'assumed', 'observed'])),
    ).toBe('3 of 8 cards observed, 4 assumed, 1 proposed');
    expect(coverageSummary(countEvidence(['assumed']))).toBe('0 of 1 card observed');
    expect(coverageSummary(NO_EVIDENCE)).toBe('No cards yet');
    expect(coverageDescription(NO_EVIDENCE)).toBe('No cards yet');
  });

  it('calls a stage mostly assumed only past half, and from three cards', () => {
    expect(isMostlyAssumed(countEvidence(['assumed', 'assumed', 'assumed', 'observed']))).toBe(true);
    expect(isMostlyAssumed(countEvidence(['assumed', 'assumed', 'observed', 'observed']))).toBe(false);
    expect(isMostlyAssumed(countEvidence(['assumed', 'assumed']))).toBe(false);
    expect(isMostlyAssumed(countEvidence(['assumed', 'assumed', 'proposed']))).toBe(true);
    expect(isMostlyAssumed(NO_EVIDENCE)).toBe(false);
  });

  it('groups cards by stage, giving listed stages without cards zeros and ignoring unknown stages', () => {
    const byStage = evidenceByStage(
      ['s1', 's2', 's3'],
      [
        { stageId: 's1', evidence: 'assumed' },
        { stageId: 's2', evidence: 'observed' },
        { stageId: 's1', evidence: 'observed' },
        { stageId: 'gone', evidence: 'observed' },
      ],
    );
    expect(byStage.get('s1')).toEqual({ observed: 1, assumed: 1, proposed: 0, total: 2 });
    expect(byStage.get('s2')).toEqual({ observed: 1, assumed: 0, proposed: 0, total: 1 });
    expect(byStage.get('s3')).toEqual(NO_EVIDENCE);
    expect(byStage.has('gone')).toBe(false);
  });
});
