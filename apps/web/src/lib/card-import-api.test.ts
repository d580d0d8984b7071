import { describe, expect, it, vi } from 'vitest';
import {
  CardImportApi,
  cardsAdded,
  cardsWillBeAdded,
  chosenColumns,
  decodeCsvColumns,
  decodeImportPreview,
  decodeImportResult,
  fileRefusal,
  MAX_CSV_BYTES,
} from './card-import-api';

const columnsAnswer = {
  columns: ['Phase', 'Swimlane', 'Note'],
  rowCount: 2,
  sample: [
    ['Awareness', 'Actions', 'Sees an ad'],
    ['Decision', 'Actions', 'Buys'],
  ],
  suggested: { stage: 'Phase', lane: 'Swimlane', text: 'Note' },
};
const card = { row: 2, stage: 'Awareness', lane: 'Actions', text: 'Sees an ad', personas: ['Evaluating buyer'], tags: ['ads'] };
const result = { added: 2, before: { id: 'v9', kind: 'before-import', createdAt: 1_700_000_000_000 } };

function server(status: number, body?: unknown) {
  return vi.fn(
    async (_input: RequestInfo | URL, _init?: RequestInit) => new Response(body === undefined ? null : JSON.stringify(body), { status }),
  );
}

describe('decoding card import answers', () => {
  it('keeps the columns and sample, and only the guesses that name a column of the file', () => {
    expect(decodeCsvColumns(columnsAnswer)).toEqual(columnsAnswer);
    const guessed = decodeCsvColumns({ ...columnsAnswer, suggested: { stage: 'Phase', lane: 'Not a column', text: 7, tags: undefined } });
    expect(guessed?.suggested).toEqual({ stage: 'Phase' });
    expect(decodeCsvColumns({ ...columnsAnswer, suggested: null })?.suggested).toEqual({});
  });

  it('refuses columns answers of the wrong shape', () => {
    expect(decodeCsvColumns({ ...columnsAnswer, columns: [] })).toBeNull();
    expect(decodeCsvColumns({ ...columnsAnswer, columns: ['A', 3] })).toBeNull();
    expect(decodeCsvColumns({ ...columnsAnswer, rowCount: -1 })).toBeNull();
    expect(decodeCsvColumns({ ...columnsAnswer, sample: [['a'], 'b'] })).toBeNull();
    expect(decodeCsvColumns([columnsAnswer])).toBeNull();
  });

  it('reads a preview card by card, refusing one with a missing or mistyped field', () => {
    expect(decodeImportPreview({ count: 12, preview: [card] })).toEqual({ count: 12, preview: [card] });
    expect(decodeImportPreview({ count: 1, preview: [{ ...card, personas: [null] }] })).toBeNull();
    expect(decodeImportPreview({ count: 1, preview: [{ ...card, stage: undefined }] })).toBeNull();
    expect(decodeImportPreview({ count: '1', preview: [] })).toBeNull();
  });

  it('reads the result with the version taken before the import, and nothing else', () => {
    expect(decodeImportResult(result)).toEqual(result);
    expect(decodeImportResult({ ...result, before: { ...result.before, kind: 'named' } })).toBeNull();
    expect(decodeImportResult({ added: 2 })).toBeNull();
  });
});

describe('the import steps’ words and choices', () => {
  it('leaves out optional columns not chosen, and has no columns until the three needed ones are chosen', () => {
    expect(chosenColumns({ stage: 'Phase', lane: 'Swimlane', text: 'Note', personas: '', tags: 'Labels' })).toEqual({
      stage: 'Phase',
      lane: 'Swimlane',
      text: 'Note',
      tags: 'Labels',
    });
    expect(chosenColumns({ stage: 'Phase', lane: '', text: 'Note', personas: '', tags: '' })).toBeNull();
  });

  it('refuses an empty file or one over 5 MB before sending it, by name and size', () => {
    expect(fileRefusal({ name: 'cards.csv', size: 1200 })).toBeNull();
    expect(fileRefusal({ name: 'cards.csv', size: MAX_CSV_BYTES })).toBeNull();
    expect(fileRefusal({ name: 'huge.csv', size: 6 * 1024 * 1024 })).toBe(
      '“huge.csv” is 6.0 MB; an import takes files of up to 5 MB. Split it into smaller files and import each.',
    );
    expect(fileRefusal({ name: 'blank.csv', size: 0 })).toBe('“blank.csv” is empty.');
  });

  it('counts cards in words', () => {
    expect(cardsWillBeAdded(1)).toBe('1 card will be added');
    expect(cardsWillBeAdded(12)).toBe('12 cards will be added');
    expect(cardsAdded(12)).toBe('12 cards added. To undo, restore the ‘Before an import’ version in History.');
  });
});

describe('CardImportApi', () => {
  it('sends the file with the link and the person, asking for columns, a dry run, then the import', async () => {
    const send = server(200, columnsAnswer);
    const api = new CardImportApi({ mapId: 'm 1', token: 'tok', person: () => 'Zoë 🦊', send });
    const answer = await api.columns('Phase,Swimlane,Note\n');
    expect(answer).toEqual({ ok: true, value: columnsAnswer });
    const [path, init] = send.mock.calls[0]!;
    expect(path).toBe('/api/maps/m%201/cards/import');
    expect(init?.method).toBe('POST');
    expect(init?.headers).toMatchObject({
      authorization: 'Bearer tok',
      'content-type': 'application/json',
      'x-waymark-person': encodeURIComponent('Zoë 🦊'),
    });
    expect(JSON.parse(String(init?.body))).toEqual({ csv: 'Phase,Swimlane,Note\n' });

    const columns = { stage: 'Phase', lane: 'Swimlane', text: 'Note' };
    const previewing = server(200, { count: 1, preview: [card] });
    expect(await new CardImportApi({ mapId: 'm1', token: 'tok', send: previewing }).preview('csv', columns)).toEqual({
      ok: true,
      value: { count: 1, preview: [card] },
    });
    expect(JSON.parse(String(previewing.mock.calls[0]![1]?.body))).toEqual({ csv: 'csv', columns, dryRun: true });

    const adding = server(201, result);
    expect(await new CardImportApi({ mapId: 'm1', token: 'tok', send: adding }).add('csv', columns)).toEqual({ ok: true, value: result });
    expect(JSON.parse(String(adding.mock.calls[0]![1]?.body))).toEqual({ csv: 'csv', columns });
  });

  it('carries the server’s words on a refusal, unchanged', async () => {
    const error = 'this file cannot be imported: row 5, column "Phase": no stage "Purchse" in this map (it has "Awareness", "Decision")';
    const api = new CardImportApi({ mapId: 'm1', token: 'tok', send: server(400, { error }) });
    expect(await api.preview('csv', { stage: 'Phase', lane: 'Lane', text: 'Text' })).toEqual({ ok: false, status: 400, error });
    const forbidden = new CardImportApi({ mapId: 'm1', token: 'tok', send: server(403) });
    expect(await forbidden.columns('csv')).toEqual({ ok: false, status: 403, error: 'the server answered 403' });
  });

  it('says so when the server cannot be reached or answers in a shape it does not know', async () => {
    const offline = new CardImportApi({
      mapId: 'm1',
      token: 'tok',
      send: vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))),
    });
    expect(await offline.columns('csv')).toEqual({ ok: false, status: 0, error: 'the server could not be reached' });
    const odd = new CardImportApi({ mapId: 'm1', token: 'tok', send: server(201, { added: 'many' }) });
    expect(await odd.add('csv', { stage: 'a', lane: 'b', text: 'c' })).toMatchObject({ ok: false, status: 0 });
  });
});
