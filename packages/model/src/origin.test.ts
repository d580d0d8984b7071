import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  defaultLocalOrigin,
  importOrigin,
  isOrigin,
  localOrigin,
  migrationOrigin,
  originUserId,
  remoteOrigin,
  serverOrigin,
} from './origin.js';
import { addStage } from './writes/stages.js';

describe('origin constructors', () => {
  it('build each kind of the union', () => {
    expect(localOrigin('u1')).toEqual({ kind: 'local', userId: 'u1' });
    expect(localOrigin()).toEqual({ kind: 'local' });
    expect(remoteOrigin('c1')).toEqual({ kind: 'remote', connectionId: 'c1' });
    expect(serverOrigin()).toEqual({ kind: 'server' });
    expect(migrationOrigin('m1')).toEqual({ kind: 'migration', id: 'm1' });
    expect(importOrigin()).toEqual({ kind: 'import' });
    expect(Object.isFrozen(localOrigin('u1'))).toBe(true);
  });

  it('exposes the local user id only for local origins', () => {
    expect(originUserId(localOrigin('u1'))).toBe('u1');
    expect(originUserId(serverOrigin())).toBeUndefined();
  });
});

describe('isOrigin', () => {
  it('accepts every constructed origin', () => {
    for (const origin of [
      localOrigin('u'),
      localOrigin(),
      remoteOrigin(),
      remoteOrigin('c'),
      serverOrigin(),
      migrationOrigin('m'),
      importOrigin(),
    ]) {
      expect(isOrigin(origin)).toBe(true);
    }
  });

  it('rejects what Yjs may hand observers from other writers', () => {
    for (const other of [
      null,
      undefined,
      'local',
      42,
      {},
      { kind: 'robot' },
      { kind: 'migration' },
      { kind: 'local', userId: 5 },
      { kind: 'remote', connectionId: {} },
    ]) {
      expect(isOrigin(other)).toBe(false);
    }
  });
});

describe('origins on transactions', () => {
  it('tags writes with the given origin, or the default local one', () => {
    const doc = new Y.Doc();
    const seen: unknown[] = [];
    doc.on('afterTransaction', (transaction: Y.Transaction) => seen.push(transaction.origin));
    const mine = localOrigin('u1');
    addStage(doc, { name: 'A' }, mine);
    addStage(doc, { name: 'B' });
    expect(seen).toEqual([mine, defaultLocalOrigin]);
    expect(seen[0]).toBe(mine); // identity matters to Y.UndoManager's trackedOrigins
  });
});
