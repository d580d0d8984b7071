import { describe, expect, it } from 'vitest';
import { cardInView, isWholeMap, newCardFields, tagsInUse, viewDescription, WHOLE_MAP, type CardView } from './card-view';

const card = (fields: { tags?: string[]; personaIds?: string[]; evidence?: 'observed' | 'assumed' | 'proposed' }) => ({
  stageId: 's1',
  laneId: 'l1',
  tags: fields.tags ?? [],
  personaIds: fields.personaIds ?? [],
  evidence: fields.evidence ?? 'assumed',
});
const view = (fields: Partial<CardView>): CardView => ({ ...WHOLE_MAP, ...fields });

describe('card views', () => {
  it('shows every card in the whole map', () => {
    expect(cardInView(card({}), WHOLE_MAP)).toBe(true);
    expect(cardInView(card({ tags: ['research'], personaIds: ['dana'], evidence: 'observed' }), WHOLE_MAP)).toBe(true);
    expect(isWholeMap(WHOLE_MAP)).toBe(true);
    expect(isWholeMap(view({ tag: 'research' }))).toBe(false);
  });

  it('shows a persona its own cards and the untagged ones', () => {
    const dana = view({ personaId: 'dana' });
    expect(cardInView(card({ personaIds: ['dana'] }), dana)).toBe(true);
    expect(cardInView(card({}), dana)).toBe(true);
    expect(cardInView(card({ personaIds: ['eli'] }), dana)).toBe(false);
  });

  it('shows under a tag only the cards carrying it', () => {
    const research = view({ tag: 'research' });
    expect(cardInView(card({ tags: ['pricing', 'research'] }), research)).toBe(true);
    expect(cardInView(card({ tags: ['pricing'] }), research)).toBe(false);
    expect(cardInView(card({}), research)).toBe(false);
  });

  it('shows under an evidence level only the cards at that level', () => {
    expect(cardInView(card({ evidence: 'observed' }), view({ evidence: 'observed' }))).toBe(true);
    expect(cardInView(card({ evidence: 'assumed' }), view({ evidence: 'observed' }))).toBe(false);
  });

  it('combines the filters: a card must pass every one that is on', () => {
    const all = view({ personaId: 'dana', tag: 'research', evidence: 'assumed' });
    expect(cardInView(card({ personaIds: ['dana'], tags: ['research'], evidence: 'assumed' }), all)).toBe(true);
    expect(cardInView(card({ tags: ['research'], evidence: 'assumed' }), all)).toBe(true);
    expect(cardInView(card({ personaIds: ['eli'], tags: ['research'], evidence: 'assumed' }), all)).toBe(false);
    expect(cardInView(card({ personaIds: ['dana'], tags: ['pricing'], evidence: 'assumed' }), all)).toBe(false);
    expect(cardInView(card({ personaIds: ['dana'], tags: ['research'], evidence: 'proposed' }), all)).toBe(false);
  });

  it('gives a card added in a view what it needs to stay in it', () => {
    const exists = (id: string) => id === 'dana';
    expect(newCardFields(WHOLE_MAP, exists)).toEqual({ personaIds: [], tags: [] });
    const fields = newCardFields(view({ personaId: 'dana', tag: 'research', evidence: 'observed' }), exists);
    expect(fields).toEqual({ personaIds: ['dana'], tags: ['research'], evidence: 'observed' });
    expect(cardInView(card(fields), view({ personaId: 'dana', tag: 'research', evidence: 'observed' }))).toBe(true);
    // A persona deleted while it was the filter is not written onto new cards.
    expect(newCardFields(view({ personaId: 'gone' }), exists).personaIds).toEqual([]);
  });

  it('describes the filters that are on', () => {
    const names = (id: string) => (id === 'dana' ? 'Dana' : undefined);
    expect(viewDescription(view({ tag: 'research', evidence: 'assumed' }), names)).toBe('tag “research”, evidence Assumed');
    expect(viewDescription(view({ personaId: 'dana' }), names)).toBe('persona Dana');
    expect(viewDescription(WHOLE_MAP, names)).toBe('');
  });

  it('lists the tags in use once each, keeping the chosen one', () => {
    const cards = [card({ tags: ['research', 'pricing'] }), card({ tags: ['research'] }), card({})];
    expect(tagsInUse(cards)).toEqual(['pricing', 'research']);
    expect(tagsInUse(cards, 'onboarding')).toEqual(['onboarding', 'pricing', 'research']);
    expect(tagsInUse([], null)).toEqual([]);
  });
});
