import { addCard, addStage, deleteCard, readMap } from '@waymark/model';
import type { ActivityEntry } from '@waymark/server';
import { describe, expect, it } from 'vitest';
import { connect, createMap, synced, tokenOf, waitFor } from '../support/clients.js';
import { useServerTestBed } from '../support/test-bed.js';

/** An entry as the route answers it: the stored entry without its map id. */
type Entry = Omit<ActivityEntry, 'mapId'>;

/** The server records who changed what: each person's burst of edits, by name, link and role. */
describe('activity', () => {
  const bed = useServerTestBed();

  it('records each person’s edits with their name, link label and role, and each card’s last editor', async () => {
    const running = await bed.start();
    const map = await createMap(running.url, { title: 'Checkout' });
    const owner = tokenOf(map.links.owner!);
    const made = await fetch(`${running.url}/api/maps/${map.id}/links`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${owner}` },
      body: JSON.stringify({ role: 'participant', label: 'Support team' }),
    });
    const supportLink = ((await made.json()) as { token: string }).token;

    const sam = connect(running.url, map.id, supportLink);
    bed.clients.push(sam);
    sam.provider.awareness.setLocalStateField('user', { name: 'Sam', colour: '#0ea5e9' });
    await synced(sam);
    const { stages, lanes } = readMap(sam.doc);
    const kept = addCard(sam.doc, { stageId: stages[0]!.id, laneId: lanes[0]!.id, text: 'Waits on hold' });
    const gone = addCard(sam.doc, { stageId: stages[0]!.id, laneId: lanes[1]!.id, text: 'Typo' });
    deleteCard(sam.doc, gone);

    const ana = connect(running.url, map.id, tokenOf(map.links.editor!));
    bed.clients.push(ana);
    ana.provider.awareness.setLocalStateField('user', { name: 'Ana', colour: '#e11d48' });
    await synced(ana);
    await waitFor(() => readMap(ana.doc).cards.some((card) => card.id === kept), 'Ana sees the card');
    addStage(ana.doc, { name: 'Escalation' });
    ana.doc.getMap('meta').set('title', 'Checkout, EU');

    // While Ana is still at it, her entry is there, marked in progress, and the title is hers.
    await waitFor(async () => {
      const now = (await (
        await fetch(`${running.url}/api/maps/${map.id}/activity`, { headers: { authorization: `Bearer ${owner}` } })
      ).json()) as (Entry & { inProgress?: boolean })[];
      return now.some((entry) => entry.person === 'Ana' && entry.inProgress === true && entry.changed.includes('meta/title'));
    }, 'Ana’s edits in progress');
    const early = (await (
      await fetch(`${running.url}/api/maps/${map.id}/edits`, { headers: { authorization: `Bearer ${owner}` } })
    ).json()) as Record<string, { person: string }>;
    expect(early['meta/title']?.person).toBe('Ana');

    // Leaving ends a person's entry.
    sam.destroy();
    ana.destroy();
    const read = async () =>
      (await (
        await fetch(`${running.url}/api/maps/${map.id}/activity`, { headers: { authorization: `Bearer ${tokenOf(map.links.viewer!)}` } })
      ).json()) as Entry[];
    await waitFor(
      async () => (await read()).filter((entry) => !(entry as { inProgress?: boolean }).inProgress).length === 2,
      'both entries stored',
    );
    const entries = await read();
    const samEntry = entries.find((entry) => entry.person === 'Sam')!;
    expect(samEntry).toMatchObject({ link: 'Support team', role: 'participant', created: [`cards/${kept}`], deleted: [] });
    // A card made and deleted in the same sitting is not news.
    expect(samEntry.created).not.toContain(`cards/${gone}`);
    const anaEntry = entries.find((entry) => entry.person === 'Ana')!;
    expect(anaEntry.role).toBe('editor');
    expect(anaEntry.created).toHaveLength(1);
    expect(anaEntry.created[0]).toMatch(/^stages\//);
    expect(anaEntry.changed).toContain('meta/title');
    expect(entries[0]!.endedAt).toBeGreaterThanOrEqual(entries[1]!.endedAt);

    const edits = (await (
      await fetch(`${running.url}/api/maps/${map.id}/edits`, { headers: { authorization: `Bearer ${owner}` } })
    ).json()) as Record<string, { person: string; link: string | null; at: number }>;
    expect(edits[`cards/${kept}`]).toMatchObject({ person: 'Sam', link: 'Support team' });
    expect(edits['meta/title']).toMatchObject({ person: 'Ana' });
    expect(
      (await fetch(`${running.url}/api/maps/${map.id}/activity?limit=0`, { headers: { authorization: `Bearer ${owner}` } })).status,
    ).toBe(400);
    expect((await fetch(`${running.url}/api/maps/${map.id}/activity`)).status).toBe(401);
  });
});
