import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { missingDependency } from './update-dependencies.js';
import { readUpdate } from './update-reader.js';

const check = (server: Y.Doc, update: Uint8Array) => missingDependency(server, readUpdate(update, Infinity));

describe('missingDependency', () => {
  it('accepts updates whose history the server has', () => {
    const server = new Y.Doc();
    const client = new Y.Doc();
    client.getText('t').insert(0, 'hello');
    expect(check(server, Y.encodeStateAsUpdate(client))).toBeNull();
    Y.applyUpdate(server, Y.encodeStateAsUpdate(client));
    const before = Y.encodeStateVector(client);
    client.getText('t').insert(2, 'XX');
    client.getText('t').delete(0, 1);
    expect(check(server, Y.encodeStateAsUpdate(client, before))).toBeNull();
  });

  it('refuses an update that skips part of its author’s history', () => {
    const server = new Y.Doc();
    const client = new Y.Doc();
    client.getText('t').insert(0, 'first');
    const before = Y.encodeStateVector(client);
    client.getText('t').insert(5, ' second');
    expect(check(server, Y.encodeStateAsUpdate(client, before))).toMatch(/does not have/);
  });

  it('refuses an update that builds on a third party’s content the server lacks', () => {
    const server = new Y.Doc();
    const other = new Y.Doc();
    other.getText('t').insert(0, 'from someone else');
    const client = new Y.Doc();
    Y.applyUpdate(client, Y.encodeStateAsUpdate(other));
    const before = Y.encodeStateVector(client);
    client.getText('t').insert(4, '!');
    expect(check(server, Y.encodeStateAsUpdate(client, before))).toMatch(/refers to content/);
  });

  it('refuses deleting content the server lacks', () => {
    const server = new Y.Doc();
    const client = new Y.Doc();
    client.getText('t').insert(0, 'abc');
    const before = Y.encodeStateVector(client);
    client.getText('t').delete(0, 2);
    const update = Y.encodeStateAsUpdate(client, before);
    expect(check(server, update)).toMatch(/deletes content/);
  });

  it('refuses merged updates with gaps', () => {
    const client = new Y.Doc();
    const updates: Uint8Array[] = [];
    client.on('update', (u: Uint8Array) => updates.push(u));
    client.getText('t').insert(0, 'a');
    client.getText('t').insert(1, 'b');
    client.getText('t').insert(2, 'c');
    const withGap = Y.mergeUpdates([updates[0]!, updates[2]!]);
    expect(check(new Y.Doc(), withGap)).toMatch(/gap/);
  });
});
