import { addAction, addActionForCard, addCard, readActions, readMap, readWorkshop } from '@waymark/model';
import { describe, expect, it } from 'vitest';
import { createMap, tokenOf, waitFor, type Client, type CreatedMap } from '../support/clients.js';
import type { RunningServer } from '../support/server.js';
import { useServerTestBed } from '../support/test-bed.js';
import { call, json, SEAT } from '../support/workshop-calls.js';

/** The action plan through the server: who may write it, its CSV and Markdown, and a parked topic becoming an action. */
describe('the action plan', () => {
  const bed = useServerTestBed();

  const join = (running: RunningServer, map: CreatedMap, role: keyof CreatedMap['links']): Promise<Client> =>
    bed.join(running.url, map.id, map.links[role]);

  it('lets owners and editors write it and nobody else, and exports it as CSV and Markdown', async () => {
    const running = await bed.start();
    const map = await createMap(running.url, { title: 'Checkout' });
    const editor = await join(running, map, 'editor');
    const participant = await join(running, map, 'participant');
    const viewer = await join(running, map, 'viewer');
    const { stages, lanes } = readMap(editor.doc);
    const pains = lanes.find((lane) => lane.kind === 'painPoints')!;
    const card = addCard(editor.doc, { stageId: stages[1]!.id, laneId: pains.id, text: 'Hidden fees\nin 40% of calls' });
    const fromCard = addActionForCard(editor.doc, card);
    addAction(editor.doc, { title: '=HYPERLINK("http://evil")', owner: 'Bo', department: 'Finance', due: '2020-01-31', status: 'planned' });
    await waitFor(() => readActions(viewer.doc).length === 2, 'the actions to reach the viewer');
    expect(readActions(viewer.doc)[0]).toMatchObject({ id: fromCard, title: 'Hidden fees', cardIds: [card] });

    // A participant's action is refused and undone on its device; the others never see it.
    addAction(participant.doc, { title: 'Participant idea' });
    await waitFor(() => participant.said.some((said) => said.kind === 'denied' && /action/.test(said.reason)), 'the participant refused');
    await waitFor(() => readActions(participant.doc).length === 2, 'the refused action undone');
    expect(readActions(viewer.doc).map((action) => action.title)).not.toContain('Participant idea');

    const csv = await fetch(`${running.url}/api/maps/${map.id}/actions.csv`, {
      headers: { authorization: `Bearer ${tokenOf(map.links.viewer)}` },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toContain('checkout-action-plan.csv');
    const rows = (await csv.text()).replace(/^\uFEFF/, '').split('\r\n');
    expect(rows[0]).toBe('Action,Status,Owner,Department,Due,KPI target,Flags,Answers cards');
    expect(rows[1]).toBe(`Hidden fees,Idea,,,,,unowned,Hidden fees in 40% of calls (${stages[1]!.name} / ${pains.title})`);
    // A cell a spreadsheet would run as a formula is written as text.
    expect(rows[2]).toBe(`"'=HYPERLINK(""http://evil"")",Planned,Bo,Finance,2020-01-31,,overdue,`);

    const md = await (
      await fetch(`${running.url}/api/maps/${map.id}/actions.md`, { headers: { authorization: `Bearer ${tokenOf(map.links.viewer)}` } })
    ).text();
    expect(md).toContain('# Action plan: Checkout');
    expect(md).toContain('## Idea (1)');
    expect(md).toContain('- **Hidden fees**: **unowned**');
    expect(md).toContain('  - answers: Hidden fees in 40% of calls');
    expect(md).toContain('due 2020-01-31 (**overdue**)');

    expect(
      (await fetch(`${running.url}/api/maps/${map.id}/actions.xlsx`, { headers: { authorization: `Bearer ${tokenOf(map.links.viewer)}` } }))
        .status,
    ).toBe(404);
    expect((await fetch(`${running.url}/api/maps/${map.id}/actions.csv`)).status).toBe(401);
  });

  it('turns a parked topic into an action of the plan, for the facilitator only', async () => {
    const running = await bed.start();
    const map = await createMap(running.url, { title: 'Workshop' });
    const viewer = await join(running, map, 'viewer');
    const facilitator = { token: tokenOf(map.links.editor), seat: SEAT };
    await json(await call(running.url, map, '/workshop/seat', facilitator, { body: { seat: SEAT, name: 'Fay' } }), 200);
    await json(
      await call(
        running.url,
        map,
        '/workshop/parking',
        { token: tokenOf(map.links.participant), person: 'Pat' },
        { body: { text: 'Rewrite the refund policy' } },
      ),
      201,
    );
    await waitFor(() => readWorkshop(viewer.doc).parkingLot.length === 1, 'the topic parked');
    const topic = readWorkshop(viewer.doc).parkingLot[0]!;
    expect(
      (
        await call(
          running.url,
          map,
          `/workshop/parking/${topic.id}/action`,
          { token: tokenOf(map.links.participant), seat: SEAT },
          { body: {} },
        )
      ).status,
    ).toBe(403);
    await json(await call(running.url, map, `/workshop/parking/${topic.id}/action`, facilitator, { body: {} }), 201);
    await waitFor(
      () => readActions(viewer.doc).length === 1 && readWorkshop(viewer.doc).parkingLot.length === 0,
      'the topic turned into an action',
    );
    expect(readActions(viewer.doc)[0]).toMatchObject({ title: 'Rewrite the refund policy', status: 'idea' });
    expect((await call(running.url, map, `/workshop/parking/${topic.id}/action`, facilitator, { body: {} })).status).toBe(404);
  });
});
