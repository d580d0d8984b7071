import { formatFigure, KNOWN_METRICS, metricKind, type Metric, type StageFigure } from '@waymark/model';

/**
 * How a stage's figures read: compact in the narrow stage header, in whole sentences for screen
 * readers and tooltips, and as a history per metric in the stage's metrics dialog.
 */

/** Names the header shortens to fit; the sentence keeps the full name. */
const SHORT_NAMES: Readonly<Record<string, string>> = { 'Drop-off %': 'Drop-off' };

export const shortMetricName = (name: string): string => SHORT_NAMES[name] ?? name;

/** A value with its metric's unit: "30%", "12,000", "4.1". */
export function metricValueText(name: string, value: number): string {
  return `${formatFigure(value)}${metricKind(name)?.unit ?? ''}`;
}

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** A value short enough for the header: 12K rather than 12,000. */
export function compactValueText(name: string, value: number): string {
  const text = Math.abs(value) >= 10_000 ? compact.format(value) : formatFigure(value);
  return `${text}${metricKind(name)?.unit ?? ''}`;
}

/** ▲ when the latest figure is above the one before, ▼ below; nothing without a change. */
export function trendArrow(figure: StageFigure): '▲' | '▼' | '' {
  if (figure.change === null || figure.change === 0) return '';
  return figure.change > 0 ? '▲' : '▼';
}

/** The size of a change, in the metric's terms: "0.3", "5 points" for a percentage. */
function changeText(name: string, change: number): string {
  const size = formatFigure(Math.abs(change));
  return metricKind(name)?.unit === '%' ? `${size} ${Math.abs(change) === 1 ? 'point' : 'points'}` : size;
}

/**
 * The figure in words: "CSAT 4.1, up 0.3 since 2026-03-01, better, target 4.5 missed, for Busy
 * parent, measured 2026-03-20".
 */
export function figureSentence(figure: StageFigure, personaName: string | null): string {
  const { name, latest, previous, change } = figure;
  const parts = [`${name} ${metricValueText(name, latest.value)}`];
  if (previous !== null && change !== null) {
    if (change === 0) parts.push(`unchanged since ${previous.date}`);
    else {
      parts.push(`${change > 0 ? 'up' : 'down'} ${changeText(name, change)} since ${previous.date}`);
      parts.push(figure.improved ? 'better' : 'worse');
    }
  }
  if (latest.target !== null) parts.push(`target ${metricValueText(name, latest.target)} ${figure.onTarget ? 'met' : 'missed'}`);
  if (figure.forPersona && personaName !== null) parts.push(`for ${personaName}`);
  parts.push(`measured ${latest.date}`);
  return parts.join(', ');
}

/** One metric's measurements at a stage, for everyone or for one persona, newest first. */
export interface MetricSeries {
  readonly name: string;
  /** '' for all customers. */
  readonly personaId: string;
  readonly measurements: readonly Metric[];
}

/** A stage's measurements by metric and persona: known metrics first, everyone before personas. */
export function metricSeries(metrics: readonly Metric[], stageId: string): MetricSeries[] {
  const groups = new Map<string, { name: string; personaId: string; measurements: Metric[] }>();
  for (const metric of metrics) {
    if (metric.stageId !== stageId) continue;
    const name = metricKind(metric.name)?.name ?? metric.name;
    const key = `${name}\u0000${metric.personaId}`;
    const group = groups.get(key) ?? { name, personaId: metric.personaId, measurements: [] };
    group.measurements.push(metric);
    groups.set(key, group);
  }
  const rank = (name: string) => {
    const index = KNOWN_METRICS.findIndex((kind) => kind.name === name);
    return index === -1 ? KNOWN_METRICS.length : index;
  };
  // The model keeps measurements oldest first; the dialog reads newest first.
  return [...groups.values()]
    .map((group) => ({ ...group, measurements: group.measurements.slice().reverse() }))
    .sort(
      (a, b) =>
        rank(a.name) - rank(b.name) ||
        a.name.localeCompare(b.name) ||
        (a.personaId === '' ? 0 : 1) - (b.personaId === '' ? 0 : 1) ||
        a.personaId.localeCompare(b.personaId),
    );
}

/**
 * A write's error as the person should read it: the model names the call it refused
 * ("addMetric: CSAT must be from 1 to 5"), which means nothing on screen.
 */
export function readableWriteError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const plain = message
    .replace(/^[A-Za-z]+(\[\d+\])?: /, '')
    // A field named in code ("valuePerCustomer must be…") reads as words.
    .replace(/^[a-z]+(?:[A-Z][a-z]*)+\b/, (name) => name.replace(/[A-Z]/g, (letter) => ` ${letter.toLowerCase()}`));
  return plain.charAt(0).toUpperCase() + plain.slice(1);
}

/** A number typed in a field, or null when the field is empty or holds no number. */
export function typedNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || value.trim() === '') return null;
  const parsed = Number(value.trim());
  return Number.isFinite(parsed) ? parsed : null;
}
