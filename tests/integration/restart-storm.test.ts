import { addStage, readStages } from '@waymark/model';
import { describe, it } from 'vitest';
import { connect, createMap, synced, tokenOf, waitFor } from '../support/clients.js';
import { useProcessTestBed } from '../support/test-bed.js';
import { freePort } from '../support/free-port.js';

describe('restart storm', () => {
  const bed = useProcessTestBed();
  const clients = bed.clients;

  it('brings every client back after a SIGKILL, merging what they did meanwhile', async () => {
    const port = String(await freePort());
    const env = { PORT: port, MAX_CONCURRENT_LOADS: '4' };
    const first = await bed.spawn(env);
    const maps = await Promise.all(Array.from({ length: 10 }, () => createMap(first.url)));
    for (const map of maps) {
      for (let i = 0; i < 8; i++) clients.push(connect(first.url, map.id, tokenOf(map.links.editor)));
    }
    await Promise.all(clients.map(synced));

    first.child.kill('SIGKILL');
    await first.exited;
    await waitFor(() => clients.every((c) => !c.provider.wsconnected), 'clients to notice');
    // Everyone edits while the server is down.
    clients.forEach((c, i) => addStage(c.doc, { name: `offline ${i}` }));

    await bed.spawn(env);
    await waitFor(() => clients.every((c) => c.provider.synced), 'every client to resync', 20_000);
    // Each map converges on all its clients' offline edits.
    for (const [m, map] of maps.entries()) {
      const team = clients.slice(m * 8, m * 8 + 8);
      const expected = team.map((_, i) => `offline ${m * 8 + i}`).sort();
      await waitFor(
        () => team.every((c) => expected.every((name) => readStages(c.doc).some((s) => s.name === name))),
        `map ${map.id} to converge`,
      );
    }
  }, 60_000);
});
