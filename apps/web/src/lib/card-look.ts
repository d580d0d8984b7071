import type { Evidence } from '@waymark/model';

export const EVIDENCE_LABELS: Readonly<Record<Evidence, string>> = {
  observed: 'Observed',
  assumed: 'Assumed',
  proposed: 'Proposed',
};

export const EVIDENCE_HINTS: Readonly<Record<Evidence, string>> = {
  observed: 'Seen in research, data or support tickets',
  assumed: 'What the team believes; not yet checked',
  proposed: 'An idea for how it could be',
};

/** Sticky-note colours: light enough for dark text, distinct at a glance. */
export const CARD_COLOURS: readonly { readonly name: string; readonly value: string }[] = [
  { name: 'Yellow', value: '#fde68a' },
  { name: 'Orange', value: '#fed7aa' },
  { name: 'Pink', value: '#fbcfe8' },
  { name: 'Purple', value: '#ddd6fe' },
  { name: 'Blue', value: '#bfdbfe' },
  { name: 'Green', value: '#bbf7d0' },
  { name: 'Grey', value: '#e5e7eb' },
  { name: 'White', value: '#ffffff' },
];

export const PERSONA_COLOURS: readonly { readonly name: string; readonly value: string }[] = [
  { name: 'Sky', value: '#0ea5e9' },
  { name: 'Orange', value: '#f97316' },
  { name: 'Violet', value: '#8b5cf6' },
  { name: 'Green', value: '#10b981' },
  { name: 'Red', value: '#ef4444' },
  { name: 'Amber', value: '#eab308' },
  { name: 'Pink', value: '#ec4899' },
  { name: 'Indigo', value: '#6366f1' },
];
