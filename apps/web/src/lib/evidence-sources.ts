import { isSourceUrl, MAX_SOURCES_PER_CARD, SOURCE_KIND_LABELS, sourceProblem, type EvidenceSource, type SourceKind } from '@waymark/model';

/** The add-a-source form as typed: every field the kinds use, most left empty for any one kind. */
export interface SourceDraft {
  kind: SourceKind;
  text: string;
  url: string;
  /** From a number input: null while empty. */
  count: number | null;
  origin: string;
}

export const emptySourceDraft = (kind: SourceKind): SourceDraft => ({ kind, text: '', url: '', count: null, origin: '' });

/** The source a draft stands for: the fields its kind uses, trimmed; the others empty. */
export function sourceFromDraft(draft: SourceDraft): EvidenceSource {
  const text = draft.text.trim();
  switch (draft.kind) {
    case 'link':
      return { kind: 'link', text, url: draft.url.trim(), count: 0, origin: '' };
    case 'count':
      return { kind: 'count', text, url: '', count: draft.count ?? Number.NaN, origin: '' };
    case 'verbatim':
      return { kind: 'verbatim', text, url: '', count: 0, origin: draft.origin.trim() };
    default:
      return { kind: 'quote', text, url: '', count: 0, origin: '' };
  }
}

/** What is wrong with a source about to be added, in the form's words, and which field to fix; null when it can be added. */
export interface DraftProblem {
  readonly field: 'text' | 'url' | 'count' | null;
  readonly message: string;
}

export function draftProblem(source: EvidenceSource, sourcesOnCard: number): DraftProblem | null {
  if (sourcesOnCard >= MAX_SOURCES_PER_CARD) {
    return { field: null, message: `A card holds at most ${MAX_SOURCES_PER_CARD} sources. Remove one before adding another.` };
  }
  if (source.kind === 'link') {
    if (source.url === '') return { field: 'url', message: 'Give the address of the link.' };
    if (!isSourceUrl(source.url)) {
      return { field: 'url', message: 'The address must be a web address starting with http:// or https://.' };
    }
  }
  if (source.kind === 'count') {
    if (!Number.isInteger(source.count) || source.count < 0)
      return { field: 'count', message: 'How many must be a whole number of 0 or more.' };
    if (source.text === '') return { field: 'text', message: 'Say what was counted, e.g. “support tickets about late refunds”.' };
  }
  if (source.kind === 'quote' && source.text === '') return { field: 'text', message: 'Write what the customer said.' };
  if (source.kind === 'verbatim' && source.text === '') return { field: 'text', message: 'Write the survey comment.' };
  const problem = sourceProblem(source);
  if (problem === null) return null;
  const message = `${problem.charAt(0).toUpperCase()}${problem.slice(1)}.`;
  return { field: /url/.test(problem) ? 'url' : /count/.test(problem) ? 'count' : 'text', message };
}

/** A short name for a source, for its remove button: `Quote “Too many steps”`, `Link Interview notes`. */
export function sourceLabel(source: EvidenceSource): string {
  const kind = SOURCE_KIND_LABELS[source.kind];
  const text =
    source.kind === 'link' ? source.text || source.url : source.kind === 'count' ? `${source.count} ${source.text}` : `“${source.text}”`;
  return `${kind} ${text.length > 60 ? `${text.slice(0, 59)}…` : text}`;
}

/** “3 sources” for a card note; empty for none. */
export function sourceCountText(count: number): string {
  return count === 0 ? '' : count === 1 ? '1 source' : `${count} sources`;
}
