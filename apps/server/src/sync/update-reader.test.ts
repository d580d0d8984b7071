import { addCard, addPersona, addStage, createMapFromTemplate, readCards, readStages, setStageMetrics } from '@waymark/model';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readUpdate, UpdateTooLargeError } from './update-reader.js';
import { writeUpdate } from './update-writer.js';

/** A map with every kind of content the model writes, then edited: overwrites, deletions, text. */
function busyUpdate(): Uint8Array {
  const doc = new Y.Doc();
  createMapFromTemplate(doc, { title: 'Reader', template: 'buyer-journey' });
  const [stage] = readStages(doc);
  const laneId = [...doc.getMap('lanes').keys()][0]!;
  const card = addCard(doc, { stageId: stage!.id, laneId, text: 'hello wörld 👋' });
  addPersona(doc, { name: 'Pat' });
  setStageMetrics(doc, stage!.id, { CSAT: 4.5, NPS: 'n/a' });
  addStage(doc, { name: 'Later' });
  doc.getMap('cards').delete(card);
  doc.getMap('binary').set('b', new Uint8Array([1, 2]));
  doc.getMap('binary').set('d', new Y.Doc());
  doc.getXmlFragment('xml').insert(0, [new Y.XmlElement('p')]);
  doc.getText('formatted').insert(0, 'bold', { bold: true });
  doc.getText('formatted').insertEmbed(4, { image: 'x' });
  return Y.encodeStateAsUpdate(doc);
}

describe('readUpdate', () => {
  it('reads what Yjs reads: the same structs, ids, lengths, parents and deletions', () => {
    const update = busyUpdate();
    const ours = readUpdate(update, Infinity);
    const theirs = Y.decodeUpdate(update);
    expect(ours.structs.map((s) => [s.kind, s.id.client, s.id.clock, s.length])).toEqual(
      theirs.structs.map((s) => [s instanceof Y.Item ? 'item' : s instanceof Y.GC ? 'gc' : 'skip', s.id.client, s.id.clock, s.length]),
    );
    const items = theirs.structs.filter((s): s is Y.Item => s instanceof Y.Item);
    const ourItems = ours.structs.filter((s) => s.kind === 'item');
    expect(
      ourItems.map((s) => [s.parentSub, typeof s.parent === 'string' ? s.parent : s.parent && [s.parent.client, s.parent.clock]]),
    ).toEqual(
      items.map((s) => [
        s.parentSub,
        typeof s.parent === 'string' ? s.parent : s.parent instanceof Y.ID ? [s.parent.client, s.parent.clock] : null,
      ]),
    );
    const deleted = [...theirs.ds.clients].flatMap(([client, ranges]) => ranges.map((r) => ({ client, clock: r.clock, length: r.len })));
    expect(ours.deletes).toEqual(deleted);
    expect(new Set(ourItems.map((s) => s.content.kind))).toEqual(
      new Set(['any', 'type', 'string', 'deleted', 'binary', 'doc', 'format', 'embed']),
    );
  });

  it('refuses an update that announces more parts than the limit, before building them', () => {
    // The attack frame: one client, four million one-character structs.
    const structs = 4_000_000;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarUint(encoder, structs);
    encoding.writeVarUint(encoder, 4242);
    encoding.writeVarUint(encoder, 0);
    // Only the header: the reader must give up before it needs the structs.
    const header = encoding.toUint8Array(encoder);
    expect(() => readUpdate(header, 100_000)).toThrow(UpdateTooLargeError);
    // Deleted ranges count too.
    const deletes = encoding.createEncoder();
    encoding.writeVarUint(deletes, 0);
    encoding.writeVarUint(deletes, 1);
    encoding.writeVarUint(deletes, 7);
    encoding.writeVarUint(deletes, 1_000_000);
    expect(() => readUpdate(encoding.toUint8Array(deletes), 100_000)).toThrow(UpdateTooLargeError);
    expect(readUpdate(busyUpdate(), 100_000).parts).toBeLessThan(1000);
  });

  it('refuses malformed bytes with an error, never a half-read result', () => {
    const update = busyUpdate();
    expect(() => readUpdate(update.slice(0, update.length - 3), Infinity)).toThrow();
    expect(() => readUpdate(Uint8Array.from([...update, 0]), Infinity)).toThrow(/trailing/);
    expect(() => readUpdate(Uint8Array.from([1, 1, 5, 0, 0x9f, 0, 0]), Infinity)).toThrow(/content reference/);
  });
});

describe('writeUpdate', () => {
  it('writes tombstones Yjs takes: the sender’s ranges exist, none of their content does', () => {
    const server = new Y.Doc();
    createMapFromTemplate(server, { title: 'Tombstones', template: 'blank' });
    const client = new Y.Doc();
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
    const before = Y.encodeStateVector(client);
    addStage(client, { name: 'Refused' });
    client.getMap('junk').set('x', 1);
    const refused = readUpdate(Y.encodeStateAsUpdate(client, before), Infinity);
    const tombstones = refused.structs.map((s) =>
      s.kind === 'item' && s.parent !== 'junk'
        ? {
            kind: 'item' as const,
            id: s.id,
            length: s.length,
            origin: s.origin,
            rightOrigin: s.rightOrigin,
            parent: s.parent,
            parentSub: s.parentSub,
          }
        : { kind: 'gc' as const, id: s.id, length: s.length },
    );
    Y.applyUpdate(server, writeUpdate(tombstones, []));
    expect(Y.encodeStateVector(server)).toEqual(Y.encodeStateVector(client));
    expect(readStages(server).map((s) => s.name)).not.toContain('Refused');
    expect(server.share.has('junk')).toBe(false);
    expect(readCards(server)).toEqual(readCards(client));
  });
});
