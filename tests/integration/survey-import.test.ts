import { deleteStage, readMetrics, readPersonas, readStages } from '@waymark/model';
import Database from 'better-sqlite3';
import { request } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMap, tokenOf, waitFor, type CreatedMap } from '../support/clients.js';
import { useProcessTestBed, useServerTestBed } from '../support/test-bed.js';

const LIMIT = 50 * 1024 * 1024;

interface Mapping {
  stage: string;
  score?: string;
  metric?: string;
  date?: string;
  dateFormat?: string;
  verbatim?: string;
  persona?: string;
  channel?: string;
  skipUnmatched?: string;
}

const query = (file: string, delimiter: string, mapping: Mapping) => new URLSearchParams({ file, delimiter, ...mapping }).toString();
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

function importFile(
  url: string,
  map: CreatedMap,
  token: string,
  body: string | Uint8Array,
  mapping: Mapping,
  delimiter = 'comma',
  file = 'survey.csv',
) {
  return fetch(`${url}/api/maps/${map.id}/imports?${query(file, delimiter, mapping)}`, {
    method: 'POST',
    headers: { ...bearer(token), 'content-type': 'text/csv' },
    body: typeof body === 'string' ? body : new Blob([body as Uint8Array<ArrayBuffer>]),
  });
}

const MAPPING: Mapping = { stage: 'Stage', score: 'CSAT', verbatim: 'Comment', persona: 'Persona', channel: 'Channel', date: 'Date' };
const SURVEY = [
  'Stage,CSAT,Comment,Persona,Channel,Date',
  'Awareness,4,"Saw the ad, liked it",Evaluating buyer,web,2026-01-10',
  'Awareness,2,Could not find prices,,web,2026-01-20',
  'Purchase,5,Checkout was quick,Evaluating buyer,app,2026-02-03',
  'purchase,3,Card refused once,,web,2026-02-14',
  'Purchase,1,,,web,2026-01-31',
].join('\n');

/** Verbatim rows in the data folder's database, pending ones included (no route shows those). */
function storedVerbatims(dir: string): number {
  const db = new Database(join(dir, 'waymark.db'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM verbatims').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/**
 * Survey and analytics files into a map: aggregates per stage (and persona and month) as metrics
 * seen live, comments kept as searchable verbatims, nothing written from a bad file, and an import
 * deleted whole.
 */
describe('importing survey data', () => {
  const bed = useServerTestBed();

  it('writes the aggregates as metrics seen live, keeps the comments, lists the import, and deletes it whole', async () => {
    const running = await bed.start();
    const map = await createMap(running.url, { title: 'Survey' });
    const editor = tokenOf(map.links.editor);
    const watcher = await bed.join(running.url, map.id, map.links.viewer);
    const stageId = (name: string) => readStages(watcher.doc).find((stage) => stage.name === name)!.id;
    const buyer = readPersonas(watcher.doc).find((persona) => persona.name === 'Evaluating buyer')!.id;

    const response = await importFile(running.url, map, editor, SURVEY, MAPPING, 'comma', 'q1-survey.csv');
    expect(response.status).toBe(201);
    const result = (await response.json()) as { import: { id: string; fileName: string; rows: number }; summary: Record<string, unknown> };
    expect(result.summary).toMatchObject({ rows: 5, imported: 5, stages: 2, verbatims: 4, skipped: { count: 0 } });
    expect(result.import).toMatchObject({ fileName: 'q1-survey.csv', rows: 5, verbatims: 4, metrics: result.summary.metrics });
    const importId = result.import.id;

    await waitFor(() => readMetrics(watcher.doc).length === result.summary.metrics, 'the watcher to see the metrics');
    const figures = readMetrics(watcher.doc).map((m) => [
      m.name,
      readStages(watcher.doc).find((s) => s.id === m.stageId)!.name,
      m.personaId === buyer ? 'buyer' : m.personaId,
      m.date,
      m.value,
    ]);
    expect(figures).toEqual(
      expect.arrayContaining([
        ['CSAT', 'Awareness', '', '2026-01-31', 3],
        ['CSAT', 'Awareness', 'buyer', '2026-01-31', 4],
        ['Responses', 'Awareness', '', '2026-01-31', 2],
        ['CSAT', 'Purchase', '', '2026-01-31', 1],
        ['CSAT', 'Purchase', '', '2026-02-28', 4],
        ['CSAT', 'Purchase', 'buyer', '2026-02-28', 5],
      ]),
    );
    expect(readMetrics(watcher.doc).every((m) => m.source === 'import' && m.origin === importId)).toBe(true);

    // Anyone who may read the map lists imports and searches verbatims.
    const viewer = tokenOf(map.links.viewer);
    const listed = (await (await fetch(`${running.url}/api/maps/${map.id}/imports`, { headers: bearer(viewer) })).json()) as {
      imports: unknown[];
    };
    expect(listed.imports).toEqual([
      expect.objectContaining({ id: importId, fileName: 'q1-survey.csv', rows: 5, importedBy: 'editor link' }),
    ]);
    const search = async (params: string) => {
      const found = await fetch(`${running.url}/api/maps/${map.id}/verbatims?${params}`, { headers: bearer(viewer) });
      expect(found.status).toBe(200);
      return ((await found.json()) as { verbatims: { text: string; row: number; fileName: string; channel: string }[] }).verbatims;
    };
    expect((await search(`stageId=${stageId('Purchase')}`)).map((v) => [v.row, v.text, v.channel, v.fileName])).toEqual([
      [4, 'Checkout was quick', 'app', 'q1-survey.csv'],
      [5, 'Card refused once', 'web', 'q1-survey.csv'],
    ]);
    expect((await search('q=PRICES')).map((v) => v.text)).toEqual(['Could not find prices']);
    expect(await search(`stageId=${stageId('Advocacy')}`)).toEqual([]);
    const badLimit = await fetch(`${running.url}/api/maps/${map.id}/verbatims?limit=500`, { headers: bearer(viewer) });
    expect(badLimit.status).toBe(400);
    expect(((await badLimit.json()) as { error: string }).error).toBe('limit must be at most 100');

    const deleted = await fetch(`${running.url}/api/maps/${map.id}/imports/${importId}`, { method: 'DELETE', headers: bearer(editor) });
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toEqual({ deleted: importId, metrics: result.summary.metrics, verbatims: 4 });
    await waitFor(() => readMetrics(watcher.doc).length === 0, 'the metrics to go');
    expect(await search('')).toEqual([]);
    const again = await fetch(`${running.url}/api/maps/${map.id}/imports/${importId}`, { method: 'DELETE', headers: bearer(editor) });
    expect(again.status).toBe(404);
  });

  it('writes nothing from a bad file, and says what is wrong where', async () => {
    const running = await bed.start();
    const map = await createMap(running.url, { title: 'Survey' });
    const editor = tokenOf(map.links.editor);
    const watcher = await bed.join(running.url, map.id, map.links.viewer);
    // Many good rows (their verbatims are stored as they stream) and one bad row at the end.
    const good = Array.from({ length: 5000 }, (_, i) => `Awareness,4,Comment ${i},,web,2026-01-10`);
    const cases: [string | Uint8Array, Mapping, string, string][] = [
      [
        [SURVEY, ...good, 'Purchase,9,Too high,,web,2026-02-01'].join('\n'),
        MAPPING,
        'comma',
        'row 5007, column "CSAT": expected a CSAT answer from 1 to 5, found "9"',
      ],
      [[SURVEY, ...good, 'Purchase,3,short row'].join('\n'), MAPPING, 'comma', 'row 5007: expected 6 columns, found 3'],
      [
        [SURVEY, 'Delivery,3,,,web,2026-01-10'].join('\n'),
        MAPPING,
        'comma',
        '1 row names a stage the map does not have ("Delivery" at row 7); rename the stages, or choose to skip those rows',
      ],
      [SURVEY, MAPPING, 'semicolon', "only one column found: is the delimiter ','?"],
      [
        Buffer.from(SURVEY.replace('quick', 'très rapide'), 'latin1'),
        MAPPING,
        'comma',
        'the file is not UTF-8 text (first bad byte at row 4); save it as "CSV UTF-8" and import it again',
      ],
      ['', MAPPING, 'comma', 'the file is empty'],
      ['Stage,CSAT,Comment,Persona,Channel,Date\n', MAPPING, 'comma', 'the file has a header but no rows'],
    ];
    for (const [body, mapping, delimiter, message] of cases) {
      const response = await importFile(running.url, map, editor, body, mapping, delimiter);
      expect(response.status, message).toBe(400);
      expect(await response.json()).toEqual({ error: `this file cannot be imported: ${message}` });
    }
    const missingStage = await importFile(running.url, map, editor, SURVEY, { stage: '' });
    expect(await missingStage.json()).toEqual({ error: 'stage must name the column that holds the stage' });

    // Skipping unmatched rows imports the rest.
    const skipping = await importFile(running.url, map, editor, [SURVEY, 'Delivery,3,,,web,2026-01-10'].join('\n'), {
      ...MAPPING,
      skipUnmatched: 'true',
    });
    expect(skipping.status).toBe(201);
    const { import: kept } = (await skipping.json()) as { import: { id: string } };
    await waitFor(() => readMetrics(watcher.doc).length > 0, 'the skipped import');
    // Nothing but that import's figures, comments and listing was ever written.
    expect(new Set(readMetrics(watcher.doc).map((m) => m.origin))).toEqual(new Set([kept.id]));
    const listed = (await (await fetch(`${running.url}/api/maps/${map.id}/imports`, { headers: bearer(editor) })).json()) as {
      imports: { id: string }[];
    };
    expect(listed.imports.map((entry) => entry.id)).toEqual([kept.id]);
    const verbatims = (await (
      await fetch(`${running.url}/api/maps/${map.id}/verbatims?limit=100`, { headers: bearer(editor) })
    ).json()) as { verbatims: { importId: string }[] };
    expect(verbatims.verbatims).toHaveLength(4);
    // Not even hidden rows of the refused files are left in storage.
    expect(storedVerbatims(bed.dir)).toBe(4);
    expect(new Set(verbatims.verbatims.map((v) => v.importId))).toEqual(new Set([kept.id]));
  });

  it('writes nothing when a stage of the file is deleted while it streams', async () => {
    const running = await bed.start();
    const map = await createMap(running.url, { title: 'Survey' });
    const editor = tokenOf(map.links.editor);
    const shaper = await bed.join(running.url, map.id, map.links.editor);
    const watcher = await bed.join(running.url, map.id, map.links.viewer);
    const { hostname, port } = new URL(running.url);
    const rows = 'Awareness,4,"Some words about the ad",,web,2026-01-10\n'.repeat(10_000);
    const header = 'Stage,CSAT,Comment,Persona,Channel,Date\n';
    const req = request({
      hostname,
      port,
      method: 'POST',
      path: `/api/maps/${map.id}/imports?${query('late.csv', 'comma', MAPPING)}`,
      headers: { ...bearer(editor), 'content-type': 'text/csv', 'content-length': Buffer.byteLength(header) + 2 * Buffer.byteLength(rows) },
    });
    const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
      req.on('response', (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
    });
    req.write(header);
    req.write(rows);
    await waitFor(() => storedVerbatims(bed.dir) > 0, 'comments stored mid-import');
    deleteStage(shaper.doc, readStages(shaper.doc).find((stage) => stage.name === 'Awareness')!.id);
    // The server relays only what it has applied: once a watcher sees the deletion, the server has it.
    await waitFor(() => !readStages(watcher.doc).some((stage) => stage.name === 'Awareness'), 'the deletion to reach the server');
    req.end(rows);
    const answer = await answered;
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({
      error: 'this file cannot be imported: a stage or persona was deleted while the file was being imported; import it again',
    });
    expect(readMetrics(shaper.doc)).toEqual([]);
    expect(storedVerbatims(bed.dir)).toBe(0);
  });

  it('refuses a file larger than the limit, whether it says so up front or not', async () => {
    const running = await bed.start();
    const map = await createMap(running.url, { title: 'Survey' });
    const editor = tokenOf(map.links.editor);
    const path = `/api/maps/${map.id}/imports?${query('huge.csv', 'comma', MAPPING)}`;
    const { hostname, port } = new URL(running.url);

    /** Sends `total` bytes of rows (chunked, with no length, when `declared` is null) until the server answers. */
    const send = (declared: number | null, total: number) =>
      new Promise<{ status: number; body: string; sent: number }>((resolve, reject) => {
        const headers: Record<string, string | number> = { ...bearer(editor), 'content-type': 'text/csv' };
        if (declared !== null) headers['content-length'] = declared;
        const req = request({ hostname, port, path, method: 'POST', headers });
        let sent = 0;
        let answered = false;
        req.on('response', (res) => {
          answered = true;
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, body, sent }));
        });
        req.on('error', (error) => {
          if (!answered) reject(error);
        });
        const row = Buffer.from(
          'Awareness,4,"A comment long enough to fill the file quickly, row after row",,web,2026-01-10\n'.repeat(1000),
        );
        const pump = () => {
          while (!answered && sent < total) {
            sent += row.byteLength;
            if (!req.write(row)) return void req.once('drain', pump);
          }
          if (!answered) req.end();
        };
        if (declared !== null && total === 0) req.flushHeaders();
        else {
          req.write('Stage,CSAT,Comment,Persona,Channel,Date\n');
          pump();
        }
      });

    const announced = await send(LIMIT + 1, 0);
    expect(announced.status).toBe(413);
    expect(JSON.parse(announced.body)).toEqual({
      error: 'this file cannot be imported: the file is larger than 50 MB, the most one import takes; split it by date',
    });
    const unannounced = await send(null, LIMIT + 4 * 1024 * 1024);
    expect(unannounced.status).toBe(413);
    expect(unannounced.sent).toBeLessThan(LIMIT + 4 * 1024 * 1024);
    const listed = (await (await fetch(`${running.url}/api/maps/${map.id}/imports`, { headers: bearer(editor) })).json()) as {
      imports: unknown[];
    };
    expect(listed.imports).toEqual([]);
  }, 60_000);

  it("lets only the map's owners and editors import or delete, and anyone with a link read", async () => {
    const running = await bed.start();
    const map = await createMap(running.url, { title: 'Survey' });
    for (const role of ['participant', 'commenter', 'viewer'] as const) {
      const token = tokenOf(map.links[role]);
      const refused = await importFile(running.url, map, token, SURVEY, MAPPING);
      expect(refused.status, role).toBe(403);
      expect(await refused.json()).toEqual({ error: "only the map's owners and editors may import survey data" });
      const preview = await fetch(`${running.url}/api/maps/${map.id}/imports/preview`, {
        method: 'POST',
        headers: bearer(token),
        body: SURVEY,
      });
      expect(preview.status, role).toBe(403);
      const removal = await fetch(`${running.url}/api/maps/${map.id}/imports/someimport`, { method: 'DELETE', headers: bearer(token) });
      expect(removal.status, role).toBe(403);
      expect((await fetch(`${running.url}/api/maps/${map.id}/imports`, { headers: bearer(token) })).status, role).toBe(200);
      expect((await fetch(`${running.url}/api/maps/${map.id}/verbatims`, { headers: bearer(token) })).status, role).toBe(200);
    }
    expect((await fetch(`${running.url}/api/maps/${map.id}/verbatims`)).status).toBe(401);
    expect((await importFile(running.url, map, tokenOf(map.links.owner), SURVEY, MAPPING)).status).toBe(201);

    const preview = await fetch(`${running.url}/api/maps/${map.id}/imports/preview?complete=true`, {
      method: 'POST',
      headers: { ...bearer(tokenOf(map.links.editor)), 'content-type': 'text/csv' },
      body: SURVEY.replaceAll(',', ';'),
    });
    expect(preview.status).toBe(200);
    expect(await preview.json()).toMatchObject({
      delimiter: 'semicolon',
      header: ['Stage', 'CSAT', 'Comment', 'Persona', 'Channel', 'Date'],
      suggested: { stage: 'Stage', score: 'CSAT', verbatim: 'Comment', persona: 'Persona', channel: 'Channel', date: 'Date' },
      metric: 'CSAT',
      dateFormat: 'ymd',
      problems: [],
    });
  });
});

describe('a survey import cancelled', () => {
  const bed = useServerTestBed();

  it('writes nothing when the upload stops half-way, and removes what it had stored', async () => {
    const running = await bed.start();
    const map = await createMap(running.url, { title: 'Survey' });
    const editor = tokenOf(map.links.editor);
    const watcher = await bed.join(running.url, map.id, map.links.viewer);
    const { hostname, port } = new URL(running.url);
    const req = request({
      hostname,
      port,
      method: 'POST',
      path: `/api/maps/${map.id}/imports?${query('cancelled.csv', 'comma', MAPPING)}`,
      headers: { ...bearer(editor), 'content-type': 'text/csv', 'content-length': 20 * 1024 * 1024 },
    });
    req.on('error', () => {});
    req.write('Stage,CSAT,Comment,Persona,Channel,Date\n');
    req.write('Awareness,4,"Some words about the ad",,web,2026-01-10\n'.repeat(20_000));
    await waitFor(() => storedVerbatims(bed.dir) > 0, 'comments stored mid-import');
    // What a browser's Cancel does: the connection goes.
    req.destroy();
    await waitFor(() => storedVerbatims(bed.dir) === 0, 'the stored comments removed');
    const listed = (await (await fetch(`${running.url}/api/maps/${map.id}/imports`, { headers: bearer(editor) })).json()) as {
      imports: unknown[];
    };
    expect(listed.imports).toEqual([]);
    expect(readMetrics(watcher.doc)).toEqual([]);
    // The server goes on taking imports.
    expect((await importFile(running.url, map, editor, SURVEY, MAPPING)).status).toBe(201);
  });
});

describe('a survey import cut short', () => {
  const bed = useProcessTestBed();

  it('leaves nothing half-imported when the server is killed mid-file', async () => {
    const first = await bed.spawn();
    const map = await createMap(first.url, { title: 'Survey' });
    const editor = tokenOf(map.links.editor);
    const { hostname, port } = new URL(first.url);
    const req = request({
      hostname,
      port,
      method: 'POST',
      path: `/api/maps/${map.id}/imports?${query('cut.csv', 'comma', MAPPING)}`,
      headers: { ...bearer(editor), 'content-type': 'text/csv', 'content-length': 20 * 1024 * 1024 },
    });
    req.on('error', () => {});
    req.write('Stage,CSAT,Comment,Persona,Channel,Date\n');
    req.write('Awareness,4,"Some words about the ad",,web,2026-01-10\n'.repeat(20_000));

    // The server has stored comments of the file it is still reading.
    await waitFor(() => storedVerbatims(bed.dir) > 0, 'comments stored mid-import');
    first.child.kill('SIGKILL');
    await first.exited;
    req.destroy();

    const second = await bed.spawn();
    await waitFor(
      () => second.logs.some((line) => line.msg === 'removed survey imports left unfinished by the last stop'),
      'the unfinished import removed',
    );
    expect(storedVerbatims(bed.dir)).toBe(0);
    const watcher = await bed.join(second.url, map.id, map.links.viewer);
    expect(readMetrics(watcher.doc)).toEqual([]);
    const listed = (await (await fetch(`${second.url}/api/maps/${map.id}/imports`, { headers: bearer(editor) })).json()) as {
      imports: unknown[];
    };
    expect(listed.imports).toEqual([]);
  }, 60_000);
});
