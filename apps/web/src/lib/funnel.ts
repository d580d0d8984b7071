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

export type PastedCalibration =
  { readonly ok: true; readonly rows: { csat: number; revenue: number }[] } | { readonly ok: false; readonly problem: string };

/**
 * A figure as a spreadsheet copies it: "€1,200.50", "1.200,50 €", "180", "3,5". With both a comma
 * and a point, the last is the decimal sign; a lone comma before three digits groups thousands,
 * any other lone comma is the decimal sign. Null when it is no number.
 */
function pastedNumber(cell: string): number | null {
  let text = cell.replace(/[^\d.,+-]/g, '');
  const comma = text.lastIndexOf(',');
  const point = text.lastIndexOf('.');
  if (comma >= 0 && point >= 0) {
    text = comma > point ? text.replace(/\./g, '').replace(',', '.') : text.replace(/,/g, '');
  } else if (comma >= 0) {
    text = /^[+-]?\d{1,3}(,\d{3})+$/.test(text) ? text.replace(/,/g, '') : text.replace(',', '.');
  } else if (/^[+-]?\d{1,3}(\.\d{3}){2,}$/.test(text)) {
    text = text.replace(/\./g, '');
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(text)) return null;
  return Number(text);
}

/**
 * CSAT levels and revenue per customer pasted from a spreadsheet or a CSV export: one level a
 * line, the CSAT first and the revenue second, split by a tab, a semicolon or a comma; a first
 * line of column names is passed over.
 * The rows then go through the same check as typed ones when saved.
 */
export function parseCalibrationText(text: string): PastedCalibration {
  const lines = text
    .split(/\r?\n/)
    .map((line, index) => ({ line: line.trim(), number: index + 1 }))
    .filter(({ line }) => line !== '');
  if (lines.length === 0) return { ok: false, problem: 'Paste at least one line: a CSAT level and a revenue per customer.' };
  const rows: { csat: number; revenue: number }[] = [];
  for (const [position, { line, number }] of lines.entries()) {
    const delimiter = line.includes('\t') ? '\t' : line.includes(';') ? ';' : ',';
    const cells = line.split(delimiter).map((cell) => cell.trim());
    const csat = cells[0] === undefined ? null : pastedNumber(cells[0]);
    const revenue = cells[1] === undefined ? null : pastedNumber(cells[1]);
    if (csat === null || revenue === null) {
      if (position === 0 && csat === null) continue; // column names
      return { ok: false, problem: `Line ${number}: expected a CSAT level and a revenue, two numbers split by a tab, semicolon or comma.` };
    }
    rows.push({ csat, revenue });
  }
  if (rows.length === 0) return { ok: false, problem: 'Only column names were pasted: add a line per CSAT level.' };
  if (rows.length > MAX_CALIBRATION_POINTS)
    return { ok: false, problem: `At most ${MAX_CALIBRATION_POINTS} CSAT levels; ${rows.length} were pasted.` };
  return { ok: true, rows };
}
