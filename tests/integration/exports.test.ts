import { addCard, readMap, setEmotion, templateIds, updateCard, type MapExport } from '@waymark/model';
import { describe, expect, it } from 'vitest';
import { connect, synced, tokenOf, waitFor, type CreatedMap } from '../support/clients.js';
import type { RunningServer } from '../support/server.js';
import { useServerTestBed } from '../support/test-bed.js';

const ADMIN = 'workspace-admin-token-for-tests';

/**
 * Exports (JSON, CSV, Markdown) for anyone who can open the map, and the JSON export imported
 * back as an equal map; a bad file is refused whole, with where and what.
 */
describe('exports and imports', () => {
  const bed = useServerTestBed();

  const get = (running: RunningServer, map: CreatedMap, format: string, token = tokenOf(map.links.viewer!)) =>
    fetch(`${running.url}/api/maps/${map.id}/export.${format}`, { headers: { authorization: `Bearer ${token}` } });
  const importMap = (running: RunningServer, body: unknown, token: string | null = ADMIN) =>
    fetch(`${running.url}/api/maps/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  /** A map from `template` with cards, tags, personas and scores, written by a stock client. */
  async function busyMap(running: RunningServer, template: string): Promise<CreatedMap> {
    const made = await fetch(`${running.url}/api/maps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
      body: JSON.stringify({ title: `Busy ${template}`, template, goal: 'Why they stall', scope: 'EU' }),
    });
    const map = (await made.json()) as CreatedMap;
    const client = connect(running.url, map.id, tokenOf(map.links.editor!));
    bed.clients.push(client);
    await synced(client);
    const state = readMap(client.doc);
    const stage = state.stages[0]!;
    for (const lane of state.lanes) {
      const id = addCard(client.doc, { stageId: stage.id, laneId: lane.id, text: `${lane.title}: =SUM(A1) "quoted", ü` });
      updateCard(client.doc, id, { tags: ['web'], personaIds: state.personas.slice(0, 1).map((p) => p.id), evidence: 'observed' });
    }
    for (const persona of state.personas) setEmotion(client.doc, { personaId: persona.id, stageId: stage.id, score: 2 });
    await waitFor(async () => {
      const exported = (await (await get(running, map, 'json')).json()) as MapExport;
      return Object.keys(exported.cards).length === state.lanes.length && Object.keys(exported.emotions).length === state.personas.length;
    }, 'the cards in the export');
    return map;
  }

  it('exports JSON that imports as an equal map, for every template', async () => {
    const running = await bed.start({ WORKSPACE_TOKEN: ADMIN, MAP_CREATION: 'workspace' });
    for (const template of templateIds) {
      const map = await busyMap(running, template);
      const response = await get(running, map, 'json');
      expect(response.headers.get('content-disposition')).toBe(`attachment; filename="busy-${template}.json"`);
      const exported = (await response.json()) as MapExport;
      const imported = await importMap(running, exported);
      expect(imported.status, template).toBe(201);
      const copy = (await imported.json()) as CreatedMap;
      expect(Object.keys(copy.links).sort()).toEqual(['commenter', 'editor', 'owner', 'participant', 'viewer']);
      const again = (await (await get(running, copy, 'json')).json()) as MapExport;
      const { createdAt: _a, ...metaAgain } = again.meta;
      const { createdAt: _b, ...metaBefore } = exported.meta;
      expect({ ...again, meta: metaAgain }, template).toEqual({ ...exported, meta: metaBefore });
    }
  });

  it('exports one CSV row per card with its stage, lane, personas, evidence, tags, colour and author, formulas defused', async () => {
    const running = await bed.start({ WORKSPACE_TOKEN: ADMIN });
    const map = await busyMap(running, 'buyer-journey');
    const response = await get(running, map, 'csv');
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const text = await response.text();
    const lines = text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('Stage,Lane,Text,Personas,Evidence,Tags,Colour,Author');
    expect(lines).toHaveLength(1 + 10);
    expect(lines[1]).toMatch(
      /^Awareness,Customer goals,"Customer goals: =SUM\(A1\) ""quoted"", ü",Evaluating buyer,observed,web,#[0-9a-f]{6},/,
    );
  });

  it('exports Markdown with the goal, scope, personas, stages with their cards by lane, and the emotion curve as numbers', async () => {
    const running = await bed.start({ WORKSPACE_TOKEN: ADMIN });
    const map = await busyMap(running, 'onboarding');
    const markdown = await (await get(running, map, 'md')).text();
    expect(markdown).toMatch(/^# Busy onboarding\n\n\*\*Why we map this:\*\* Why they stall\n\n\*\*Scope:\*\* EU\n/);
    expect(markdown).toContain('## Personas\n\n- **New account admin**');
    expect(markdown).toContain(
      '## 1. Sign-up\n\n### Customer goals\n\n- Customer goals: =SUM(A1) "quoted", ü _(observed; New account admin; #web)_',
    );
    expect(markdown).toContain('## 5. Habit forming');
    expect(markdown).toMatch(/## Emotion curve\n\n\| Persona \| Sign-up \| Welcome & setup \|.*\n\|---\|/);
    expect(markdown).toContain('| New account admin | +2 | – |');
  });

  it('refuses a bad file whole, saying where and what, and refuses anyone who may not create maps', async () => {
    const running = await bed.start({ WORKSPACE_TOKEN: ADMIN, MAP_CREATION: 'workspace' });
    const map = await busyMap(running, 'buyer-journey');
    const exported = (await (await get(running, map, 'json')).json()) as MapExport;
    const before = (await running.server.store.listMaps()).length;
    const cardId = Object.keys(exported.cards)[0]!;
    const refused = async (body: unknown, token: string | null = ADMIN) => {
      const response = await importMap(running, body, token);
      return [response.status, ((await response.json()) as { error: string }).error];
    };
    expect(await refused({ ...exported, cards: { ...exported.cards, [cardId]: { ...exported.cards[cardId], laneId: 'gone' } } })).toEqual([
      400,
      `this file cannot be imported: cards.${cardId}.laneId: refers to "gone", which is not among the lanes of this file`,
    ]);
    expect(await refused({ hello: 'world' })).toEqual([
      400,
      'this file cannot be imported: format: expected "waymark-map": this is not a Waymark map export',
    ]);
    expect((await refused('{"format": "waymark-map", ')).at(0)).toBe(400);
    expect((await refused(exported, null)).at(0)).toBe(401);
    expect((await running.server.store.listMaps()).length).toBe(before);
    // Only those who can open the map export it.
    expect((await get(running, map, 'json', 'not-a-token')).status).toBe(401);
    expect((await get(running, map, 'xlsx')).status).toBe(404);
  });
});
