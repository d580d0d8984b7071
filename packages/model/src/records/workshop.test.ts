import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { agendaFinished, readWorkshop, timerRemaining, type AgendaItem } from './workshop.js';

describe('readWorkshop', () => {
  it('reads nothing as an empty workshop, and skips what is malformed', () => {
    const doc = new Y.Doc();
    expect(readWorkshop(doc)).toEqual({
      facilitator: null,
      agenda: [],
      currentItemId: null,
      timer: { state: 'stopped' },
      locked: false,
      runs: [],
      parkingLot: [],
      gatheredAt: null,
    });
    const map = doc.getMap('workshop');
    map.set('facilitator', { seat: 's', name: 'Ana', since: 1 });
    map.set('agenda', [
      { id: 'a', title: 'Goals', minutes: 5 },
      { id: 'b', title: 'Bad', minutes: 'five' },
      { id: 'c', title: 'Stage', minutes: 10, focus: { kind: 'stage', id: 's1' } },
      null,
    ]);
    map.set('timer', { state: 'paused', remainingMs: -5 });
    map.set('locked', 'yes');
    map.set('runs', [{ itemId: 'a', startedAt: 1, endedAt: null }, { itemId: 3 }]);
    map.set('parkingLot', [
      { id: 'p1', text: 'Pricing page', by: 'Sam', at: 2 },
      { id: 'p2', text: 7 },
    ]);
    const workshop = readWorkshop(doc);
    expect(workshop.facilitator).toEqual({ seat: 's', name: 'Ana', since: 1, clientId: null });
    expect(workshop.agenda.map((item) => [item.id, item.focus])).toEqual([
      ['a', { kind: 'map', id: null }],
      ['c', { kind: 'stage', id: 's1' }],
    ]);
    expect(workshop.timer).toEqual({ state: 'paused', remainingMs: 0 });
    expect(workshop.locked).toBe(false);
    expect(workshop.runs).toEqual([{ itemId: 'a', startedAt: 1, endedAt: null }]);
    expect(workshop.parkingLot).toEqual([{ id: 'p1', text: 'Pricing page', by: 'Sam', at: 2 }]);
  });

  it("reads the facilitator's page and the last gathering only when they are well-formed", () => {
    const doc = new Y.Doc();
    const map = doc.getMap('workshop');
    map.set('facilitator', { seat: 's', name: 'Ana', since: 1, clientId: 4_000_000_000 });
    map.set('gatheredAt', 1234);
    expect(readWorkshop(doc)).toMatchObject({ facilitator: { clientId: 4_000_000_000 }, gatheredAt: 1234 });
    for (const clientId of [-1, 1.5, 2 ** 32, '7', null]) {
      map.set('facilitator', { seat: 's', name: 'Ana', since: 1, clientId });
      expect(readWorkshop(doc).facilitator?.clientId).toBeNull();
    }
    map.set('gatheredAt', 'now');
    expect(readWorkshop(doc).gatheredAt).toBeNull();
  });

  it('tells the time left, running over as negative', () => {
    expect(timerRemaining({ state: 'running', endsAt: 1000 }, 400)).toBe(600);
    expect(timerRemaining({ state: 'running', endsAt: 1000 }, 1300)).toBe(-300);
    expect(timerRemaining({ state: 'paused', remainingMs: 250 }, 99)).toBe(250);
    expect(timerRemaining({ state: 'stopped' }, 99)).toBeNull();
  });

  it('calls the agenda finished once every item was reached and none is under way', () => {
    const item = (id: string): AgendaItem => ({ id, title: id, minutes: 5, focus: { kind: 'map', id: null } });
    const agenda = [item('a'), item('b')];
    const run = (itemId: string, endedAt: number | null = 2) => ({ itemId, startedAt: 1, endedAt });
    expect(agendaFinished({ agenda, runs: [], currentItemId: null })).toBe(false);
    expect(agendaFinished({ agenda, runs: [run('a')], currentItemId: null })).toBe(false);
    expect(agendaFinished({ agenda, runs: [run('a'), run('b', null)], currentItemId: 'b' })).toBe(false);
    expect(agendaFinished({ agenda, runs: [run('a'), run('b')], currentItemId: null })).toBe(true);
    // Runs of items no longer on the agenda do not finish a new one.
    expect(agendaFinished({ agenda: [item('c')], runs: [run('a'), run('b')], currentItemId: null })).toBe(false);
    expect(agendaFinished({ agenda: [], runs: [run('a')], currentItemId: null })).toBe(false);
  });
});
