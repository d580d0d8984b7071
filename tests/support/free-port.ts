import { createServer } from 'node:net';

/**
 * A port on 127.0.0.1 that nothing listens on now. Whatever takes it a moment later may find it
 * taken in between: callers that start a server on it retry on that one failure.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
