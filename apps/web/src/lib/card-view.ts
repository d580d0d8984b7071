import { cardMatchesFilter, type Card, type Evidence } from '@waymark/model';
import { EVIDENCE_LABELS } from './card-look';

/**
 * What one person has chosen to look at on the map: a persona, a tag and an evidence level,
 * each null for "all". It is theirs alone (never written to the map), and the filters combine:
 * a card shows only when it passes every one that is on.
 */
export interface CardView {
  readonly personaId: string | null;
  readonly tag: string | null;
  readonly evidence: Evidence | null;
}

export const WHOLE_MAP: CardView = { personaId: null, tag: null, evidence: null };

type ViewedCard = Pick<Card, 'stageId' | 'laneId' | 'personaIds' | 'tags' | 'evidence'>;

/** Whether the grid shows a card in this view. Untagged cards belong to every persona (`cardMatchesFilter`). */
export function cardInView(card: ViewedCard, view: CardView): boolean {
  return (
    (view.personaId === null || cardMatchesFilter(card, { personaId: view.personaId })) &&
    (view.tag === null || card.tags.includes(view.tag)) &&
    (view.evidence === null || card.evidence === view.evidence)
  );
}

export function isWholeMap(view: CardView): boolean {
  return view.personaId === null && view.tag === null && view.evidence === null;
}

/**
 * What a card added in this view is given so it shows where it was added instead of vanishing
 * behind the filters: the persona (if it still exists), the tag and the evidence level.
 */
export function newCardFields(
  view: CardView,
  personaExists: (id: string) => boolean,
): { personaIds: string[]; tags: string[]; evidence?: Evidence } {
  return {
    personaIds: view.personaId !== null && personaExists(view.personaId) ? [view.personaId] : [],
    tags: view.tag === null ? [] : [view.tag],
    ...(view.evidence === null ? {} : { evidence: view.evidence }),
  };
}

/** The filters that are on, in words: `persona Dana, tag “research”, evidence Assumed`. */
export function viewDescription(view: CardView, personaName: (id: string) => string | undefined): string {
  const parts: string[] = [];
  if (view.personaId !== null) parts.push(`persona ${personaName(view.personaId) ?? 'removed'}`);
  if (view.tag !== null) parts.push(`tag “${view.tag}”`);
  if (view.evidence !== null) parts.push(`evidence ${EVIDENCE_LABELS[view.evidence]}`);
  return parts.join(', ');
}

/** The tags on these cards, each once, alphabetically; the chosen tag stays listed after its last card drops it. */
export function tagsInUse(cards: Iterable<Pick<Card, 'tags'>>, chosen: string | null = null): string[] {
  const found = new Set<string>();
  for (const card of cards) for (const tag of card.tags) found.add(tag);
  if (chosen !== null) found.add(chosen);
  return [...found].sort((a, b) => a.localeCompare(b));
}
