import {
  addAction,
  addCard,
  addComment,
  deleteComment,
  editComment,
  readActions,
  readCards,
  readComments,
  readMap,
  readStages,
  renameStage,
  replyToComment,
  setThreadResolved,
  spliceCardText,
  updateAction,
} from '@waymark/model';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createMap, tokenOf, waitFor, type Client, type CreatedMap } from '../support/clients.js';
import type { RunningServer } from '../support/server.js';
import { useServerTestBed } from '../support/test-bed.js';

/** Comments through the server: who may write, resolve, change and delete them, and what a comment may point at. */
describe('comments', () => {
  const bed = useServerTestBed();

  const join = (running: RunningServer, map: CreatedMap, role: keyof CreatedMap['links']): Promise<Client> =>
    bed.join(running.url, map.id, map.links[role]);
  const denials = (client: Client) =>
    client.said.filter((said) => said.kind === 'denied').map((said) => (said as { reason: string }).reason);
  const comment = (client: Client, id: string) => readComments(client.doc).find((c) => c.id === id);

  /** A map with a card and an action the owner made, seen by everyone who joins after. */
  async function setUp() {
    const running = await bed.start();
    const map = await createMap(running.url, { title: 'Checkout' });
    const owner = await join(running, map, 'owner');
    const { stages, lanes } = readMap(owner.doc);
    const cardId = addCard(owner.doc, { stageId: stages[0]!.id, laneId: lanes[0]!.id, text: 'Hidden fees' });
    const actionId = addAction(owner.doc, { title: 'Show fees early' });
    const stageId = stages[0]!.id;
    return { running, map, owner, cardId, actionId, stageId };
  }

  it('lets a commenter comment and reply, and nothing more', async () => {
    const { running, map, owner, cardId, actionId, stageId } = await setUp();
    const commenter = await join(running, map, 'commenter');
    await waitFor(() => readActions(commenter.doc).length === 1 && readCards(commenter.doc).length > 0, 'the map at the commenter');

    const first = addComment(
      commenter.doc,
      { kind: 'card', id: cardId },
      { text: '@Ben is this in the survey?', mentions: ['Ben'], author: 'Cleo' },
    );
    const onStage = addComment(commenter.doc, { kind: 'stage', id: stageId }, { text: 'Too broad a stage' });
    const onAction = addComment(commenter.doc, { kind: 'action', id: actionId }, { text: 'Who owns this?' });
    await waitFor(() => [first, onStage, onAction].every((id) => comment(owner, id)), 'the comments at the owner');
    expect(comment(owner, first)).toMatchObject({
      text: '@Ben is this in the survey?',
      mentions: ['Ben'],
      author: 'Cleo',
      resolved: false,
    });
    const reply = replyToComment(owner.doc, first, { text: 'Yes, question 4' });
    await waitFor(() => comment(commenter, reply) !== undefined, 'the reply at the commenter');
    // Its own comment is its own to change and resolve.
    editComment(commenter.doc, onStage, { text: 'Too broad a stage, split it?' });
    setThreadResolved(commenter.doc, first, true);
    await waitFor(
      () => comment(owner, onStage)?.text === 'Too broad a stage, split it?' && comment(owner, first)?.resolved === true,
      'the edits',
    );
    expect(denials(commenter)).toEqual([]);

    // Anything but comments is refused, said so, and undone on its device.
    spliceCardText(commenter.doc, cardId, { index: 0, remove: 0, insert: 'Sneaky ' });
    await waitFor(() => denials(commenter).length === 1, 'the card edit refused');
    expect(denials(commenter)[0]).toMatch(/your commenter link may not change a card's text/);
    renameStage(commenter.doc, stageId, 'Renamed by a commenter');
    await waitFor(() => denials(commenter).length === 2, 'the stage rename refused');
    updateAction(commenter.doc, actionId, { status: 'done' });
    await waitFor(() => denials(commenter).length === 3, 'the action edit refused');
    // Nothing of them reached the server: a late joiner reads the map as before.
    const late = await join(running, map, 'viewer');
    await waitFor(() => readComments(late.doc).length === 4, 'the map at a late viewer');
    expect(readCards(late.doc)[0]!.text).toBe('Hidden fees');
    expect(readStages(late.doc)[0]!.name).toBe(readStages(owner.doc)[0]!.name);
    expect(readActions(late.doc)[0]!.status).toBe('idea');
    // And the commenter's own copy is brought back in line.
    await waitFor(
      () =>
        readCards(commenter.doc)[0]?.text === 'Hidden fees' &&
        readStages(commenter.doc)[0]?.name === readStages(owner.doc)[0]?.name &&
        readActions(commenter.doc)[0]?.status === 'idea',
      'the refused edits undone at the commenter',
    );
    expect(readCards(owner.doc)[0]!.text).toBe('Hidden fees');
    expect(readStages(owner.doc)[0]!.name).not.toBe('Renamed by a commenter');
    expect(readActions(owner.doc)[0]!.status).toBe('idea');

    // A comment and a card edit in one update are one action, refused whole.
    commenter.doc.transact(() => {
      addComment(commenter.doc, { kind: 'card', id: cardId }, { text: 'Both at once' });
      commenter.doc.getMap<Y.Map<unknown>>('cards').get(cardId)!.set('colour', '#112233');
    });
    await waitFor(() => denials(commenter).length === 4, 'the colour refused');
    addComment(owner.doc, { kind: 'card', id: cardId }, { text: 'Marker' });
    await waitFor(() => readComments(late.doc).some((c) => c.text === 'Marker'), 'a later comment at the late viewer');
    expect(readComments(late.doc).some((c) => c.text === 'Both at once')).toBe(false);
    await waitFor(() => !readComments(commenter.doc).some((c) => c.text === 'Both at once'), 'the comment undone with it');
    expect(readComments(owner.doc).some((c) => c.text === 'Both at once')).toBe(false);
    expect(readCards(owner.doc)[0]!.colour).not.toBe('#112233');

    // A viewer still writes nothing, comments included: refused unread.
    const viewer = await join(running, map, 'viewer');
    addComment(viewer.doc, { kind: 'card', id: cardId }, { text: 'From a viewer' });
    await waitFor(() => denials(viewer).length === 1, 'the viewer refused');
    expect(denials(viewer)[0]).toMatch(/read-only/);
    expect(readComments(owner.doc).some((c) => c.text === 'From a viewer')).toBe(false);
  });

  it('lets a participant resolve anyone’s thread, but change or delete only its own comments', async () => {
    const { running, map, owner, cardId } = await setUp();
    const first = addComment(owner.doc, { kind: 'card', id: cardId }, { text: 'Owner says' });
    const participant = await join(running, map, 'participant');
    await waitFor(() => comment(participant, first) !== undefined, 'the comment at the participant');

    editComment(participant.doc, first, { text: 'Participant rewrote this' });
    await waitFor(() => denials(participant).length === 1, 'the edit refused');
    expect(denials(participant)[0]).toMatch(/may not change a comment someone else wrote/);
    // What the server holds, as anyone joining now reads it.
    const late = async () => {
      const viewer = await join(running, map, 'viewer');
      await waitFor(() => readCards(viewer.doc).length > 0, 'the map at a late viewer');
      return viewer;
    };
    expect(comment(await late(), first)?.text).toBe('Owner says');
    await waitFor(() => comment(participant, first)?.text === 'Owner says', 'the edit undone at the participant');
    deleteComment(participant.doc, first);
    await waitFor(() => denials(participant).length === 2, 'the deletion refused');
    expect(denials(participant)[1]).toMatch(/may not delete a comment someone else wrote/);
    expect(comment(await late(), first)?.text).toBe('Owner says');
    await waitFor(() => comment(participant, first) !== undefined, 'the deletion undone at the participant');

    setThreadResolved(participant.doc, first, true);
    await waitFor(() => comment(owner, first)?.resolved === true, 'resolved at the owner');
    setThreadResolved(participant.doc, first, false);
    await waitFor(() => comment(owner, first)?.resolved === false, 'reopened at the owner');

    // Its own reply is its own; the owner moderates anyone's.
    const reply = replyToComment(participant.doc, first, { text: 'Mine' });
    await waitFor(() => comment(owner, reply) !== undefined, 'the reply at the owner');
    editComment(participant.doc, reply, { text: 'Mine, edited' });
    await waitFor(() => comment(owner, reply)?.text === 'Mine, edited', 'the edited reply');
    deleteComment(owner.doc, reply);
    await waitFor(() => comment(participant, reply) === undefined, 'the reply deleted by the owner');
    expect(denials(participant)).toHaveLength(2);
    expect(denials(owner)).toEqual([]);
  });

  it('refuses a comment on nothing, an oversized or empty one, and moving a comment elsewhere', async () => {
    const { running, map, owner, cardId } = await setUp();
    const commenter = await join(running, map, 'commenter');
    await waitFor(() => readCards(commenter.doc).length > 0, 'the card at the commenter');
    const comments = commenter.doc.getMap<unknown>('comments');
    const raw = (id: string, fields: Record<string, unknown>) =>
      comments.set(id, new Y.Map(Object.entries({ targetKind: 'card', targetId: cardId, replyTo: '', text: 'fine', ...fields })));

    raw('nowhere', { targetId: 'no-such-card' });
    await waitFor(() => denials(commenter).length === 1, 'the comment on nothing refused');
    expect(denials(commenter)[0]).toMatch(/^a comment refers to a card the map does not have/);
    raw('wrongkind', { targetKind: 'stage' });
    await waitFor(() => denials(commenter).length === 2, 'a card id given as a stage refused');
    raw('orphan', { replyTo: 'no-such-comment' });
    await waitFor(() => denials(commenter).length === 3, 'a reply to nothing refused');
    raw('huge', { text: 'x'.repeat(4001) });
    await waitFor(() => denials(commenter).length === 4, 'the oversized comment refused');
    expect(denials(commenter)[3]).toMatch(/text of 1 to 4000 characters/);
    raw('blank', { text: '   ' });
    await waitFor(() => denials(commenter).length === 5, 'the blank comment refused');
    raw('extra', { secret: 'x' });
    await waitFor(() => denials(commenter).length === 6, 'an unknown field refused');
    await waitFor(() => comments.size === 0, 'every refused comment undone at the commenter');

    // What a comment is on is fixed once written, even for the owner.
    const id = addComment(owner.doc, { kind: 'card', id: cardId }, { text: 'On the card' });
    await waitFor(() => comment(commenter, id) !== undefined, 'the comment at the commenter');
    const stageId = readStages(owner.doc)[1]!.id;
    owner.doc.getMap<Y.Map<unknown>>('comments').get(id)!.set('targetId', stageId);
    await waitFor(() => denials(owner).length === 1, 'the move refused');
    expect(denials(owner)[0]).toMatch(/a comment's targetId cannot change/);
    const late = await join(running, map, 'viewer');
    await waitFor(() => comment(late, id) !== undefined, 'the comment at a late viewer');
    expect(comment(late, id)?.targetId).toBe(cardId);
    await waitFor(() => comment(owner, id)?.targetId === cardId, 'the move undone at the owner');

    expect(readComments(late.doc).map((c) => c.text)).toEqual(['On the card']);
  });

  it('names the people on the map for any link, without tokens', async () => {
    const { running, map, owner } = await setUp();
    const issue = async (label: string, extra: Record<string, unknown> = {}) => {
      const response = await fetch(`${running.url}/api/maps/${map.id}/links`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenOf(map.links.owner)}` },
        body: JSON.stringify({ role: 'participant', label, ...extra }),
      });
      expect(response.status).toBe(201);
      return (await response.json()) as { id: string; token: string };
    };
    await issue('Ben Ali', { personal: true });
    await issue('ben ali');
    const revoked = await issue('Gone Person');
    await fetch(`${running.url}/api/maps/${map.id}/links/${revoked.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${tokenOf(map.links.owner)}` },
    });
    await issue('Expired Person', { expiresAt: Date.now() + 300 });
    updateAction(owner.doc, readActions(owner.doc)[0]!.id, { owner: 'Dana' });
    const people = async (token: string) =>
      fetch(`${running.url}/api/maps/${map.id}/people`, { headers: { authorization: `Bearer ${token}` } });
    await waitFor(async () => {
      const answer = (await (await people(tokenOf(map.links.commenter))).json()) as { names: string[] };
      return JSON.stringify(answer) === JSON.stringify({ names: ['Ben Ali', 'Dana'] });
    }, 'the names, once the expiring link has expired and the action owner arrived');
    const body = await (await people(tokenOf(map.links.viewer))).text();
    expect(body).not.toMatch(/token|role|"id"/);
    expect((await people('not-a-token')).status).toBe(401);
    expect((await fetch(`${running.url}/api/maps/${map.id}/people`)).status).toBe(401);
  });
});
