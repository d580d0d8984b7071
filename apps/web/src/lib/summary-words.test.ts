import { describe, expect, it } from 'vitest';
import type { SummaryRound } from './summary-api';
import { actualLabel, agendaVerdict, cardWhere, roundHeading, sessionWindow, voterNames } from './summary-words';

const round: SummaryRound = {
  kind: 'vote',
  scope: 'pain points',
  anonymous: false,
  people: 2,
  revealedAt: 5,
  cards: [{ text: 'Slow checkout', stage: 'Pay', lane: 'Pains', votes: 3, voters: ['Ana', 'Bo', 'Ana'] }],
};

describe('the summary in words', () => {
  it('says how each agenda item went against its timebox', () => {
    const line = { title: 'A', plannedMinutes: 10, actualMinutes: 10, running: false };
    expect(agendaVerdict(line)).toBe('on time');
    expect(agendaVerdict({ ...line, actualMinutes: 12 })).toBe('2 min over');
    expect(agendaVerdict({ ...line, actualMinutes: 7, running: true })).toBe('under way, 3 min under');
    expect(agendaVerdict({ ...line, actualMinutes: null })).toBe('not reached');
    expect(actualLabel({ ...line, actualMinutes: 3, running: true })).toBe('3 min so far');
    expect(actualLabel({ ...line, actualMinutes: null })).toBeNull();
  });

  it('heads each round with what it was and who took part', () => {
    expect(roundHeading(round)).toBe('Dot vote on pain points: 2 people voted');
    expect(roundHeading({ ...round, anonymous: true, people: 1 })).toBe('Dot vote on pain points (anonymous): 1 person voted');
    expect(roundHeading({ ...round, kind: 'brainstorm', scope: 'lane "Ideas"' })).toBe(
      'Silent brainstorm on lane "Ideas": 1 card from 2 people',
    );
    expect(voterNames(['Ana', 'Bo', 'Ana'])).toBe('Ana (2), Bo');
    expect(cardWhere(round.cards[0]!)).toBe('Pay / Pains; voted for by Ana (2), Bo');
    expect(cardWhere({ ...round.cards[0]!, voters: null })).toBe('Pay / Pains');
  });

  it('gives the session’s time window, with the date again past midnight', () => {
    expect(sessionWindow(Date.UTC(2025, 4, 12, 10, 2), Date.UTC(2025, 4, 12, 11, 15), 'UTC')).toBe('12 May 2025, 10:02 to 11:15');
    expect(sessionWindow(Date.UTC(2025, 4, 12, 23, 50), Date.UTC(2025, 4, 13, 0, 40), 'UTC')).toBe(
      '12 May 2025, 23:50 to 13 May 2025, 00:40',
    );
  });
});
