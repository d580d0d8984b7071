import { afterAll } from 'vitest';

/**
 * A server one test file shares (a Redis, a PostgreSQL): started by the first test that asks for
 * it and stopped after the file's last test. Where it cannot start, `get` calls `skip` with the
 * first line of the reason, so the tests are reported skipped and say why rather than failing.
 */
export function fileService<T extends { stop(): Promise<void> }>(
  start: () => Promise<T>,
): { get(skip: (reason: string) => void): Promise<T> } {
  let starting: Promise<T> | null = null;
  afterAll(async () => {
    const started = await starting?.catch(() => null);
    await started?.stop();
  });
  return {
    async get(skip) {
      starting ??= start();
      try {
        return await starting;
      } catch (error) {
        skip(error instanceof Error ? error.message.split('\n')[0]! : String(error));
        throw error;
      }
    },
  };
}
