import { isPlainObject } from './fields.js';

/**
 * What a card carries beyond its note, for turning the map into decisions: where its evidence
 * comes from, how it scores, which channels it happens in and which team owns it. Plain values
 * on the card record, each replaced whole (they are edited in a form, one person at a time).
 */

export const SOURCE_KINDS = ['quote', 'link', 'count', 'verbatim'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export const SOURCE_KIND_LABELS: Readonly<Record<SourceKind, string>> = Object.freeze({
  quote: 'Quote',
  link: 'Link',
  count: 'Count',
  verbatim: 'Survey verbatim',
});

/**
 * One piece of evidence behind a card:
 * - `quote`: what a customer said (`text`);
 * - `link`: a report, recording or ticket (`url`, with `text` as its title);
 * - `count`: how often something was seen (`count`, with `text` saying what was counted);
 * - `verbatim`: a comment taken from an imported survey (`text`, and `origin` naming the import).
 */
export interface EvidenceSource {
  readonly kind: SourceKind;
  readonly text: string;
  readonly url: string;
  readonly count: number;
  readonly origin: string;
}

export const MAX_SOURCES_PER_CARD = 50;
export const MAX_SOURCE_TEXT = 2000;
export const MAX_SOURCE_URL = 2000;

/** A 1–5 judgement of impact or effort; 0 while nobody has scored it. */
export const MAX_JUDGEMENT = 5;

export const isSourceKind = (value: unknown): value is SourceKind =>
  typeof value === 'string' && (SOURCE_KINDS as readonly string[]).includes(value);

export const isJudgement = (value: unknown): value is number =>
  Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_JUDGEMENT;

/** Only web addresses: a link is opened by other people, so `javascript:` and the like never are. */
export function isSourceUrl(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > MAX_SOURCE_URL) return false;
  return value === '' || WEB_ADDRESS.test(value);
}

/** `http(s)://host…` with no spaces or control characters: what a browser opens as a web page. */
const WEB_ADDRESS = /^https?:\/\/[^\s/?#\\]+[^\s\u0000-\u001f]*$/i;

/** Why `value` is not one evidence source, or null. */
export function sourceProblem(value: unknown): string | null {
  if (!isPlainObject(value)) return 'a source must be an object';
  const { kind, text, url, count, origin } = value;
  const extra = Object.keys(value).filter((key) => !['kind', 'text', 'url', 'count', 'origin'].includes(key));
  if (extra.length > 0) return `a source has no field ${extra[0]}`;
  if (!isSourceKind(kind)) return `a source's kind must be one of ${SOURCE_KINDS.join(', ')}`;
  if (typeof text !== 'string') return "a source's text must be a string";
  if (text.length > MAX_SOURCE_TEXT) return `a source's text must be at most ${MAX_SOURCE_TEXT} characters`;
  if (!isSourceUrl(url)) return "a source's url must be an http or https address";
  if (!Number.isInteger(count) || (count as number) < 0) return "a source's count must be a whole number of 0 or more";
  if (typeof origin !== 'string' || origin.length > 200) return "a source's origin must be a short string";
  if (kind === 'link' && url === '') return 'a link source needs its url';
  if ((kind === 'quote' || kind === 'verbatim') && text.trim() === '') return `a ${kind} source needs its text`;
  if (kind === 'count' && text.trim() === '') return 'a count source says what was counted';
  return null;
}

/** Why `value` is not a card's list of sources, or null. */
export function sourcesProblem(value: unknown): string | null {
  if (!Array.isArray(value)) return 'sources must be a list';
  if (value.length > MAX_SOURCES_PER_CARD) return `a card holds at most ${MAX_SOURCES_PER_CARD} sources`;
  for (const source of value as unknown[]) {
    const problem = sourceProblem(source);
    if (problem) return problem;
  }
  return null;
}

/** A source as a caller gives it (missing fields take their empty value), checked; throws with the reason. */
export function checkSource(input: Partial<EvidenceSource>, what: string): EvidenceSource {
  const source: EvidenceSource = {
    kind: input.kind as SourceKind,
    text: typeof input.text === 'string' ? input.text.trim() : (input.text ?? ''),
    url: typeof input.url === 'string' ? input.url.trim() : (input.url ?? ''),
    count: input.count ?? 0,
    origin: input.origin ?? '',
  };
  const problem = sourceProblem(source);
  if (problem) throw new Error(`${what}: ${problem}`);
  return source;
}

/** Stored sources, or none when the field holds something else (the reader repairs, never fails). */
export function readSources(value: unknown): EvidenceSource[] {
  return Array.isArray(value) && sourcesProblem(value) === null ? (value as EvidenceSource[]) : [];
}
