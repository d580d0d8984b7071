import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has defaults for a first run', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.publicUrl).toBe('http://localhost:8080');
    expect(config.storage).toBe('sqlite');
    expect(config.dataDir).toMatch(/data$/);
    expect(config.pingIntervalMs).toBe(30_000);
  });

  it('reads every setting', () => {
    const config = loadConfig({
      PORT: '9000',
      HOST: '0.0.0.0',
      DATA_DIR: '/tmp/wm',
      AUTH_SECRET: 'sixteen-chars-ok',
      PUBLIC_URL: 'https://maps.example.com/',
      MAX_MESSAGE_BYTES: '2048',
    });
    expect(config).toMatchObject({
      port: 9000,
      host: '0.0.0.0',
      dataDir: '/tmp/wm',
      authSecret: 'sixteen-chars-ok',
      publicUrl: 'https://maps.example.com',
      maxMessageBytes: 2048,
    });
  });

  it.each([
    [{ PORT: 'abc' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT must be between 0 and 65535/],
    [{ AUTH_SECRET: 'short' }, /AUTH_SECRET must be at least 16/],
    [{ PUBLIC_URL: 'maps.example.com' }, /PUBLIC_URL must be an absolute/],
    [{ PUBLIC_URL: 'ftp://x' }, /PUBLIC_URL must start with http/],
    [{ STORAGE: 'mongo' }, /STORAGE must be one of sqlite, memory/],
    [{ MAX_MESSAGE_BYTES: '10' }, /MAX_MESSAGE_BYTES must be between/],
    [{ PING_INTERVAL_MS: '10' }, /PING_INTERVAL_MS must be between 100 and 3600000/],
  ])('rejects %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
