import {
  MAX_CALIBRATION_POINTS,
  stageImpacts,
  type CalibrationPoint,
  type ImpactSettings,
  type Metric,
  type Stage,
  type StageImpact,
} from '@waymark/model';
import { typedNumber } from './stage-figures';

/** One stage of the funnel: how many customers reach it, how many leave, and what that costs. */
export interface FunnelRow {
  readonly stageId: string;
  readonly name: string;
  /** The volume as a share of the largest volume, 0–1, for the bar; 0 without a volume. */
  readonly share: number;
  readonly impact: StageImpact;
}

/** The stages in map order with their latest Volume and Drop-off % (the persona's own figures first). */
export function funnelRows(
  stages: readonly Stage[],
  metrics: readonly Metric[],
  settings: ImpactSettings,
  personaId: string | null,
): FunnelRow[] {
  const impacts = stageImpacts(
    metrics,
    stages.map((stage) => stage.id),
    settings,
    personaId,
  );
  const largest = Math.max(0, ...impacts.map((impact) => impact.volume ?? 0));
  return stages.map((stage, index) => {
    const impact = impacts[index]!;
    return { stageId: stage.id, name: stage.name, share: largest > 0 && impact.volume !== null ? impact.volume / largest : 0, impact };
  });
}

/** The stage that costs most, when any cost can be computed. */
export function costliestStage(rows: readonly FunnelRow[]): FunnelRow | null {
  let costliest: FunnelRow | null = null;
  for (const row of rows) {
    const at = row.impact.revenueAtStake;
    if (at !== null && at > 0 && (costliest === null || at > costliest.impact.revenueAtStake!)) costliest = row;
  }
  return costliest;
}

/** A calibration row as typed: the fields' raw values. */
export interface CalibrationDraftRow {
  readonly csat: unknown;
  readonly revenue: unknown;
}

export type CalibrationCheck =
  | { readonly ok: true; readonly points: CalibrationPoint[] }
  | { readonly ok: false; readonly errors: readonly (string | null)[]; readonly problem: string | null };

/**
 * Typed calibration rows checked before they are saved: each row a CSAT from 1 to 5 and a revenue
 * of 0 or more, no CSAT level twice, at most MAX_CALIBRATION_POINTS rows. Errors are per row, so
 * each can sit beside its row.
 */
export function checkCalibration(rows: readonly CalibrationDraftRow[]): CalibrationCheck {
  const seen = new Map<number, number>();
  const points: CalibrationPoint[] = [];
  const errors = rows.map((row, index) => {
    const csat = typedNumber(row.csat);
    const revenue = typedNumber(row.revenue);
    if (csat === null) return 'Enter a CSAT level';
    if (csat < 1 || csat > 5) return 'CSAT must be from 1 to 5';
    if (seen.has(csat)) return `CSAT ${csat} is already in row ${seen.get(csat)! + 1}`;
    seen.set(csat, index);
    if (revenue === null) return 'Enter a revenue per customer';
    if (revenue < 0) return 'Revenue must be 0 or more';
    points.push({ csat, revenue });
    return null;
  });
  const problem = rows.length > MAX_CALIBRATION_POINTS ? `At most ${MAX_CALIBRATION_POINTS} CSAT levels` : null;
  if (problem !== null || errors.some((error) => error !== null)) return { ok: false, errors, problem };
  return { ok: true, points: points.sort((a, b) => a.csat - b.csat) };
}
