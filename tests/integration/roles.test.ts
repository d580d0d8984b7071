import {
  addCard,
  addComment,
  addLane,
  addPersona,
  addStage,
  deleteCard,
  deletePersona,
  deleteStage,
  moveCard,
  moveStage,
  readCards,
  readComments,
  readEmotions,
  readLanes,
  readMap,
  readMeta,
  readPersonas,
  readStages,
  renameStage,
  setEmotion,
  setMeta,
  spliceCardText,
  updateCard,
} from '@waymark/model';
import { beforeEach, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { connect, createMap, synced, tokenOf, waitFor, type Client, type CreatedMap } from '../support/clients.js';
import type { RunningServer } from '../support/server.js';
import { useServerTestBed } from '../support/test-bed.js';

type Role = 'owner' | 'editor' | 'participant' | 'commenter' | 'viewer';
const ROLES: Role[] = ['owner', 'editor', 'participant', 'commenter', 'viewer'];

/** What the owner set up before the actor acts: ids the rows need. */
interface Fixture {
  stageId: string;
  lastStageId: string;
  laneId: string;
  cardId: string;
  personaId: string;
}

interface Row {
  what: string;
  /** Roles that may do it. */
  allowed: Role[];
  /** Runs on the actor's document (after anything `prepare` needed to be seen by others). */
  act(doc: Y.Doc, f: Fixture, prepared: string | undefined): void;
  /** Whether the change shows in a document. */
  shows(doc: Y.Doc, f: Fixture, prepared: string | undefined): boolean;
  /** Something the actor does first and others must see before `act` (an allowed change). */
  prepare?(doc: Y.Doc, f: Fixture): string;
}

const WRITERS: Role[] = ['owner', 'editor'];
const CARD_PEOPLE: Role[] = ['owner', 'editor', 'participant'];
const COMMENTERS: Role[] = ['owner', 'editor', 'participant', 'commenter'];

const rows: Row[] = [
  {
    what: 'set the title',
    allowed: WRITERS,
    act: (d) => setMeta(d, { title: 'Row title' }),
    shows: (d) => readMeta(d).title === 'Row title',
  },
  { what: 'set the goal', allowed: WRITERS, act: (d) => setMeta(d, { goal: 'Row goal' }), shows: (d) => readMeta(d).goal === 'Row goal' },
  {
    what: 'add a stage',
    allowed: WRITERS,
    act: (d) => void addStage(d, { name: 'Row stage' }),
    shows: (d) => readStages(d).some((s) => s.name === 'Row stage'),
  },
  {
    what: 'rename a stage',
    allowed: WRITERS,
    act: (d, f) => renameStage(d, f.stageId, 'Renamed'),
    shows: (d) => readStages(d).some((s) => s.name === 'Renamed'),
  },
  {
    what: 'reorder stages',
    allowed: WRITERS,
    act: (d, f) => moveStage(d, f.stageId, { after: f.lastStageId }),
    shows: (d, f) => readStages(d).at(-1)?.id === f.stageId,
  },
  {
    what: 'delete a stage',
    allowed: WRITERS,
    act: (d, f) => deleteStage(d, f.lastStageId),
    shows: (d, f) => !readStages(d).some((s) => s.id === f.lastStageId),
  },
  {
    what: 'add a lane',
    allowed: WRITERS,
    act: (d) => void addLane(d, { title: 'Row lane', kind: 'notes' }),
    shows: (d) => readLanes(d).some((l) => l.title === 'Row lane'),
  },
  {
    what: 'add a persona',
    allowed: WRITERS,
    act: (d) => void addPersona(d, { name: 'Row persona' }),
    shows: (d) => readPersonas(d).some((p) => p.name === 'Row persona'),
  },
  {
    what: 'delete a persona',
    allowed: WRITERS,
    act: (d, f) => deletePersona(d, f.personaId),
    shows: (d, f) => !readPersonas(d).some((p) => p.id === f.personaId),
  },
  {
    what: 'add a card',
    allowed: CARD_PEOPLE,
    act: (d, f) => void addCard(d, { stageId: f.stageId, laneId: f.laneId, text: 'Row card' }),
    shows: (d) => readCards(d).some((c) => c.text === 'Row card'),
  },
  {
    what: 'type into a card',
    allowed: CARD_PEOPLE,
    act: (d, f) => spliceCardText(d, f.cardId, { index: 0, remove: 0, insert: 'Typed ' }),
    shows: (d, f) =>
      readCards(d)
        .find((c) => c.id === f.cardId)
        ?.text.startsWith('Typed ') ?? false,
  },
  {
    what: 'move a card',
    allowed: CARD_PEOPLE,
    act: (d, f) => moveCard(d, f.cardId, { stageId: f.lastStageId, laneId: f.laneId }),
    shows: (d, f) => readCards(d).find((c) => c.id === f.cardId)?.stageId === f.lastStageId,
  },
  {
    what: 'colour, tag and attribute a card',
    allowed: CARD_PEOPLE,
    act: (d, f) => updateCard(d, f.cardId, { colour: '#bfdbfe', tags: ['row'], evidence: 'observed', personaIds: [f.personaId] }),
    shows: (d, f) =>
      readCards(d)
        .find((c) => c.id === f.cardId)
        ?.tags.includes('row') ?? false,
  },
  {
    what: 'delete someone else’s card',
    allowed: WRITERS,
    act: (d, f) => deleteCard(d, f.cardId),
    shows: (d, f) => !readCards(d).some((c) => c.id === f.cardId),
  },
  {
    what: 'delete a card of their own',
    allowed: CARD_PEOPLE,
    prepare: (d, f) => addCard(d, { stageId: f.stageId, laneId: f.laneId, text: 'Mine' }),
    act: (d, f, id) => deleteCard(d, id ?? f.cardId),
    shows: (d, f, id) => !readCards(d).some((c) => c.id === (id ?? f.cardId)),
  },
  {
    what: 'set the agreed emotion curve',
    allowed: WRITERS,
    act: (d, f) => setEmotion(d, { personaId: f.personaId, stageId: f.stageId, score: 3 }),
    shows: (d, f) => readEmotions(d).some((e) => e.personaId === f.personaId && e.score === 3),
  },
  {
    what: 'rate their own emotion',
    allowed: CARD_PEOPLE,
    act: (d, f) => setEmotion(d, { personaId: f.personaId, stageId: f.stageId, participantId: 'me', score: -2 }),
    shows: (d, f) => readEmotions(d).some((e) => e.personaId === f.personaId && e.participants['me'] === -2),
  },
  {
    what: 'comment on a card',
    allowed: COMMENTERS,
    act: (d, f) => void addComment(d, { kind: 'card', id: f.cardId }, { text: 'Row comment' }),
    shows: (d) => readComments(d).some((c) => c.text === 'Row comment'),
  },
  {
    what: 'write a server-owned field (schemaVersion)',
    allowed: [],
    act: (d) => d.getMap('meta').set('schemaVersion', 'garbage'),
    shows: (d) => d.getMap('meta').get('schemaVersion') === 'garbage',
  },
];

const denials = (client: Client) => client.said.filter((said) => said.kind === 'denied');

describe('the role table, enforced on every update', () => {
  const bed = useServerTestBed();
  let running: RunningServer;
  beforeEach(async () => {
    running = await bed.start();
  });

  /** A fresh map with the records the rows act on, and an owner client watching it. */
  async function setUp(): Promise<{ map: CreatedMap; owner: Client; f: Fixture }> {
    const map = await createMap(running.url, { template: 'buyer-journey' });
    const owner = connect(running.url, map.id, tokenOf(map.links.owner));
    bed.clients.push(owner);
    await synced(owner);
    const stages = readStages(owner.doc);
    const laneId = readLanes(owner.doc).find((l) => l.kind !== 'emotions')!.id;
    const personaId = addPersona(owner.doc, { name: 'Pat' });
    const cardId = addCard(owner.doc, { stageId: stages[0]!.id, laneId, text: 'Owner card' });
    return { map, owner, f: { stageId: stages[0]!.id, lastStageId: stages.at(-1)!.id, laneId, cardId, personaId } };
  }

  const cases = rows.flatMap((row) => ROLES.map((role) => [row.what, role, row] as const));

  it.each(cases)('%s as %s', async (_what, role, row) => {
    const { map, owner, f } = await setUp();
    const actor = connect(running.url, map.id, tokenOf(map.links[role]));
    bed.clients.push(actor);
    await synced(actor);
    await waitFor(
      () => readCards(actor.doc).some((c) => c.id === f.cardId) && readPersonas(actor.doc).length > 0,
      'the fixture at the actor',
    );
    let prepared: string | undefined;
    // Only someone who may add cards has a card of their own to delete.
    if (row.prepare && CARD_PEOPLE.includes(role)) {
      prepared = row.prepare(actor.doc, f);
      await waitFor(() => readCards(owner.doc).some((c) => c.id === prepared), 'the prepared card at the owner');
    }
    row.act(actor.doc, f, prepared);
    expect(row.shows(actor.doc, f, prepared)).toBe(true);

    if (row.allowed.includes(role)) {
      await waitFor(() => row.shows(owner.doc, f, prepared), `the change at the owner`);
      expect(denials(actor)).toEqual([]);
      return;
    }
    await waitFor(() => denials(actor).length > 0, 'the refusal');
    // A change after the refused one, from someone else, reaches the actor: by then anything of
    // the refused change that was going to reach the owner would have.
    addStage(owner.doc, { name: 'Marker' });
    await waitFor(() => readStages(actor.doc).some((s) => s.name === 'Marker'), 'the marker at the actor');
    expect(row.shows(owner.doc, f, prepared)).toBe(false);
    const late = connect(running.url, map.id, tokenOf(map.links.viewer));
    bed.clients.push(late);
    await synced(late);
    expect(row.shows(late.doc, f, prepared)).toBe(false);
    if (role === 'viewer') {
      // A read-only link is refused unread: its own copy keeps the change, as before.
      expect(denials(actor)[0]!.reason).toMatch(/read-only/);
      return;
    }
    // A writing role is brought back in line: the change is undone on its side too.
    expect(denials(actor)[0]!.reason).toMatch(/undone on your device/);
    await waitFor(() => !row.shows(actor.doc, f, prepared), 'the change undone at the actor');
    await waitFor(
      () => JSON.stringify(readMap(actor.doc)) === JSON.stringify(readMap(owner.doc)),
      'the actor to read the same map as the owner',
    );
  });
});
