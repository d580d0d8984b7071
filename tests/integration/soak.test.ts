import { describe, expect, it } from 'vitest';
import { soak } from '../support/soak.js';
import { startServer, tempDataDir } from '../support/server.js';

describe('soak (short)', () => {
  it('opens and closes rooms and connections without growing memory or handles', async () => {
    const data = tempDataDir();
    const running = await startServer(data.dir, { ROOM_IDLE_MS: '20', COMPACT_AFTER_UPDATES: '50' });
    try {
      const result = await soak(running, { cycles: 120, maxMs: 30_000, maps: 6, clientsPerCycle: 8 });
      expect(result.cycles).toBeGreaterThanOrEqual(40);
      expect(result.final.rooms).toBe(0);
      expect(result.final.handles).toBeLessThanOrEqual(result.baseline.handles);
      // Everything a cycle allocates is released: the heap ends within a few MB of where it began.
      expect(result.final.heapUsedMb - result.baseline.heapUsedMb).toBeLessThan(4);
    } finally {
      await running.close();
      data.remove();
    }
  }, 60_000);
});
