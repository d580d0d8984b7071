import { describe, expect, it } from 'vitest';
import { cellChoice, parksOnKey, topicByline } from './parking-lot';

describe('the parking lot helpers', () => {
  const now = Date.UTC(2027, 2, 3, 12);

  it('says who parked a topic and when, and someone when nobody gave a name', () => {
    expect(topicByline({ id: 't', text: 'Pricing', by: 'Pat', at: now - 5 * 60_000 }, now)).toBe('Pat · 5 minutes ago');
    expect(topicByline({ id: 't', text: 'Pricing', by: '  ', at: now }, now)).toBe('Someone · just now');
  });

  it('parks on Enter alone, not on Shift+Enter or while composing', () => {
    expect(parksOnKey({ key: 'Enter', shiftKey: false, isComposing: false })).toBe(true);
    expect(parksOnKey({ key: 'Enter', shiftKey: true, isComposing: false })).toBe(false);
    expect(parksOnKey({ key: 'Enter', shiftKey: false, isComposing: true })).toBe(false);
    expect(parksOnKey({ key: 'a', shiftKey: false, isComposing: false })).toBe(false);
  });

  it('keeps the last cell while the map has it, else takes the first stage and lane', () => {
    const stages = [{ id: 's1' }, { id: 's2' }];
    const lanes = [{ id: 'l1' }, { id: 'l2' }];
    expect(cellChoice(stages, lanes, null)).toEqual({ stageId: 's1', laneId: 'l1' });
    expect(cellChoice(stages, lanes, { stageId: 's2', laneId: 'l2' })).toEqual({ stageId: 's2', laneId: 'l2' });
    expect(cellChoice(stages, lanes, { stageId: 'gone', laneId: 'l2' })).toEqual({ stageId: 's1', laneId: 'l2' });
    expect(cellChoice([], lanes, null)).toBeNull();
    expect(cellChoice(stages, [], null)).toBeNull();
  });
});
