import type { CalibrationPoint } from './records/meta.js';
import { latestValue, type Metric } from './records/metric.js';

/**
 * Business impact per stage: what a stage's losses cost, and what better satisfaction there is
 * worth. Both formulas are shown to the people using them, so each result carries its working.
 *
 * - Revenue at stake = volume × drop-off % ÷ 100 × value per customer: the customers a stage
 *   loses, priced.
 * - CSAT calibration: revenue per customer observed at several CSAT levels gives a line
 *   (least squares); its slope is what one CSAT point is worth per customer, and × the stage's
 *   volume, what a one-point gain at that stage is worth.
 */

export interface Calibration {
  /** Revenue per customer per CSAT point. */
  readonly slope: number;
  readonly intercept: number;
  readonly points: number;
}

/** The least-squares line through the calibration points; null with fewer than two CSAT levels. */
export function calibrationLine(points: readonly CalibrationPoint[]): Calibration | null {
  if (points.length < 2) return null;
  const n = points.length;
  const meanX = points.reduce((sum, point) => sum + point.csat, 0) / n;
  const meanY = points.reduce((sum, point) => sum + point.revenue, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const { csat, revenue } of points) {
    covariance += (csat - meanX) * (revenue - meanY);
    variance += (csat - meanX) ** 2;
  }
  if (variance === 0) return null;
  const slope = covariance / variance;
  return { slope, intercept: meanY - slope * meanX, points: n };
}

export interface StageImpact {
  readonly stageId: string;
  readonly volume: number | null;
  readonly dropOff: number | null;
  /** volume × drop-off % × value per customer; null while a part is missing. */
  readonly revenueAtStake: number | null;
  /** What a one-point CSAT gain at this stage is worth: slope × volume; null without calibration or volume. */
  readonly csatPointWorth: number | null;
  readonly csat: number | null;
  /** What is missing for the revenue at stake, in words ("Volume", "Drop-off %", "value per customer"). */
  readonly missing: readonly string[];
}

export interface ImpactSettings {
  readonly valuePerCustomer: number;
  readonly calibration: readonly CalibrationPoint[];
}

/** Each stage's impact from its latest Volume, Drop-off % and CSAT (the persona's own figures first). */
export function stageImpacts(
  metrics: readonly Metric[],
  stageIds: readonly string[],
  settings: ImpactSettings,
  personaId: string | null = null,
): StageImpact[] {
  const line = calibrationLine(settings.calibration);
  return stageIds.map((stageId) => {
    const volume = latestValue(metrics, stageId, 'Volume', personaId);
    const dropOff = latestValue(metrics, stageId, 'Drop-off %', personaId);
    const csat = latestValue(metrics, stageId, 'CSAT', personaId);
    const missing: string[] = [];
    if (volume === null) missing.push('Volume');
    if (dropOff === null) missing.push('Drop-off %');
    if (settings.valuePerCustomer <= 0) missing.push('value per customer');
    return {
      stageId,
      volume,
      dropOff,
      csat,
      revenueAtStake: missing.length === 0 ? volume! * (dropOff! / 100) * settings.valuePerCustomer : null,
      csatPointWorth: line !== null && volume !== null ? line.slope * volume : null,
      missing,
    };
  });
}

/** An amount of money as people read it: whole units, grouped, with the map's currency. */
export function formatMoney(amount: number, currency: string): string {
  const rounded = Math.round(amount);
  const grouped = Math.abs(rounded).toLocaleString('en-GB');
  const sign = rounded < 0 ? '−' : '';
  if (currency === '') return `${sign}${grouped}`;
  // A sign sits before the figure ($, €, £); a code after it (EUR, CHF).
  return /^[A-Za-z]{2,}$/.test(currency) ? `${sign}${grouped} ${currency}` : `${sign}${currency}${grouped}`;
}

/** A count as people read it: grouped, with up to two decimals. */
export const formatFigure = (value: number): string => value.toLocaleString('en-GB', { maximumFractionDigits: 2 });

/** The revenue-at-stake formula with this stage's figures, for the screen. */
export function revenueWorking(impact: StageImpact, settings: ImpactSettings, currency: string): string {
  const volume = impact.volume === null ? '(missing)' : formatFigure(impact.volume);
  const dropOff = impact.dropOff === null ? '(missing)' : `${formatFigure(impact.dropOff)}%`;
  const value = settings.valuePerCustomer > 0 ? formatMoney(settings.valuePerCustomer, currency) : '(missing)';
  const result = impact.revenueAtStake === null ? '' : ` = ${formatMoney(impact.revenueAtStake, currency)}`;
  return `Volume ${volume} × drop-off ${dropOff} × value per customer ${value}${result}`;
}

/** The CSAT-point formula with this stage's figures, for the screen. */
export function csatPointWorking(impact: StageImpact, line: Calibration | null, currency: string): string {
  if (line === null) return 'Enter revenue per customer for at least two CSAT levels to price a CSAT point.';
  const slope = `${formatMoney(line.slope, currency)} per customer per CSAT point (least-squares line through ${line.points} levels)`;
  if (impact.volume === null) return `${slope} × Volume (missing)`;
  return `${slope} × volume ${formatFigure(impact.volume)} = ${formatMoney(line.slope * impact.volume, currency)}`;
}
