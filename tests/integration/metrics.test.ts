import { addStage } from '@waymark/model';
import { describe, expect, it } from 'vitest';
import { connect, createMap, synced, tokenOf, waitFor } from '../support/clients.js';
import { openRaw, someUpdate, syncUpdateFrame } from '../support/raw-socket.js';
import { useServerTestBed } from '../support/test-bed.js';

const METRICS_TOKEN = 'metrics-token-for-tests-0123';

/** `GET /metrics` in Prometheus text format, behind METRICS_TOKEN; off when it is unset. */
describe('metrics', () => {
  const bed = useServerTestBed();

  it('counts rooms, connections, presence, accepted and refused updates and commit and fan-out latency', async () => {
    const running = await bed.start({ METRICS_TOKEN });
    const map = await createMap(running.url);
    const editor = connect(running.url, map.id, tokenOf(map.links.editor));
    const viewer = connect(running.url, map.id, tokenOf(map.links.viewer));
    bed.clients.push(editor, viewer);
    editor.provider.awareness.setLocalStateField('user', { name: 'Ana', colour: '#e11d48' });
    await Promise.all([synced(editor), synced(viewer)]);
    addStage(editor.doc, { name: 'Counted' });
    await waitFor(() => viewer.doc.getMap('stages').size > 7, 'the edit relayed');
    // A viewer's write is refused.
    const raw = await openRaw(running.url, map.id, tokenOf(map.links.viewer));
    raw.ws.send(syncUpdateFrame(someUpdate('note', 'refused')));

    const scrape = async () => {
      const response = await fetch(`${running.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      return response.text();
    };
    const value = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
    await waitFor(async () => value(await scrape(), 'waymark_updates_refused_total') >= 1, 'the refusal counted');
    const text = await scrape();
    expect(value(text, 'waymark_rooms')).toBe(1);
    expect(value(text, 'waymark_connections')).toBe(3);
    expect(value(text, 'waymark_presence_entries')).toBeGreaterThanOrEqual(1);
    expect(value(text, 'waymark_updates_accepted_total')).toBeGreaterThanOrEqual(1);
    expect(value(text, 'waymark_commit_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(value(text, 'waymark_fanout_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(value(text, 'waymark_storage_failures_total')).toBe(0);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \S+$/m);
    raw.ws.close();

    expect((await fetch(`${running.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${running.url}/metrics`, { headers: { authorization: 'Bearer metrics-token-for-tests-0124' } })).status).toBe(401);
  });

  it('is not there when METRICS_TOKEN is unset', async () => {
    const running = await bed.start();
    expect((await fetch(`${running.url}/metrics`)).status).toBe(404);
  });
});
