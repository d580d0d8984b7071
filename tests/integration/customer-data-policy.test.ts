import { addMetric, DEFAULT_SCORE_WEIGHTS, readMeta, readMetrics, readStages, setMeta } from '@waymark/model';
import { beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connect, createMap, synced, tokenOf, waitFor, type Client } from '../support/clients.js';
import type { RunningServer } from '../support/server.js';
import { storedDoc } from '../support/stored-maps.js';
import { useServerTestBed } from '../support/test-bed.js';

const denials = (client: Client) => client.said.filter((said) => said.kind === 'denied').map((said) => said.reason);

/** A measurement as a client that skips the write API would put it in the document. */
function rawMetric(doc: Y.Doc, fields: Record<string, unknown>): void {
  doc.transact(() => {
    const record = new Y.Map<unknown>();
    doc.getMap('metrics').set(`raw${Math.random().toString(36).slice(2, 10)}`, record);
    for (const [field, value] of Object.entries(fields)) record.set(field, value);
  });
}

describe("customer data and the map's settings: owners and editors write them, in the model's shapes only", () => {
  const bed = useServerTestBed();
  let running: RunningServer;
  beforeEach(async () => {
    running = await bed.start();
  });

  async function people() {
    const map = await createMap(running.url, { template: 'buyer-journey' });
    const editor = connect(running.url, map.id, tokenOf(map.links.editor));
    const participant = connect(running.url, map.id, tokenOf(map.links.participant));
    bed.clients.push(editor, participant);
    await Promise.all([synced(editor), synced(participant)]);
    return { map, editor, participant, stageId: readStages(editor.doc)[0]!.id };
  }

  it("stores an editor's figures and settings, and relays them", async () => {
    const { map, editor, participant, stageId } = await people();
    addMetric(editor.doc, { stageId, name: 'CSAT', value: 4.2, target: 4.5, date: '2026-03-31' });
    setMeta(editor.doc, { valuePerCustomer: 40, currency: '€', scoreWeights: { ...DEFAULT_SCORE_WEIGHTS, votes: 5 } });
    await waitFor(
      () => readMetrics(participant.doc).length === 1 && readMeta(participant.doc).valuePerCustomer === 40,
      'the figure and settings relayed',
    );
    expect(denials(editor)).toEqual([]);
    await waitFor(async () => readMetrics(await storedDoc(running, map.id)).length === 1, 'the figure stored');
    expect(readMeta(participant.doc).scoreWeights.votes).toBe(5);
  });

  it("refuses a participant's figures and settings, and undoes them at the sender", async () => {
    const { editor, participant, stageId } = await people();
    addMetric(participant.doc, { stageId, name: 'CSAT', value: 1, date: '2026-03-31' });
    setMeta(participant.doc, { scoreWeights: { ...DEFAULT_SCORE_WEIGHTS, impact: 0 } });
    await waitFor(() => denials(participant).length >= 2, 'both refusals');
    expect(denials(participant)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/your participant link may not change a metric/),
        expect.stringMatching(/your participant link may not change the map's scoreWeights/),
      ]),
    );
    await waitFor(
      () => readMetrics(participant.doc).length === 0 && readMeta(participant.doc).scoreWeights.impact === 3,
      'undone at the sender',
    );
    expect(readMetrics(editor.doc)).toEqual([]);
  });

  it.each([
    [
      'a figure for a stage the map never had',
      { stageId: 'noSuchStage', name: 'CSAT', value: 4, date: '2026-03-31' },
      /a metric's stageId refers to a stage the map does not have/,
    ],
    ['a figure that is text', { name: 'CSAT', value: '4', date: '2026-03-31' }, /metric value must be a number/],
    ['a figure without a date', { name: 'Volume', value: 10 }, /a new metric needs date/],
    ['a figure with a made-up day', { name: 'Volume', value: 10, date: '2026-02-31' }, /date must be a day like/],
  ])('refuses %s from an editor that skips the write API', async (_what, fields, reason) => {
    const { editor, participant, stageId } = await people();
    rawMetric(editor.doc, { stageId, ...fields });
    await waitFor(() => denials(editor).length > 0, 'the refusal');
    expect(denials(editor)[0]).toMatch(reason);
    expect(readMetrics(participant.doc)).toEqual([]);
    expect(participant.doc.getMap('metrics').size).toBe(0);
  });

  it('refuses settings outside their ranges from an editor', async () => {
    const { editor, participant } = await people();
    editor.doc.getMap('meta').set('scoreWeights', { ...DEFAULT_SCORE_WEIGHTS, votes: 50 });
    editor.doc.getMap('meta').set('calibration', [{ csat: 9, revenue: 1 }]);
    editor.doc.getMap('meta').set('reviewIntervalDays', 0);
    await waitFor(() => denials(editor).length >= 3, 'three refusals');
    expect(denials(editor).join('\n')).toMatch(/scoreWeights must be a whole weight from 0 to 5/);
    expect(denials(editor).join('\n')).toMatch(/calibration must be at most 20 points/);
    expect(denials(editor).join('\n')).toMatch(/reviewIntervalDays must be a whole number of days/);
    expect(participant.doc.getMap('meta').has('scoreWeights')).toBe(false);
  });
});
