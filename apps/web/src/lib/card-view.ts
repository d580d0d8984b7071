import { cardMatchesFilter, type Card, type Evidence } from '@waymark/model';
import { EVIDENCE_LABELS } from './card-look';

/**
 * What one person has chosen to look at on the map: a persona, a tag, an evidence level, a
 * channel and a department, each null for "all". It is theirs alone (never written to the map), and the filters combine:
 * a card shows only when it passes every one that is on.
 */
export interface CardView {
  readonly personaId: string | null;
  readonly tag: string | null;
  readonly evidence: Evidence | null;
  readonly channel: string | null;
  readonly department: string | null;
}

export const WHOLE_MAP: CardView = { personaId: null, tag: null, evidence: null, channel: null, department: null };

type ViewedCard = Pick<Card, 'stageId' | 'laneId' | 'personaIds' | 'tags' | 'evidence' | 'channels' | 'department'>;

/** Whether the grid shows a card in this view. Untagged cards belong to every persona (`cardMatchesFilter`). */
export function cardInView(card: ViewedCard, view: CardView): boolean {
  return (
    (view.personaId === null || cardMatchesFilter(card, { personaId: view.personaId })) &&
    (view.tag === null || card.tags.includes(view.tag)) &&
    (view.evidence === null || card.evidence === view.evidence) &&
    (view.channel === null || card.channels.includes(view.channel)) &&
    (view.department === null || card.department === view.department)
  );
}

export function isWholeMap(view: CardView): boolean {
  return view.personaId === null && view.tag === null && view.evidence === null && view.channel === null && view.department === null;
}

export interface NewCardFields {
  personaIds: string[];
  tags: string[];
  evidence?: Evidence;
  channels?: string[];
  department?: string;
}

/**
 * What a card added in this view is given so it shows where it was added instead of vanishing
 * behind the filters: the persona (if it still exists), the tag, the evidence level, the channel
 * and the department.
 */
export function newCardFields(view: CardView, personaExists: (id: string) => boolean): NewCardFields {
  return {
    personaIds: view.personaId !== null && personaExists(view.personaId) ? [view.personaId] : [],
    tags: view.tag === null ? [] : [view.tag],
    ...(view.evidence === null ? {} : { evidence: view.evidence }),
    ...(view.channel === null ? {} : { channels: [view.channel] }),
    ...(view.department === null ? {} : { department: view.department }),
  };
}

/** The filters that are on, in words: `persona Dana, tag “research”, evidence Assumed`. */
export function viewDescription(view: CardView, personaName: (id: string) => string | undefined): string {
  const parts: string[] = [];
  if (view.personaId !== null) parts.push(`persona ${personaName(view.personaId) ?? 'removed'}`);
  if (view.tag !== null) parts.push(`tag “${view.tag}”`);
  if (view.evidence !== null) parts.push(`evidence ${EVIDENCE_LABELS[view.evidence]}`);
  if (view.channel !== null) parts.push(`channel ${view.channel}`);
  if (view.department !== null) parts.push(`department ${view.department}`);
  return parts.join(', ');
}

/** The tags on these cards, each once, alphabetically; the chosen tag stays listed after its last card drops it. */
export function tagsInUse(cards: Iterable<Pick<Card, 'tags'>>, chosen: string | null = null): string[] {
  const found = new Set<string>();
  for (const card of cards) for (const tag of card.tags) found.add(tag);
  if (chosen !== null) found.add(chosen);
  return [...found].sort((a, b) => a.localeCompare(b));
}

/** The channels on these cards, each once, alphabetically; the chosen one stays listed after its last card drops it. */
export function channelsInUse(cards: Iterable<Pick<Card, 'channels'>>, chosen: string | null = null): string[] {
  const found = new Set<string>();
  for (const card of cards) for (const channel of card.channels) found.add(channel);
  if (chosen !== null) found.add(chosen);
  return [...found].sort((a, b) => a.localeCompare(b));
}

/**
 * The departments named on these cards (and, for suggestions, on the action plan), each once,
 * alphabetically; the chosen one stays listed after its last card drops it.
 */
export function departmentsInUse(
  cards: Iterable<Pick<Card, 'department'>>,
  chosen: string | null = null,
  more: Iterable<string> = [],
): string[] {
  const found = new Set<string>();
  for (const card of cards) if (card.department !== '') found.add(card.department);
  for (const name of more) if (name.trim() !== '') found.add(name.trim());
  if (chosen !== null) found.add(chosen);
  return [...found].sort((a, b) => a.localeCompare(b));
}
