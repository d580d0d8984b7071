import { addStage, readStages } from '@waymark/model';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { connect, createMap, synced, tokenOf, waitFor } from '../support/clients.js';
import { repoRoot, type RunningServer } from '../support/server.js';
import { useServerTestBed } from '../support/test-bed.js';

const run = promisify(execFile);
const backupCli = join(repoRoot, 'apps/server/dist/cli/backup.js');

describe('online backup and restore', () => {
  const bed = useServerTestBed();
  const clients = bed.clients;
  let running: RunningServer | undefined;

  it('copies the database while edits keep arriving, and the copy restores', async () => {
    const live = join(bed.dir, 'live');
    running = await bed.start({ AUTH_SECRET: 'backup-test-secret-0123' }, { dataDir: live });
    const map = await createMap(running.url);
    const writer = connect(running.url, map.id, tokenOf(map.links.editor));
    const watcher = connect(running.url, map.id, tokenOf(map.links.viewer));
    clients.push(writer, watcher);
    await Promise.all([synced(writer), synced(watcher)]);
    for (let i = 0; i < 20; i++) addStage(writer.doc, { name: `Before ${i}` });
    await waitFor(() => readStages(watcher.doc).some((s) => s.name === 'Before 19'), 'edits stored');
    const named = await fetch(`${running.url}/api/maps/${map.id}/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenOf(map.links.owner)}` },
      body: JSON.stringify({ name: 'before the backup' }),
    });
    expect(named.status).toBe(201);

    // Keep writing while the backup runs.
    let writing = true;
    const background = (async () => {
      for (let i = 0; writing && i < 500; i++) {
        addStage(writer.doc, { name: `During ${i}` });
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    const target = join(bed.dir, 'backup.db');
    const { stdout } = await run(process.execPath, [backupCli, target], { env: { ...process.env, DATA_DIR: live } });
    writing = false;
    await background;
    expect(stdout).toMatch(/1 maps copied/);

    const refused = await run(process.execPath, [backupCli, target], { env: { ...process.env, DATA_DIR: live } }).catch(
      (e: { stderr: string }) => e,
    );
    expect((refused as { stderr: string }).stderr).toMatch(/exists; pass --force/);

    // Restore: a fresh DATA_DIR holding the copy (and the same secret, so the links still work).
    const restored = join(bed.dir, 'restored');
    mkdirSync(restored);
    copyFileSync(target, join(restored, 'waymark.db'));
    expect(existsSync(join(restored, 'waymark.db-wal'))).toBe(false);
    for (const c of clients.splice(0)) c.destroy();
    await running.close();
    running = await bed.start({ AUTH_SECRET: 'backup-test-secret-0123' }, { dataDir: restored });
    const reader = connect(running.url, map.id, tokenOf(map.links.viewer));
    clients.push(reader);
    await synced(reader);
    const names = readStages(reader.doc).map((s) => s.name);
    for (let i = 0; i < 20; i++) expect(names).toContain(`Before ${i}`);
    // Versions come with the copy.
    const versions = (await (
      await fetch(`${running.url}/api/maps/${map.id}/versions`, { headers: { authorization: `Bearer ${tokenOf(map.links.viewer)}` } })
    ).json()) as { name: string | null }[];
    expect(versions.map((version) => version.name)).toContain('before the backup');
  });

  it('says what is wrong instead of copying nothing', async () => {
    const missing = await run(process.execPath, [backupCli, join(bed.dir, 'x.db')], {
      env: { ...process.env, DATA_DIR: join(bed.dir, 'nowhere') },
    }).catch((e: { stderr: string; code: number }) => e);
    expect((missing as { code: number }).code).toBe(1);
    expect((missing as { stderr: string }).stderr).toMatch(/no database at/);
    const usage = await run(process.execPath, [backupCli]).catch((e: { stderr: string }) => e);
    expect((usage as { stderr: string }).stderr).toMatch(/usage: pnpm backup/);
  });
});
