import { addStage, exportMap, readStages, type MapExport } from '@waymark/model';
import type { VersionRecord } from '@waymark/server';
import { describe, expect, it } from 'vitest';
import { createMap, tokenOf, waitFor, type Client, type CreatedMap } from '../support/clients.js';
import type { RunningServer } from '../support/server.js';
import { useServerTestBed } from '../support/test-bed.js';

/** A version as the routes answer it. */
type Version = Omit<VersionRecord, 'mapId'>;

/**
 * Versions: taken on their own as editing starts and goes on, named on request, kept through
 * compaction, read as JSON, restored as a change everyone sees live (and the restore undone by
 * restoring the version taken before it), and forked into a new map.
 */
describe('versions', () => {
  const bed = useServerTestBed();

  const api = (running: RunningServer, path: string, token: string, init: { method?: string; body?: unknown; person?: string } = {}) =>
    fetch(`${running.url}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        ...(init.person ? { 'x-waymark-person': init.person } : {}),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
  const versions = async (running: RunningServer, map: CreatedMap) =>
    (await (await api(running, `/api/maps/${map.id}/versions`, tokenOf(map.links.viewer!))).json()) as Version[];
  const stageNames = (client: Client) => readStages(client.doc).map((stage) => stage.name);
  const join = (running: RunningServer, link: string, mapId: string) => bed.join(running.url, mapId, link);

  it('takes one when editing starts, none while it goes on, another after a quiet spell, and keeps them through compaction', async () => {
    const running = await bed.start({ VERSION_QUIET_MS: '1000', VERSION_EVERY_MS: '3600000', COMPACT_AFTER_UPDATES: '5' });
    const map = await createMap(running.url, { title: 'Checkout' });
    const editor = await join(running, map.links.editor!, map.id);
    const templateStages = stageNames(editor);

    addStage(editor.doc, { name: 'First edit' });
    await waitFor(async () => (await versions(running, map)).length === 1, 'the version taken as editing started');
    for (let i = 0; i < 12; i++) addStage(editor.doc, { name: `Busy ${i}` });
    await waitFor(async () => (await running.server.store.load(map.id)).updates.length < 12, 'the log compacted');
    expect(await versions(running, map)).toHaveLength(1);

    // The first version holds the map as it was before anyone edited it.
    const [first] = await versions(running, map);
    expect(first).toMatchObject({ kind: 'auto', name: null });
    const read = (await (await api(running, `/api/maps/${map.id}/versions/${first!.id}`, tokenOf(map.links.viewer!))).json()) as Version & {
      map: MapExport;
    };
    expect(Object.values(read.map.stages).map((stage) => stage['name'])).toEqual(expect.arrayContaining(templateStages));
    expect(Object.values(read.map.stages).map((stage) => stage['name'])).not.toContain('First edit');
    expect(read.map.meta['title']).toBe('Checkout');

    // After a quiet spell, the next edit first keeps the map as it stood.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    addStage(editor.doc, { name: 'After the break' });
    await waitFor(async () => (await versions(running, map)).length === 2, 'the version taken after the quiet spell');
    const [latest] = await versions(running, map);
    const latestMap = (
      (await (await api(running, `/api/maps/${map.id}/versions/${latest!.id}`, tokenOf(map.links.viewer!))).json()) as { map: MapExport }
    ).map;
    const names = Object.values(latestMap.stages).map((stage) => stage['name']);
    expect(names).toContain('Busy 11');
    expect(names).not.toContain('After the break');

    // Versions outlive the process and its compactions.
    await running.close();
    const again = await bed.start({ VERSION_QUIET_MS: '1000' });
    expect((await versions(again, map)).map((v) => v.id)).toEqual([latest!.id, first!.id]);
  });

  it('takes one at least every VERSION_EVERY_MS while editing goes on without a pause', async () => {
    const running = await bed.start({ VERSION_QUIET_MS: '3600000', VERSION_EVERY_MS: '1000' });
    const map = await createMap(running.url, { title: 'Long session' });
    const editor = await join(running, map.links.editor!, map.id);
    addStage(editor.doc, { name: 'Edit 0' });
    await waitFor(async () => (await versions(running, map)).length === 1, 'the version taken as editing started');
    // Edits every 150 ms, never a quiet spell, for longer than VERSION_EVERY_MS.
    for (let i = 1; i <= 9; i++) {
      addStage(editor.doc, { name: `Edit ${i}` });
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    await waitFor(async () => (await versions(running, map)).length === 2, 'a second automatic version');
    expect((await versions(running, map)).every((version) => version.kind === 'auto')).toBe(true);
  });

  it('names a version, restores it live for everyone, and undoes the restore by restoring the version taken before it', async () => {
    const running = await bed.start();
    const map = await createMap(running.url, { title: 'Onboarding' });
    const alice = await join(running, map.links.editor!, map.id);
    const bob = await join(running, map.links.participant!, map.id);
    addStage(alice.doc, { name: 'Kept' });
    await waitFor(() => stageNames(bob).includes('Kept'), 'Bob to see the first stage');

    const owner = tokenOf(map.links.owner!);
    const named = await api(running, `/api/maps/${map.id}/versions`, owner, {
      body: { name: 'after workshop 1' },
      person: encodeURIComponent('Ana 李'),
    });
    expect(named.status).toBe(201);
    const version = (await named.json()) as Version;
    expect(version).toMatchObject({ kind: 'named', name: 'after workshop 1', createdBy: 'Ana 李 (owner link)' });
    // Who may do what.
    expect((await api(running, `/api/maps/${map.id}/versions`, tokenOf(map.links.viewer!), { body: { name: 'x' } })).status).toBe(403);
    expect((await api(running, `/api/maps/${map.id}/versions`, owner, { body: { name: '  ' } })).status).toBe(400);
    expect(
      (await api(running, `/api/maps/${map.id}/versions/${version.id}/restore`, tokenOf(map.links.commenter!), { method: 'POST' })).status,
    ).toBe(403);
    expect((await api(running, `/api/maps/${map.id}/versions/nope/restore`, owner, { method: 'POST' })).status).toBe(404);

    addStage(alice.doc, { name: 'Added after the workshop' });
    await waitFor(() => stageNames(bob).includes('Added after the workshop'), 'Bob to see the later stage');
    alice.doc.getMap('meta').set('title', 'Onboarding, renamed');

    const restored = await api(running, `/api/maps/${map.id}/versions/${version.id}/restore`, tokenOf(map.links.editor!), {
      method: 'POST',
      person: 'Alice',
    });
    expect(restored.status).toBe(200);
    const { before } = (await restored.json()) as { before: Version };
    expect(before.kind).toBe('before-restore');
    for (const client of [alice, bob]) {
      await waitFor(() => !stageNames(client).includes('Added after the workshop'), 'everyone to see the restore');
      expect(stageNames(client)).toContain('Kept');
      expect(client.doc.getMap('meta').get('title')).toBe('Onboarding');
    }
    expect(exportMap(alice.doc)).toEqual(exportMap(bob.doc));

    // The diff of the two versions, item by item.
    const diff = (await (
      await api(running, `/api/maps/${map.id}/diff?from=${version.id}&to=${before.id}`, tokenOf(map.links.viewer!))
    ).json()) as {
      stages: { added: string[]; removed: string[] };
      meta: { field: string; before: string; after: string }[];
      cards: { added: string[] };
    };
    expect(diff.stages.added).toHaveLength(1);
    expect(diff.stages.removed).toEqual([]);
    expect(diff.meta).toEqual([{ field: 'title', before: 'Onboarding', after: 'Onboarding, renamed' }]);
    expect(diff.cards.added).toEqual([]);
    const sinceNow = (await (await api(running, `/api/maps/${map.id}/diff?from=${before.id}`, tokenOf(map.links.viewer!))).json()) as {
      stages: { removed: string[] };
    };
    expect(sinceNow.stages.removed).toEqual(diff.stages.added);
    expect((await api(running, `/api/maps/${map.id}/diff`, tokenOf(map.links.viewer!))).status).toBe(400);

    // Restoring the version taken before the restore brings everything back.
    expect((await api(running, `/api/maps/${map.id}/versions/${before.id}/restore`, owner, { method: 'POST' })).status).toBe(200);
    for (const client of [alice, bob]) {
      await waitFor(() => stageNames(client).includes('Added after the workshop'), 'everyone to see the restore undone');
      expect(client.doc.getMap('meta').get('title')).toBe('Onboarding, renamed');
    }
    // The library says who changed it last.
    await waitFor(async () => {
      const listed = (await running.server.store.listMaps()).find((m) => m.id === map.id);
      return listed?.summary?.title === 'Onboarding, renamed';
    }, 'the summary to follow the restore');
  });

  it('forks a version into a new map with links of its own, and deletes a version for the owner only', async () => {
    const running = await bed.start();
    const map = await createMap(running.url, { title: 'As-is journey' });
    const alice = await join(running, map.links.editor!, map.id);
    addStage(alice.doc, { name: 'As it is today' });
    await waitFor(async () => (await running.server.store.load(map.id)).updates.length > 0, 'the stage stored');
    const owner = tokenOf(map.links.owner!);
    const version = (await (await api(running, `/api/maps/${map.id}/versions`, owner, { body: { name: 'as-is' } })).json()) as Version;
    addStage(alice.doc, { name: 'Not in the fork' });

    expect((await api(running, `/api/maps/${map.id}/versions/${version.id}/fork`, tokenOf(map.links.editor!), { body: {} })).status).toBe(
      403,
    );
    const forked = await api(running, `/api/maps/${map.id}/versions/${version.id}/fork`, owner, { body: { title: 'To-be journey' } });
    expect(forked.status).toBe(201);
    const fork = (await forked.json()) as CreatedMap;
    expect(Object.keys(fork.links).sort()).toEqual(['commenter', 'editor', 'owner', 'participant', 'viewer']);
    const reader = await join(running, fork.links.viewer!, fork.id);
    expect(stageNames(reader)).toContain('As it is today');
    expect(stageNames(reader)).not.toContain('Not in the fork');
    expect(reader.doc.getMap('meta').get('title')).toBe('To-be journey');
    expect(await versions(running, fork)).toEqual([]);

    expect(
      (await api(running, `/api/maps/${map.id}/versions/${version.id}`, tokenOf(map.links.editor!), { method: 'DELETE' })).status,
    ).toBe(403);
    expect((await api(running, `/api/maps/${map.id}/versions/${version.id}`, owner, { method: 'DELETE' })).status).toBe(204);
    expect((await api(running, `/api/maps/${map.id}/versions/${version.id}`, owner, { method: 'DELETE' })).status).toBe(404);
    expect((await versions(running, map)).some((v) => v.id === version.id)).toBe(false);
  });
});
