import { afterEach, beforeEach } from 'vitest';
import type { Client } from './clients.js';
import { spawnServer, tempDataDir, type ChildServer } from './server.js';

/** Per test: a fresh data folder, server processes started in it, and clients, all stopped afterwards. */
export interface ProcessTestBed {
  readonly dir: string;
  readonly clients: Client[];
  /** Spawns `node apps/server/dist/main.js` on this test's data folder. */
  spawn(env?: Record<string, string>): Promise<ChildServer>;
}

export function useProcessTestBed(): ProcessTestBed {
  let data: ReturnType<typeof tempDataDir> | undefined;
  const clients: Client[] = [];
  const children: ChildServer[] = [];
  beforeEach(() => {
    data = tempDataDir();
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    for (const child of children.splice(0)) {
      if (child.child.exitCode === null && child.child.signalCode === null) child.child.kill('SIGKILL');
      await child.exited;
    }
    data?.remove();
  });
  return {
    get dir() {
      if (!data) throw new Error('the test bed is only there inside a test');
      return data.dir;
    },
    clients,
    async spawn(env = {}) {
      const child = await spawnServer(this.dir, env);
      children.push(child);
      return child;
    },
  };
}
