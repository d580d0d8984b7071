import { describe, expect, it, vi } from 'vitest';
import { fileNameFrom } from './export-download';
import { exportTitle, importMap, parseExportFile } from './map-import';
import { KIND_LABELS, versionTitle, versionWhen } from './version-labels';
import { decodeMapExport, decodeVersion, headerSafe, VersionsApi } from './versions-api';

const version = {
  id: 'v1',
  kind: 'named',
  name: 'After the workshop',
  createdAt: 1_700_000_000_000,
  createdBy: 'Alice (editor link)',
  bytes: 120,
};
const links = { owner: 'http://w/maps/m2#token=o', editor: 'http://w/maps/m2#token=e', viewer: 'http://w/maps/m2#token=v' };

function server(status: number, body?: unknown) {
  return vi.fn(
    async (_input: RequestInfo | URL, _init?: RequestInit) => new Response(body === undefined ? null : JSON.stringify(body), { status }),
  );
}

describe('decoding versions', () => {
  it('keeps a well-formed version and refuses an unknown kind or a missing time', () => {
    expect(decodeVersion(version)).toEqual(version);
    expect(decodeVersion({ ...version, name: null, createdBy: null })).toMatchObject({ name: null, createdBy: null });
    expect(decodeVersion({ ...version, kind: 'sneaky' })).toBeNull();
    expect(decodeVersion({ ...version, createdAt: 'yesterday' })).toBeNull();
  });

  it('reads a map export by shape, leaving out records that are not objects', () => {
    const map = decodeMapExport({
      format: 'waymark-map',
      formatVersion: 1,
      meta: {},
      stages: { s: { name: 'A' }, bad: 3 },
      lanes: {},
      personas: {},
      cards: {},
      emotions: { k: 1, j: 'x' },
    });
    expect(map?.stages).toEqual({ s: { name: 'A' } });
    expect(map?.emotions).toEqual({ k: 1 });
    expect(decodeMapExport({ format: 'something-else' })).toBeNull();
    expect(decodeMapExport({ format: 'waymark-map', meta: {}, stages: [], lanes: {}, personas: {}, cards: {} })).toBeNull();
  });

  it('names versions by kind when they have no name of their own', () => {
    expect(versionTitle(decodeVersion(version)!)).toBe('After the workshop');
    expect(versionTitle(decodeVersion({ ...version, kind: 'before-restore', name: null })!)).toBe('Before a restore version');
    expect(KIND_LABELS.auto).toBe('Automatic');
    expect(versionWhen(decodeVersion(version)!, version.createdAt + 3 * 3600_000).text).toBe('3 hours ago by Alice (editor link)');
  });
});

describe('VersionsApi', () => {
  it('sends the link and the person, and lists newest first', async () => {
    const older = { ...version, id: 'v0', createdAt: version.createdAt - 1000 };
    const send = server(200, [older, version]);
    const api = new VersionsApi({ mapId: 'm1', token: 'tok', person: () => 'Zoë 🦊', send });
    const answer = await api.list();
    expect(answer.ok && answer.value.map((v) => v.id)).toEqual(['v1', 'v0']);
    const [path, init] = send.mock.calls[0]!;
    expect(path).toBe('/api/maps/m1/versions');
    expect(init?.headers).toMatchObject({ authorization: 'Bearer tok', 'x-waymark-person': encodeURIComponent('Zoë 🦊') });
  });

  it('carries the server’s words on a refusal', async () => {
    const api = new VersionsApi({ mapId: 'm1', token: 'tok', send: server(403, { error: "only the map's owner may delete a version" }) });
    expect(await api.remove('v1')).toEqual({ ok: false, status: 403, error: "only the map's owner may delete a version" });
  });

  it('forks with the workspace link beside the owner link, and decodes the new map', async () => {
    const send = server(201, { id: 'm2', links });
    const api = new VersionsApi({ mapId: 'm1', token: 'tok', workspace: () => 'ws-token', send });
    expect(await api.fork('v1', ' To-be ')).toEqual({ ok: true, value: { id: 'm2', links } });
    const [path, init] = send.mock.calls[0]!;
    expect(path).toBe('/api/maps/m1/versions/v1/fork');
    expect(init?.headers).toMatchObject({ 'x-waymark-workspace': 'ws-token' });
    expect(JSON.parse(String(init?.body))).toEqual({ title: 'To-be' });
  });

  it('decodes a restore’s two versions', async () => {
    const before = { ...version, id: 'b1', kind: 'before-restore', name: null };
    const api = new VersionsApi({ mapId: 'm1', token: 'tok', send: server(200, { restored: version, before }) });
    const answer = await api.restore('v1');
    expect(answer.ok && answer.value.before.kind).toBe('before-restore');
  });

  it('sends any name as a header can carry it, and the server reads it back whole', () => {
    for (const name of ['Ana María', '李', 'Sam 🦊']) {
      expect(headerSafe(name)).toMatch(/^[\x21-\x7e]*$/);
      expect(decodeURIComponent(headerSafe(name))).toBe(name);
    }
  });
});

describe('export file names', () => {
  it('reads the name from Content-Disposition, preferring filename*', () => {
    expect(fileNameFrom('attachment; filename="checkout-journey.csv"', 'x.csv')).toBe('checkout-journey.csv');
    expect(fileNameFrom('attachment; filename="a.md"; filename*=UTF-8\'\'caf%C3%A9.md', 'x.md')).toBe('café.md');
    expect(fileNameFrom('attachment; filename=plain.json', 'x.json')).toBe('plain.json');
    expect(fileNameFrom('attachment; filename="../../etc/passwd"', 'x')).toBe('..-..-etc-passwd');
    expect(fileNameFrom(null, 'journey-map.pdf')).toBe('journey-map.pdf');
    expect(fileNameFrom('attachment', 'journey-map.png')).toBe('journey-map.png');
  });
});

describe('importing a file', () => {
  it('says a file that is not JSON is not an export, before asking the server', () => {
    expect(parseExportFile('{"format":')).toMatchObject({ ok: false, error: expect.stringContaining('not JSON') });
    expect(parseExportFile('{"a":1}')).toEqual({ ok: true, data: { a: 1 } });
  });

  it('posts the export with the workspace link and gives back the new map or the server’s reason', async () => {
    const ok = server(201, { id: 'm3', links });
    expect(await importMap({ meta: { title: 'Onboarding' } }, 'ws', ok)).toEqual({
      ok: true,
      map: { id: 'm3', links },
      title: 'Onboarding',
    });
    expect(ok.mock.calls[0]![1]?.headers).toMatchObject({ authorization: 'Bearer ws' });
    const refused = server(400, { error: 'this file cannot be imported: cards.c1.laneId: refers to "x"' });
    expect(await importMap({}, null, refused)).toEqual({
      ok: false,
      status: 400,
      error: 'this file cannot be imported: cards.c1.laneId: refers to "x"',
    });
    expect(refused.mock.calls[0]![1]?.headers).not.toHaveProperty('authorization');
    expect(exportTitle({ meta: { title: '  ' } })).toBe('Imported map');
  });
});
