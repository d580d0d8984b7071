import { addCard, createMapFromTemplate, readMap, setEmotion, type MapExport, type MapSnapshot } from '@waymark/model';
import { MapImageRenderer, RendererBusyError } from '@waymark/server';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connect, synced, tokenOf, waitFor, type CreatedMap } from '../support/clients.js';
import { pdfText } from '../support/pdf-text.js';
import type { RunningServer } from '../support/server.js';
import { useServerTestBed } from '../support/test-bed.js';

const ADMIN = 'workspace-admin-token-for-tests';
const HOSTILE = `</text><script>x</script> & 'q' "q"\u0001\u0007\u001b\u0000 <!--`;

/** The colours, as #rrggbb, of the pixels of an RGBA image. */
function coloursIn(png: PNG): Set<string> {
  const values = new Set<number>();
  for (let offset = 0; offset < png.data.length; offset += 4) values.add(png.data.readUIntBE(offset, 3));
  return new Set([...values].map((value) => `#${value.toString(16).padStart(6, '0')}`));
}

/** PNG signature, then the IHDR chunk: width and height as big-endian 32-bit at bytes 16 and 20. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/**
 * PNG and PDF exports: the whole map as drawn in the editor, for anyone who can open the map.
 */
describe('picture exports', () => {
  const bed = useServerTestBed();

  const get = (running: RunningServer, map: CreatedMap, format: string, token = tokenOf(map.links.viewer!)) =>
    fetch(`${running.url}/api/maps/${map.id}/export.${format}`, { headers: { authorization: `Bearer ${token}` } });

  /** A buyer journey with one short card in each card lane of the first stage, one hostile card, and emotion scores. */
  async function scoredMap(running: RunningServer): Promise<{ map: CreatedMap; state: MapSnapshot }> {
    const made = await fetch(`${running.url}/api/maps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
      body: JSON.stringify({ title: 'Visual map', template: 'buyer-journey', goal: 'Why they stall', scope: 'EU' }),
    });
    const map = (await made.json()) as CreatedMap;
    const client = connect(running.url, map.id, tokenOf(map.links.editor!));
    bed.clients.push(client);
    await synced(client);
    const state = readMap(client.doc);
    const cardLanes = state.lanes.filter((lane) => lane.kind !== 'emotions');
    for (const lane of cardLanes) addCard(client.doc, { stageId: state.stages[0]!.id, laneId: lane.id, text: `Grüße ${lane.kind}` });
    addCard(client.doc, { stageId: state.stages[1]!.id, laneId: cardLanes[0]!.id, text: HOSTILE, colour: '#1e3a8a' });
    state.stages.forEach((stage, index) => {
      for (const persona of state.personas) setEmotion(client.doc, { personaId: persona.id, stageId: stage.id, score: (index % 7) - 3 });
    });
    await waitFor(async () => {
      const exported = (await (await get(running, map, 'json')).json()) as MapExport;
      return (
        Object.keys(exported.cards).length === cardLanes.length + 1 &&
        Object.keys(exported.emotions).length === state.stages.length * state.personas.length
      );
    }, 'the cards and scores in the export');
    return { map, state: readMap(client.doc) };
  }

  it('draws a PDF whose text holds every stage, lane, card and persona, hostile text literally', async () => {
    const running = await bed.start({ WORKSPACE_TOKEN: ADMIN });
    const { map, state } = await scoredMap(running);
    const response = await get(running, map, 'pdf');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="visual-map.pdf"');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(new TextDecoder().decode(bytes.subarray(0, 5))).toBe('%PDF-');
    const text = await pdfText(bytes);
    const lines = text.split('\n');
    expect(lines).toContain('Visual map');
    expect(lines).toContain('Why we map this: Why they stall');
    for (const stage of state.stages) expect(lines, stage.name).toContain(stage.name);
    for (const lane of state.lanes) expect(lines, lane.title).toContain(lane.title);
    for (const persona of state.personas) expect(lines, persona.name).toContain(persona.name);
    expect(lines).toContain('Grüße goals');
    // Wrapped over two lines of the card; read as one, it is exactly what was typed, minus controls.
    expect(text.replace(/\s+/g, ' ')).toContain(`</text><script>x</script> & 'q' "q" <!--`);
    expect(text).not.toMatch(/[\u0000\u0001\u0007\u001b]/);
  });

  it('draws a PNG of the whole map, sized by its stages and lanes, in the editor colours', async () => {
    const running = await bed.start({ WORKSPACE_TOKEN: ADMIN });
    const { map, state } = await scoredMap(running);
    const response = await get(running, map, 'png');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="visual-map.png"');
    const bytes = Buffer.from(await response.arrayBuffer());
    const stages = state.stages.length;
    const lanes = state.lanes;
    const cardLanes = lanes.filter((lane) => lane.kind !== 'emotions').length;
    // The layout of apps/server/src/exports/map-scene.ts (LAYOUT) at the PNG's zoom of 2: margins of
    // 32, lane headers 200 wide, stages 240; above the grid the title (30), goal and scope (6 + 20
    // each) and the personas line (6 + 24), then 16; a 52-high stage header; card lanes of one
    // short card are 102 high, the emotion lane 200.
    const top = 32 + 30 + 26 + 26 + 30 + 16;
    expect(pngSize(bytes)).toEqual({
      width: 2 * (32 + 200 + stages * 240 + 32),
      height: 2 * (top + 52 + cardLanes * 102 + (lanes.length - cardLanes) * 200 + 32),
    });
    const colours = coloursIn(PNG.sync.read(bytes));
    expect(colours.size).toBeGreaterThan(100);
    // Lane-kind bars (goals, emotions, KPIs), the stage accent, the default card colour, the hostile
    // card's colour, and the template persona's curve.
    for (const colour of ['#10b981', '#f43f5e', '#f59e0b', '#2f5bea', '#fde68a', '#1e3a8a', '#0ea5e9'])
      expect(colours, colour).toContain(colour);
  });

  it('lets a viewer export, refuses a bad token, and draws two exports asked for at once', async () => {
    const running = await bed.start({ WORKSPACE_TOKEN: ADMIN });
    const { map } = await scoredMap(running);
    expect((await get(running, map, 'png', 'not-a-token')).status).toBe(401);
    expect((await get(running, map, 'pdf', 'not-a-token')).status).toBe(401);
    const [png, pdf] = await Promise.all([get(running, map, 'png'), get(running, map, 'pdf')]);
    expect([png.status, pdf.status]).toEqual([200, 200]);
    expect((await pdf.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    // The existing exports are unchanged beside the new ones.
    expect((await get(running, map, 'md')).status).toBe(200);
    expect((await get(running, map, 'svg')).status).toBe(404);
  });
});

/** The worker thread behind the picture exports: one render at a time, a bounded queue, a deadline. */
describe('MapImageRenderer', () => {
  const doc = new Y.Doc();
  createMapFromTemplate(doc, { title: 'Queue', template: 'onboarding' }, { kind: 'server' });
  const map = readMap(doc);

  it('refuses renders past its queue, and draws the rest in order', async () => {
    const renderer = new MapImageRenderer({ maxQueued: 1 });
    try {
      const drawing = renderer.render('pdf', map);
      const waiting = renderer.render('png', map);
      await expect(renderer.render('png', map)).rejects.toBeInstanceOf(RendererBusyError);
      expect((await drawing).subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pngSize(await waiting).width).toBeGreaterThan(0);
    } finally {
      await renderer.close();
    }
  });

  it('gives up a render past its deadline and draws the next one on a fresh worker', async () => {
    const renderer = new MapImageRenderer({ timeoutMs: 1 });
    try {
      await expect(renderer.render('png', map)).rejects.toThrow(/took longer than 1 ms/);
    } finally {
      await renderer.close();
    }
    const patient = new MapImageRenderer();
    try {
      expect(pngSize(await patient.render('png', map)).width).toBeGreaterThan(0);
      await patient.close();
      await expect(patient.render('png', map)).rejects.toThrow(/closed/);
    } finally {
      await patient.close();
    }
  });
});
