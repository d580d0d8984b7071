import { describe, expect, it, vi } from 'vitest';
import { ActivityApi, decodeActivityEntry, decodeLastEdits, type ActivityEntry } from './activity-api';
import { authorName, cardHistoryLine, cardWords, editorName, summariseActivity, type MapLookup } from './activity-summary';

const MINUTE = 60_000;
const now = new Date(2027, 2, 10, 12, 0).getTime();

/** A map with two stages, one lane, one persona and three cards. */
const map: MapLookup = {
  card: (id) =>
    ({
      c1: { text: 'Waits on hold', stageId: 's1' },
      c2: { text: 'Calls again the next day, still angry about the bill', stageId: 's1' },
      c3: { text: '   ', stageId: 's2' },
    })[id],
  stage: (id) => ({ s1: { name: 'Awareness' }, s2: { name: 'Support' } })[id],
  lane: (id) => ({ l1: { title: 'Actions' } })[id],
  persona: (id) => ({ p1: { name: 'Maria' } })[id],
};

const entry = (fields: Partial<ActivityEntry>): ActivityEntry => ({
  startedAt: now - 2 * MINUTE,
  endedAt: now - MINUTE,
  person: 'Sam',
  link: 'Support team',
  role: 'participant',
  created: [],
  changed: [],
  deleted: [],
  ...fields,
});

describe('summariseActivity', () => {
  it('names cards by their first words and stage, and counts the rest', () => {
    expect(summariseActivity(entry({ created: ['cards/c1', 'cards/c2'], changed: ['meta/title'], deleted: ['stages/gone'] }), map)).toBe(
      'added 2 cards in Awareness (“Waits on hold” and “Calls again the next day, still…”), changed the title, deleted 1 stage',
    );
    expect(summariseActivity(entry({ created: ['cards/c1'] }), map)).toBe('added “Waits on hold” in Awareness');
    expect(summariseActivity(entry({ changed: ['cards/c3'] }), map)).toBe('changed an empty card in Support');
  });

  it('says "a card since deleted" for cards no longer on the map', () => {
    expect(summariseActivity(entry({ created: ['cards/gone'], changed: ['cards/gone2', 'cards/gone3'] }), map)).toBe(
      'added a card since deleted, changed 2 cards since deleted',
    );
    expect(summariseActivity(entry({ created: ['cards/c1', 'cards/gone'] }), map)).toBe(
      'added “Waits on hold” in Awareness, added a card since deleted',
    );
    expect(summariseActivity(entry({ deleted: ['cards/x', 'cards/y'] }), map)).toBe('deleted 2 cards');
  });

  it('tells stages, lanes, personas, the brief and the emotion curve', () => {
    expect(summariseActivity(entry({ created: ['stages/s2', 'lanes/l1'], changed: ['personas/p1', 'meta/goal', 'meta/title'] }), map)).toBe(
      'added the stage Support, added the lane Actions, changed the persona Maria, changed the goal and the title',
    );
    expect(summariseActivity(entry({ created: ['stages/s1', 'stages/s2', 'stages/old'] }), map)).toBe(
      'added 2 stages (Awareness and Support), added a stage since deleted',
    );
    expect(summariseActivity(entry({ changed: ['emotions/p1:s2:someone'] }), map)).toBe('set how Maria feels in Support');
    expect(summariseActivity(entry({ changed: ['emotions/p1:s1', 'emotions/p1:s2'] }), map)).toBe('set 2 emotion scores');
    expect(summariseActivity(entry({ changed: ['workshop'] }), map)).toBe('changed other parts of the map');
    expect(summariseActivity(entry({}), map)).toBe('made no lasting change');
  });

  it('counts actions, customer figures and comments, and names the insight settings', () => {
    expect(
      summariseActivity(
        entry({
          created: ['metrics/m1', 'metrics/m2', 'comments/c1'],
          changed: ['actions/a1', 'meta/scoreWeights', 'meta/valuePerCustomer'],
        }),
        map,
      ),
    ).toBe('added 2 figures, added 1 comment, changed 1 action, changed the score weights and the value per customer');
  });

  it('lists three names at most', () => {
    const many: MapLookup = { ...map, card: (id) => ({ text: `Card ${id}`, stageId: 's1' }) };
    expect(summariseActivity(entry({ created: ['cards/a', 'cards/b', 'cards/c', 'cards/d', 'cards/e'] }), many)).toBe(
      'added 5 cards in Awareness (“Card a”, “Card b”, “Card c” and 2 more)',
    );
  });
});

describe('names and lines', () => {
  it('names the editor with their link, or its role when it has no label', () => {
    expect(editorName({ person: 'Sam', link: 'Support team', role: 'participant' })).toBe('Sam (Support team)');
    expect(editorName({ person: null, link: null, role: 'editor' })).toBe('Someone (editor link)');
  });

  it('cuts long card text to its first words', () => {
    expect(cardWords('one two three four five six seven')).toBe('“one two three four five six…”');
    expect(cardWords('x'.repeat(60))).toBe(`“${'x'.repeat(48)}…”`);
  });

  it('says who last edited a card and when, else who added it', () => {
    const edit = { at: now - 3 * MINUTE, person: 'Sam', link: 'Support team', role: 'participant' };
    expect(cardHistoryLine(edit, 'Maria', now)).toMatchObject({ text: 'Last edited by Sam (Support team) · 3 minutes ago' });
    expect(cardHistoryLine(edit, null, now)?.title).toMatch(/2027/);
    expect(cardHistoryLine(undefined, 'Maria', now)).toEqual({ text: 'Added by Maria' });
    expect(cardHistoryLine(undefined, null, now)).toBeNull();
  });

  it('reads a card author as a name only when it is one', () => {
    const peers = [{ userId: 'Vx2kq9Lm0PzR4tYb8NcWd', name: 'Cleo' }];
    expect(authorName('me-123', 'me-123', peers)).toBe('you');
    expect(authorName('Vx2kq9Lm0PzR4tYb8NcWd', 'me', peers)).toBe('Cleo');
    expect(authorName('Ab3kq9Lm0PzR4tYb8NcWd', 'me', peers)).toBeNull();
    expect(authorName('maria', 'me', peers)).toBe('maria');
    expect(authorName('', 'me', peers)).toBeNull();
  });
});

describe('decoding activity', () => {
  const wire = {
    startedAt: 1,
    endedAt: 2,
    person: 'Sam',
    link: null,
    role: 'participant',
    created: ['cards/a', 3],
    changed: [],
    deleted: [],
  };

  it('keeps well-formed entries and drops what is not a record name', () => {
    expect(decodeActivityEntry(wire)).toEqual({ ...wire, created: ['cards/a'] });
    expect(decodeActivityEntry({ ...wire, endedAt: 'later' })).toBeNull();
    expect(decodeActivityEntry({ ...wire, created: 'cards/a' })).toBeNull();
    expect(decodeActivityEntry({ ...wire, person: '' })?.person).toBeNull();
  });

  it('reads last edits into a map, leaving out malformed ones, whatever the group is called', () => {
    const edits = decodeLastEdits(
      JSON.parse(
        '{"cards/a": {"at": 5, "person": "Sam", "link": "Support team", "role": "participant"}, "__proto__": {"at": 1, "person": null, "link": null, "role": "editor"}, "cards/b": {"at": "x"}}',
      ),
    );
    expect(edits?.get('cards/a')).toEqual({ at: 5, person: 'Sam', link: 'Support team', role: 'participant' });
    expect(edits?.get('__proto__')?.role).toBe('editor');
    expect(edits?.has('cards/b')).toBe(false);
    expect(decodeLastEdits([])).toBeNull();
  });

  it('asks with the link and sorts newest first; a refusal carries the server’s words', async () => {
    const send = vi.fn(async () => new Response(JSON.stringify([wire, { ...wire, endedAt: 9 }]), { status: 200 }));
    const answer = await new ActivityApi({ mapId: 'm 1', token: 'tok', send }).list(20);
    expect(answer.ok && answer.value.map((one) => one.endedAt)).toEqual([9, 2]);
    expect(send).toHaveBeenCalledWith('/api/maps/m%201/activity?limit=20', { method: 'GET', headers: { authorization: 'Bearer tok' } });
    const refused = vi.fn(async () => new Response(JSON.stringify({ error: 'no such map' }), { status: 404 }));
    expect(await new ActivityApi({ mapId: 'm', token: 't', send: refused }).lastEdits()).toEqual({
      ok: false,
      status: 404,
      error: 'no such map',
    });
    const down = vi.fn(async () => Promise.reject(new Error('offline')));
    expect(await new ActivityApi({ mapId: 'm', token: 't', send: down }).list()).toMatchObject({ ok: false, status: 0 });
  });
});
