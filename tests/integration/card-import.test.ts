import { readMap } from '@waymark/model';
import { describe, expect, it } from 'vitest';
import { connect, createMap, synced, tokenOf, waitFor } from '../support/clients.js';
import type { RunningServer } from '../support/server.js';
import { useServerTestBed } from '../support/test-bed.js';

/**
 * Cards from a CSV into an existing map: the columns and a guess at which is which, a preview,
 * then every card in one change after a "before import" version; a bad file or row is refused
 * whole, naming the row and column.
 */
describe('importing cards from CSV', () => {
  const bed = useServerTestBed();

  const post = (running: RunningServer, mapId: string, token: string, body: unknown) =>
    fetch(`${running.url}/api/maps/${mapId}/cards/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });

  const CSV = [
    'Phase;Swimlane;Note;Persona;Labels',
    'Awareness;Pain points;"Ads feel generic; not for us";Evaluating buyer;ads|brand',
    'consideration;Actions;Reads three reviews;;',
    '3;Opportunities;"Offer a ""try before you buy"" week";;trial',
  ].join('\n');
  const columns = { stage: 'Phase', lane: 'Swimlane', text: 'Note', personas: 'Persona', tags: 'Labels' };

  it('reads the columns, previews, then adds every card in one change seen live, after a version', async () => {
    const running = await bed.start();
    const map = await createMap(running.url, { title: 'Checkout' });
    const editor = tokenOf(map.links.editor!);
    const watcher = connect(running.url, map.id, tokenOf(map.links.viewer!));
    bed.clients.push(watcher);
    await synced(watcher);
    const cardsBefore = readMap(watcher.doc).cards.length;

    const first = await post(running, map.id, editor, { csv: CSV });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({
      columns: ['Phase', 'Swimlane', 'Note', 'Persona', 'Labels'],
      rowCount: 3,
      suggested: { stage: 'Phase', lane: 'Swimlane', text: 'Note', personas: 'Persona', tags: 'Labels' },
    });

    const preview = (await (await post(running, map.id, editor, { csv: CSV, columns, dryRun: true })).json()) as {
      count: number;
      preview: Record<string, unknown>[];
    };
    expect(preview.count).toBe(3);
    expect(preview.preview[0]).toEqual({
      row: 2,
      stage: 'Awareness',
      lane: 'Pain points',
      text: 'Ads feel generic; not for us',
      personas: ['Evaluating buyer'],
      tags: ['ads', 'brand'],
    });
    expect(preview.preview[2]).toMatchObject({ stage: 'Decision', text: 'Offer a "try before you buy" week' });
    expect(readMap(watcher.doc).cards.length).toBe(cardsBefore);

    const done = await post(running, map.id, editor, { csv: CSV, columns });
    expect(done.status).toBe(201);
    const { added, before } = (await done.json()) as { added: number; before: { id: string; kind: string } };
    expect(added).toBe(3);
    expect(before.kind).toBe('before-import');
    await waitFor(() => readMap(watcher.doc).cards.length === cardsBefore + 3, 'the viewer sees the cards');
    const imported = readMap(watcher.doc).cards.find((card) => card.text === 'Ads feel generic; not for us')!;
    expect(imported.tags).toEqual(['ads', 'brand']);
    expect(imported.personaIds).toHaveLength(1);

    // Restoring the "before import" version takes them away again.
    const restored = await fetch(`${running.url}/api/maps/${map.id}/versions/${before.id}/restore`, {
      method: 'POST',
      headers: { authorization: `Bearer ${editor}` },
    });
    expect(restored.status).toBe(200);
    await waitFor(() => readMap(watcher.doc).cards.length === cardsBefore, 'the import undone');
  });

  it('refuses a bad file or row whole, saying which row and column and what was expected', async () => {
    const running = await bed.start();
    const map = await createMap(running.url, { title: 'Checkout' });
    const editor = tokenOf(map.links.editor!);
    const refused = async (body: unknown, token = editor) => {
      const response = await post(running, map.id, token, body);
      return [response.status, ((await response.json()) as { error: string }).error];
    };
    expect(await refused({ csv: `${CSV}\nPurchse;Actions;Pays;;`, columns })).toEqual([
      400,
      'this file cannot be imported: row 5, column "Phase": no stage "Purchse" in this map (it has "Awareness", "Consideration", "Decision", "Purchase", "Onboarding", "Use & retention", "Advocacy")',
    ]);
    expect((await refused({ csv: `${CSV}\nPurchase;Actions;Pays;Nobody;`, columns }))[1]).toBe(
      'this file cannot be imported: row 5, column "Persona": no persona "Nobody" in this map (it has "Evaluating buyer")',
    );
    expect((await refused({ csv: `${CSV}\nPurchase;Actions;;;`, columns }))[1]).toBe(
      'this file cannot be imported: row 5, column "Note": the card text is empty',
    );
    expect((await refused({ csv: 'a,b\n"unclosed,2\n', columns }))[1]).toMatch(/^this file cannot be imported: the file is not valid CSV/);
    expect((await refused({ csv: '   ' }))[1]).toBe('this file cannot be imported: the file is empty');
    expect((await refused({ csv: CSV, columns: { ...columns, stage: 'Stage' } }))[1]).toMatch(/there is no column "Stage" for the stage/);
    expect((await refused({ csv: CSV, columns }, tokenOf(map.links.participant!)))[0]).toBe(403);
    // Nothing of any of them was added.
    const viewer = connect(running.url, map.id, tokenOf(map.links.viewer!));
    bed.clients.push(viewer);
    await synced(viewer);
    expect(readMap(viewer.doc).cards).toEqual([]);
  });
});
