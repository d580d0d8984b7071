import { describe, expect, it } from 'vitest';
import {
  cardInView,
  channelsInUse,
  departmentsInUse,
  isWholeMap,
  newCardFields,
  tagsInUse,
  viewDescription,
  WHOLE_MAP,
  type CardView,
} from './card-view';

const card = (fields: {
  tags?: string[];
  personaIds?: string[];
  evidence?: 'observed' | 'assumed' | 'proposed';
  channels?: string[];
  department?: string;
}) => ({
  stageId: 's1',
  laneId: 'l1',
  tags: fields.tags ?? [],
  personaIds: fields.personaIds ?? [],
  evidence: fields.evidence ?? 'assumed',
  channels: fields.channels ?? [],
  department: fields.department ?? '',
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

  it('shows under a channel only the cards in it, and under a department only that team’s cards', () => {
    const web = view({ channel: 'Web' });
    expect(cardInView(card({ channels: ['Phone', 'Web'] }), web)).toBe(true);
    expect(cardInView(card({ channels: ['Phone'] }), web)).toBe(false);
    expect(cardInView(card({}), web)).toBe(false);
    const support = view({ department: 'Support' });
    expect(cardInView(card({ department: 'Support' }), support)).toBe(true);
    expect(cardInView(card({ department: 'Sales' }), support)).toBe(false);
    expect(cardInView(card({}), support)).toBe(false);
    expect(isWholeMap(web)).toBe(false);
    expect(isWholeMap(support)).toBe(false);
    expect(cardInView(card({ channels: ['Web'], department: 'Sales' }), view({ channel: 'Web', department: 'Support' }))).toBe(false);
  });

  it('gives a card added under a channel or department view that channel and department', () => {
    const filtered = view({ channel: 'Web', department: 'Support', tag: 'research' });
    const fields = newCardFields(filtered, () => true);
    expect(fields).toEqual({ personaIds: [], tags: ['research'], channels: ['Web'], department: 'Support' });
    expect(cardInView(card(fields), filtered)).toBe(true);
    expect(newCardFields(WHOLE_MAP, () => true)).not.toHaveProperty('channels');
    expect(newCardFields(WHOLE_MAP, () => true)).not.toHaveProperty('department');
  });

  it('describes channel and department filters', () => {
    expect(viewDescription(view({ channel: 'Web', department: 'Support' }), () => undefined)).toBe('channel Web, department Support');
  });

  it('lists the channels and departments in use once each, keeping the chosen one', () => {
    const cards = [card({ channels: ['Web', 'Phone'], department: 'Support' }), card({ channels: ['Web'] }), card({ department: 'Sales' })];
    expect(channelsInUse(cards)).toEqual(['Phone', 'Web']);
    expect(channelsInUse(cards, 'Store')).toEqual(['Phone', 'Store', 'Web']);
    expect(departmentsInUse(cards)).toEqual(['Sales', 'Support']);
    expect(departmentsInUse(cards, 'Legal')).toEqual(['Legal', 'Sales', 'Support']);
    // Departments from the action plan join the suggestions; blanks never do.
    expect(departmentsInUse(cards, null, ['Billing', ' ', 'Support'])).toEqual(['Billing', 'Sales', 'Support']);
  });
});
