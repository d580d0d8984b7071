import { addStage, readStages } from '@waymark/model';
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connect, createMap, serverNotice, synced, tokenOf, waitFor } from '../support/clients.js';
import { openRaw, permissionDenials, someUpdate, syncUpdateFrame } from '../support/raw-socket.js';
import type { RunningServer } from '../support/server.js';
import { useProcessTestBed, useServerTestBed } from '../support/test-bed.js';

const COMPACT_STEPS = ['begin', 'snapshot-written', 'log-trimmed', 'committed'];

describe('storage failures', () => {
  const bed = useServerTestBed();
  const clients = bed.clients;
  let running: RunningServer | undefined;

  it('a locked database puts the map into read-only mode, then back, without losing an edit', async () => {
    running = await bed.start({ SQLITE_BUSY_TIMEOUT_MS: '50', STORAGE_RETRY_MS: '100' });
    const map = await createMap(running.url);
    const writer = connect(running.url, map.id, tokenOf(map.links.editor));
    const watcher = connect(running.url, map.id, tokenOf(map.links.viewer));
    clients.push(writer, watcher);
    await Promise.all([synced(writer), synced(watcher)]);

    const lock = new Database(join(bed.dir, 'waymark.db'));
    lock.exec('BEGIN EXCLUSIVE');
    addStage(writer.doc, { name: 'Written while locked' });
    // The room reopens read-only and says why, to every client.
    await waitFor(() => serverNotice(watcher)?.includes('database is locked') ?? false, 'read-only notice');
    expect(readStages(watcher.doc).some((s) => s.name === 'Written while locked')).toBe(false);

    // A raw client's write is refused with the reason while the store is down.
    const raw = await openRaw(running.url, map.id, tokenOf(map.links.editor));
    raw.ws.send(syncUpdateFrame(someUpdate('note', 'refused')));
    await waitFor(() => permissionDenials(raw.received).some((r) => r.includes('cannot save')), 'refusal');
    raw.ws.close();

    lock.exec('ROLLBACK');
    lock.close();
    // Once the store works again the writer's edit, kept on its side, is asked for and saved.
    await waitFor(() => readStages(watcher.doc).some((s) => s.name === 'Written while locked'), 'edit after recovery');
    await waitFor(() => serverNotice(watcher) === undefined, 'notice cleared');
    addStage(writer.doc, { name: 'After recovery' });
    await waitFor(() => readStages(watcher.doc).some((s) => s.name === 'After recovery'), 'normal editing');

    for (const c of clients.splice(0)) c.destroy();
    await running.close();
    running = await bed.start();
    const fresh = connect(running.url, map.id, tokenOf(map.links.viewer));
    clients.push(fresh);
    await synced(fresh);
    const names = readStages(fresh.doc).map((s) => s.name);
    expect(names).toContain('Written while locked');
    expect(names).toContain('After recovery');
  });

  it.runIf(process.getuid?.() === 0)('a full disk puts the map into read-only mode and loses nothing', async () => {
    const mount = join(bed.dir, 'small-disk');
    mkdirSync(mount);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mount]);
    try {
      running = await bed.start({ STORAGE_RETRY_MS: '100' }, { dataDir: mount });
      const map = await createMap(running.url);
      const writer = connect(running.url, map.id, tokenOf(map.links.editor));
      const watcher = connect(running.url, map.id, tokenOf(map.links.viewer));
      clients.push(writer, watcher);
      await Promise.all([synced(writer), synced(watcher)]);
      addStage(writer.doc, { name: 'Before full' });
      await waitFor(() => readStages(watcher.doc).some((s) => s.name === 'Before full'), 'first edit');

      // Fill the disk, then edit.
      try {
        execFileSync('dd', ['if=/dev/zero', `of=${join(mount, 'filler')}`, 'bs=64k', 'count=64'], { stdio: 'ignore' });
      } catch {
        // dd stops with "no space left on device": the disk is full, as intended.
      }
      addStage(writer.doc, { name: 'P'.repeat(2000) });
      await waitFor(() => serverNotice(watcher)?.includes('disk full') ?? false, 'disk full notice');

      execFileSync('rm', [join(mount, 'filler')]);
      await waitFor(() => readStages(watcher.doc).some((s) => s.name.startsWith('PPP')), 'edit after space freed');
      for (const c of clients.splice(0)) c.destroy();
      await running.close();
      running = await bed.start({}, { dataDir: mount });
      const fresh = connect(running.url, map.id, tokenOf(map.links.viewer));
      clients.push(fresh);
      await synced(fresh);
      expect(readStages(fresh.doc).map((s) => s.name)).toEqual(expect.arrayContaining(['Before full', 'P'.repeat(2000)]));
    } finally {
      for (const c of clients.splice(0)) c.destroy();
      await running?.close();
      running = undefined;
      execFileSync('umount', ['-l', mount]);
    }
  });
});

describe('a crash during compaction', () => {
  const bed = useProcessTestBed();
  const clients = bed.clients;

  it.each(COMPACT_STEPS)('at step "%s" leaves a map that loads whole', async (step) => {
    const crashing = await bed.spawn({ WAYMARK_CRASH_AT: step, COMPACT_AFTER_UPDATES: '15' });
    const map = await createMap(crashing.url);
    const writer = connect(crashing.url, map.id, tokenOf(map.links.editor));
    const watcher = connect(crashing.url, map.id, tokenOf(map.links.viewer));
    clients.push(writer, watcher);
    await Promise.all([synced(writer), synced(watcher)]);
    let written = 0;
    // Write until the compaction kills the server; everything the watcher saw must survive.
    while (crashing.child.exitCode === null && crashing.child.signalCode === null && written < 200) {
      addStage(writer.doc, { name: `C${written++}` });
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect((await crashing.exited).signal).toBe('SIGKILL');
    const seen = readStages(watcher.doc)
      .map((s) => s.name)
      .filter((n) => /^C\d+$/.test(n));
    expect(seen.length).toBeGreaterThanOrEqual(15);
    writer.provider.disconnect();
    watcher.provider.disconnect();

    const restarted = await bed.spawn();
    const fresh = connect(restarted.url, map.id, tokenOf(map.links.viewer));
    clients.push(fresh);
    await synced(fresh);
    const loaded = readStages(fresh.doc).map((s) => s.name);
    expect(loaded).toEqual(expect.arrayContaining(seen));
  });
});
