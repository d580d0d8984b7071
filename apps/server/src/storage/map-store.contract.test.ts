import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useTestPostgres } from '../../../../tests/support/embedded-postgres.js';
import { MapExistsError, UnknownMapError, type MapStore } from './map-store.js';
import { MemoryMapStore } from './memory-store.js';
import { PostgresMapStore } from './postgres-store.js';
import { SqliteMapStore } from './sqlite-store.js';

interface StoreFixture {
  store: MapStore;
  /** Closes the store and opens it again on the same data, where the store has data to keep. */
  reopen(): Promise<MapStore>;
  dispose(): Promise<void>;
}

/** One PostgreSQL server for this file; each test gets a database of its own on it. */
const postgres = useTestPostgres();

/** Opens a store on fresh data; `skip` reports the test skipped, with why, where its store cannot run here. */
const implementations: Record<string, (skip: (reason: string) => void) => StoreFixture | Promise<StoreFixture>> = {
  memory: () => {
    const store = new MemoryMapStore();
    return { store, reopen: async () => store, dispose: () => store.close() };
  },
  sqlite: () => {
    const dir = mkdtempSync(join(tmpdir(), 'waymark-store-'));
    const file = join(dir, 'waymark.db');
    let current: MapStore = new SqliteMapStore({ file });
    return {
      get store() {
        return current;
      },
      reopen: async () => {
        await current.close();
        current = new SqliteMapStore({ file });
        return current;
      },
      dispose: async () => {
        await current.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  postgres: async (skip) => {
    const connectionString = await postgres.database(skip);
    let current = new PostgresMapStore({ connectionString });
    return {
      get store() {
        return current;
      },
      reopen: async () => {
        await current.close();
        current = new PostgresMapStore({ connectionString });
        return current;
      },
      dispose: () => current.close(),
    };
  },
};

const bytes = (...values: number[]) => new Uint8Array(values);

describe.each(Object.entries(implementations))('MapStore contract: %s', (_name, open) => {
  let fixture: StoreFixture;
  beforeEach(async (context) => {
    fixture = await open((reason) => context.skip(reason));
  });
  // Unset when the test was skipped before its store opened.
  afterEach(() => fixture?.dispose());

  it('creates a map whose initial state loads back as the snapshot', async () => {
    await fixture.store.createMap('a', bytes(1, 2, 3), 1000);
    expect(await fixture.store.hasMap('a')).toBe(true);
    expect(await fixture.store.hasMap('b')).toBe(false);
    const loaded = await fixture.store.load('a');
    expect(Array.from(loaded.snapshot ?? [])).toEqual([1, 2, 3]);
    expect(loaded.updates).toEqual([]);
    expect(loaded.logBytes).toBe(0);
  });

  it('refuses to create a map twice and keeps the first', async () => {
    await fixture.store.createMap('a', bytes(1), 1);
    await expect(fixture.store.createMap('a', bytes(2), 2)).rejects.toBeInstanceOf(MapExistsError);
    expect(Array.from((await fixture.store.load('a')).snapshot ?? [])).toEqual([1]);
  });

  it('rejects loading, appending to and compacting an unknown map', async () => {
    await expect(fixture.store.load('nope')).rejects.toBeInstanceOf(UnknownMapError);
    await expect(fixture.store.appendUpdates('nope', [bytes(1)])).rejects.toBeInstanceOf(UnknownMapError);
    await expect(fixture.store.compact('nope', bytes(1), 1)).rejects.toBeInstanceOf(UnknownMapError);
  });

  it('appends updates in order with increasing sequence numbers', async () => {
    await fixture.store.createMap('a', bytes(0), 1);
    const first = await fixture.store.appendUpdates('a', [bytes(1), bytes(2, 2)]);
    const second = await fixture.store.appendUpdates('a', [bytes(3)]);
    expect(second).toBe(first + 1);
    const loaded = await fixture.store.load('a');
    expect(loaded.updates.map((u) => Array.from(u))).toEqual([[1], [2, 2], [3]]);
    expect(loaded.lastSeq).toBe(second);
    expect(loaded.logBytes).toBe(4);
  });

  it('keeps maps apart', async () => {
    await fixture.store.createMap('a', bytes(0), 1);
    await fixture.store.createMap('b', bytes(9), 1);
    await fixture.store.appendUpdates('a', [bytes(1)]);
    await fixture.store.appendUpdates('b', [bytes(2)]);
    expect((await fixture.store.load('a')).updates.map((u) => Array.from(u))).toEqual([[1]]);
    expect((await fixture.store.load('b')).updates.map((u) => Array.from(u))).toEqual([[2]]);
  });

  it('compacts a prefix of the log and keeps what came after it', async () => {
    await fixture.store.createMap('a', bytes(0), 1);
    await fixture.store.appendUpdates('a', [bytes(1), bytes(2)]);
    const through = (await fixture.store.load('a')).lastSeq;
    const after = await fixture.store.appendUpdates('a', [bytes(3)]);
    await fixture.store.compact('a', bytes(7, 7), through);
    const loaded = await fixture.store.load('a');
    expect(Array.from(loaded.snapshot ?? [])).toEqual([7, 7]);
    expect(loaded.updates.map((u) => Array.from(u))).toEqual([[3]]);
    expect(loaded.lastSeq).toBe(after);
    // Sequence numbers never go back after a compaction.
    expect(await fixture.store.appendUpdates('a', [bytes(4)])).toBe(after + 1);
  });

  it('keeps everything across a reopen', async () => {
    await fixture.store.createMap('a', bytes(0), 1);
    await fixture.store.appendUpdates('a', [bytes(1)]);
    await fixture.store.compact('a', bytes(5), (await fixture.store.load('a')).lastSeq);
    await fixture.store.appendUpdates('a', [bytes(2)]);
    const reopened = await fixture.reopen();
    const loaded = await reopened.load('a');
    expect(Array.from(loaded.snapshot ?? [])).toEqual([5]);
    expect(loaded.updates.map((u) => Array.from(u))).toEqual([[2]]);
  });

  it('returns copies, so callers cannot change what is stored', async () => {
    const initial = bytes(1, 2);
    await fixture.store.createMap('a', initial, 1);
    initial[0] = 99;
    const update = bytes(5);
    await fixture.store.appendUpdates('a', [update]);
    update[0] = 99;
    const loaded = await fixture.store.load('a');
    expect(Array.from(loaded.snapshot ?? [])).toEqual([1, 2]);
    expect(Array.from(loaded.updates[0] ?? [])).toEqual([5]);
  });

  it('keeps links per map and for the workspace, with their revocation and last use, across a reopen', async () => {
    const link = (id: string, mapId: string | null, createdAt: number) => ({
      id,
      mapId,
      role: mapId ? 'editor' : 'member',
      label: `label ${id}`,
      createdAt,
      expiresAt: mapId ? null : 5000,
    });
    await fixture.store.createLink(link('l2', 'm1', 20));
    await fixture.store.createLink(link('l1', 'm1', 10));
    await fixture.store.createLink(link('l3', 'm2', 30));
    await fixture.store.createLink(link('w1', null, 40));
    await fixture.store.createLink({ ...link('p1', 'm1', 60), label: 'Ana', personal: true });
    await expect(fixture.store.createLink(link('l1', 'm1', 50))).rejects.toThrow();
    expect((await fixture.store.listLinks('m1')).map((l) => l.id)).toEqual(['l1', 'l2', 'p1']);
    expect((await fixture.store.listLinks(null)).map((l) => l.id)).toEqual(['w1']);
    expect(await fixture.store.revokeLink('l1', 100)).toBe(true);
    expect(await fixture.store.revokeLink('l1', 200)).toBe(false);
    expect(await fixture.store.revokeLink('nope', 200)).toBe(false);
    await fixture.store.touchLink('l2', 150);
    const reopened = await fixture.reopen();
    expect(await reopened.getLink('l1')).toEqual({ ...link('l1', 'm1', 10), personal: false, revokedAt: 100, lastUsedAt: null });
    expect(await reopened.getLink('p1')).toMatchObject({ label: 'Ana', personal: true });
    expect(await reopened.getLink('l2')).toMatchObject({ revokedAt: null, lastUsedAt: 150 });
    expect(await reopened.getLink('w1')).toMatchObject({ mapId: null, role: 'member', expiresAt: 5000 });
    expect(await reopened.getLink('nope')).toBeNull();
  });

  it('lists maps with the summary their rooms keep, across a reopen', async () => {
    await fixture.store.createMap('a', bytes(0), 10);
    await fixture.store.createMap('b', bytes(0), 20);
    const summary = { title: 'Checkout', goal: 'Why they stall', template: 'blank', updatedAt: 30, updatedBy: 'Ana' };
    await fixture.store.updateSummary('a', summary);
    await expect(fixture.store.updateSummary('nope', summary)).rejects.toBeInstanceOf(UnknownMapError);
    const reopened = await fixture.reopen();
    const listed = (await reopened.listMaps()).sort((x, y) => x.id.localeCompare(y.id));
    expect(listed).toEqual([
      { id: 'a', createdAt: 10, deletedAt: null, summary, isTemplate: false },
      { id: 'b', createdAt: 20, deletedAt: null, summary: null, isTemplate: false },
    ]);
  });

  it('keeps versions apart from the log: across compaction and a reopen, newest first, checked, deleted on request and with their map', async () => {
    await fixture.store.createMap('a', bytes(0), 10);
    await fixture.store.createMap('b', bytes(0), 10);
    const version = (id: string, createdAt: number, state: Uint8Array, kind: 'auto' | 'named' = 'auto') =>
      fixture.store.createVersion({
        id,
        mapId: 'a',
        kind,
        name: kind === 'named' ? `Version ${id}` : null,
        createdAt,
        createdBy: 'Ana',
        state,
      });
    await version('v1', 100, bytes(1, 2, 3));
    await version('v2', 300, bytes(4, 5), 'named');
    await version('v3', 200, bytes(6));
    await expect(
      fixture.store.createVersion({ id: 'x', mapId: 'nope', kind: 'auto', name: null, createdAt: 1, createdBy: null, state: bytes(1) }),
    ).rejects.toBeInstanceOf(UnknownMapError);
    await fixture.store.appendUpdates('a', [bytes(7)]);
    await fixture.store.compact('a', bytes(8), 2);
    const reopened = await fixture.reopen();
    expect((await reopened.listVersions('a')).map((v) => [v.id, v.kind, v.name, v.createdAt, v.createdBy, v.bytes])).toEqual([
      ['v2', 'named', 'Version v2', 300, 'Ana', 2],
      ['v3', 'auto', null, 200, 'Ana', 1],
      ['v1', 'auto', null, 100, 'Ana', 3],
    ]);
    expect(await reopened.listVersions('b')).toEqual([]);
    expect(await reopened.loadVersion('a', 'v1')).toEqual(bytes(1, 2, 3));
    expect(await reopened.loadVersion('a', 'nope')).toBeNull();
    expect(await reopened.loadVersion('b', 'v1')).toBeNull();
    await reopened.deleteVersions('a', ['v1', 'v3', 'not-there']);
    expect((await reopened.listVersions('a')).map((v) => v.id)).toEqual(['v2']);
    await reopened.setDeleted('a', 1);
    await reopened.purgeDeleted(2);
    expect(await reopened.listVersions('a')).toEqual([]);
  });

  it('marks a map as a workspace template and back, across a reopen', async () => {
    await fixture.store.createMap('a', bytes(0), 10);
    await fixture.store.createMap('b', bytes(0), 20);
    await fixture.store.setTemplate('a', true);
    await expect(fixture.store.setTemplate('nope', true)).rejects.toBeInstanceOf(UnknownMapError);
    let reopened = await fixture.reopen();
    const marks = async () => Object.fromEntries((await reopened.listMaps()).map((m) => [m.id, m.isTemplate]));
    expect(await marks()).toEqual({ a: true, b: false });
    await reopened.setTemplate('a', false);
    await reopened.setTemplate('b', true);
    reopened = await fixture.reopen();
    expect(await marks()).toEqual({ a: false, b: true });
  });

  it('moves maps to the trash and back, and purges those trashed long enough, links and all', async () => {
    await fixture.store.createMap('a', bytes(0), 1);
    await fixture.store.createMap('b', bytes(0), 1);
    await fixture.store.appendUpdates('a', [bytes(1)]);
    await fixture.store.createLink({ id: 'la', mapId: 'a', role: 'editor', label: '', createdAt: 1, expiresAt: null });
    await fixture.store.createLink({ id: 'lb', mapId: 'b', role: 'editor', label: '', createdAt: 1, expiresAt: null });
    expect(await fixture.store.deletedAt('a')).toBeNull();
    await fixture.store.setDeleted('a', 100);
    await fixture.store.setDeleted('b', 300);
    await fixture.store.setDeleted('b', null);
    await expect(fixture.store.setDeleted('nope', 1)).rejects.toBeInstanceOf(UnknownMapError);
    const reopened = await fixture.reopen();
    expect(await reopened.deletedAt('a')).toBe(100);
    expect((await reopened.listMaps()).find((m) => m.id === 'a')?.deletedAt).toBe(100);
    expect(await reopened.purgeDeleted(100)).toEqual([]);
    expect(await reopened.purgeDeleted(101)).toEqual(['a']);
    expect(await reopened.hasMap('a')).toBe(false);
    expect(await reopened.getLink('la')).toBeNull();
    expect(await reopened.hasMap('b')).toBe(true);
    expect(await reopened.getLink('lb')).not.toBeNull();
  });

  it('holds sealed rounds: entries replaced per voter, refused once closed, deleted on cancel, kept across a reopen and purged with the map', async () => {
    const store = fixture.store;
    await store.createMap('m', bytes(0), 1);
    await store.createRound({ id: 'r1', mapId: 'm', kind: 'vote', settings: '{"votesPerPerson":3}', openedAt: 10 });
    await store.createRound({ id: 'r2', mapId: 'm', kind: 'brainstorm', settings: '{}', openedAt: 20 });
    await expect(store.createRound({ id: 'r1', mapId: 'm', kind: 'vote', settings: '{}', openedAt: 30 })).rejects.toThrow();
    const entry = (roundId: string, voter: string, entryId: string, body: string) => ({
      roundId,
      voter,
      voterName: voter.toUpperCase(),
      entryId,
      body,
      at: 40,
    });
    expect(await store.putRoundEntry(entry('r1', 'ana', 'ballot', '["a"]'))).toBe(true);
    expect(await store.putRoundEntry(entry('r1', 'bo', 'ballot', '["b"]'))).toBe(true);
    expect(await store.putRoundEntry(entry('r1', 'ana', 'ballot', '["a","c"]'))).toBe(true);
    expect(await store.putRoundEntry(entry('nope', 'ana', 'ballot', '[]'))).toBe(false);
    expect(await store.putRoundEntry(entry('r2', 'ana', 'c1', 'one'))).toBe(true);
    expect(await store.putRoundEntry(entry('r2', 'ana', 'c2', 'two'))).toBe(true);
    expect(await store.putRoundEntry(entry('r2', 'bo', 'c1', 'three'))).toBe(true);
    expect(await store.deleteRoundEntry('r2', 'ana', 'c1')).toBe(true);
    expect(await store.deleteRoundEntry('r2', 'ana', 'c1')).toBe(false);

    const reopened = await fixture.reopen();
    expect((await reopened.listRounds('m')).map((r) => [r.id, r.kind, r.closedAt])).toEqual([
      ['r1', 'vote', null],
      ['r2', 'brainstorm', null],
    ]);
    expect((await reopened.listRoundEntries('r1')).map((e) => [e.voter, e.voterName, e.body])).toEqual([
      ['ana', 'ANA', '["a","c"]'],
      ['bo', 'BO', '["b"]'],
    ]);
    expect((await reopened.listRoundEntries('r2', 'ana')).map((e) => e.body)).toEqual(['two']);

    expect(await reopened.closeRound('r1', 'revealed', 50)).toBe(true);
    expect(await reopened.closeRound('r1', 'cancelled', 60)).toBe(false);
    expect(await reopened.putRoundEntry(entry('r1', 'cy', 'ballot', '["a"]'))).toBe(false);
    expect(await reopened.deleteRoundEntry('r1', 'ana', 'ballot')).toBe(false);
    expect(await reopened.getRound('r1')).toMatchObject({ closedAt: 50, outcome: 'revealed' });
    expect((await reopened.listRoundEntries('r1')).length).toBe(2);
    expect(await reopened.closeRound('r2', 'cancelled', 70)).toBe(true);
    expect(await reopened.listRoundEntries('r2')).toEqual([]);

    await reopened.setDeleted('m', 1);
    await reopened.purgeDeleted(2);
    expect(await reopened.getRound('r1')).toBeNull();
    expect(await reopened.listRoundEntries('r1')).toEqual([]);
  });

  it('keeps survey imports: verbatims added while pending, listed and searched once done, deleted with their import, pending ones purged', async () => {
    const store = fixture.store;
    await store.createMap('m', bytes(0), 1);
    await store.createMap('other', bytes(0), 1);
    await expect(store.beginSurveyImport({ id: 'x', mapId: 'nope', fileName: 'f.csv', importedAt: 1, importedBy: null })).rejects.toThrow(
      UnknownMapError,
    );
    const verbatim = (importId: string, row: number, stageId: string, text: string) => ({
      importId,
      row,
      stageId,
      personaId: '',
      channel: 'web',
      score: row % 2 === 0 ? 4 : null,
      date: '2026-03-31',
      text,
    });
    await store.beginSurveyImport({ id: 'i1', mapId: 'm', fileName: 'march.csv', importedAt: 10, importedBy: 'Ana (editor link)' });
    await store.addVerbatims([verbatim('i1', 2, 's1', 'Checkout 100% slow'), verbatim('i1', 3, 's2', 'Lovely_staff')]);
    // Pending: neither listed nor searched.
    expect(await store.listSurveyImports('m')).toEqual([]);
    expect(await store.searchVerbatims('m', { limit: 10 })).toEqual([]);
    expect(await store.finishSurveyImport('i1', { rows: 2, verbatims: 2, metrics: 4 })).toBe(true);
    expect(await store.finishSurveyImport('i1', { rows: 2, verbatims: 2, metrics: 4 })).toBe(false);
    await expect(store.addVerbatims([verbatim('i1', 4, 's1', 'late')])).rejects.toThrow();

    await store.beginSurveyImport({ id: 'i2', mapId: 'm', fileName: 'april.csv', importedAt: 20, importedBy: null });
    await store.addVerbatims([verbatim('i2', 2, 's1', 'checkout was quick')]);
    await store.finishSurveyImport('i2', { rows: 1, verbatims: 1, metrics: 1 });
    await store.beginSurveyImport({ id: 'i3', mapId: 'm', fileName: 'cut-short.csv', importedAt: 30, importedBy: null });
    await store.addVerbatims([verbatim('i3', 2, 's1', 'checkout never finished')]);

    const reopened = await fixture.reopen();
    expect(
      (await reopened.listSurveyImports('m')).map((i) => [i.id, i.fileName, i.state, i.rows, i.verbatims, i.metrics, i.importedBy]),
    ).toEqual([
      ['i2', 'april.csv', 'done', 1, 1, 1, null],
      ['i1', 'march.csv', 'done', 2, 2, 4, 'Ana (editor link)'],
    ]);
    expect(await reopened.listSurveyImports('other')).toEqual([]);
    expect((await reopened.searchVerbatims('m', { stageId: 's1', limit: 10 })).map((v) => [v.importId, v.row, v.text])).toEqual([
      ['i2', 2, 'checkout was quick'],
      ['i1', 2, 'Checkout 100% slow'],
    ]);
    expect(await reopened.searchVerbatims('m', { text: 'CHECKOUT', limit: 1 })).toEqual([verbatim('i2', 2, 's1', 'checkout was quick')]);
    // Pattern characters match only themselves.
    expect((await reopened.searchVerbatims('m', { text: '100%', limit: 10 })).map((v) => v.row)).toEqual([2]);
    expect((await reopened.searchVerbatims('m', { text: 'y_s', limit: 10 })).map((v) => v.text)).toEqual(['Lovely_staff']);
    expect(await reopened.searchVerbatims('m', { text: '_', limit: 10 })).toHaveLength(1);
    expect(await reopened.searchVerbatims('other', { limit: 10 })).toEqual([]);

    expect(await reopened.purgePendingSurveyImports()).toBe(1);
    expect(await reopened.deleteSurveyImport('m', 'i3')).toBe(false);
    expect(await reopened.deleteSurveyImport('other', 'i1')).toBe(false);
    expect(await reopened.deleteSurveyImport('m', 'i1')).toBe(true);
    expect((await reopened.listSurveyImports('m')).map((i) => i.id)).toEqual(['i2']);
    expect((await reopened.searchVerbatims('m', { limit: 10 })).map((v) => v.importId)).toEqual(['i2']);

    await reopened.setDeleted('m', 1);
    await reopened.purgeDeleted(2);
    expect(await reopened.listSurveyImports('m')).toEqual([]);
    expect(await reopened.searchVerbatims('m', { limit: 10 })).toEqual([]);
  });
});
