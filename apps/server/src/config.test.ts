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

  it('keeps maps in PostgreSQL when DATABASE_URL is set, either scheme', () => {
    expect(loadConfig({}).databaseUrl).toBeUndefined();
    for (const url of ['postgres://waymark:secret@db:5432/waymark', 'postgresql://db/waymark']) {
      expect(loadConfig({ DATABASE_URL: url })).toMatchObject({ storage: 'postgres', databaseUrl: url });
      expect(loadConfig({ DATABASE_URL: url, STORAGE: 'postgres' }).storage).toBe('postgres');
    }
  });

  it('never repeats the password of a DATABASE_URL it refuses', () => {
    let refusal = '';
    try {
      loadConfig({ DATABASE_URL: 'mysql://waymark:hunter2hunter2@db/waymark' });
    } catch (error) {
      refusal = (error as Error).message;
    }
    expect(refusal).toMatch(/DATABASE_URL must start with/);
    expect(refusal).not.toContain('hunter2');
  });

  it('trusts the proxies TRUST_PROXY names, and says which entry it cannot read', () => {
    expect(loadConfig({}).trustedProxies).toEqual([]);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8,::1' }).trustedProxies).toEqual(['10.0.0.0/8', '::1']);
    expect(() => loadConfig({ TRUST_PROXY: 'nginx' })).toThrow('TRUST_PROXY: "nginx" is not an IP address');
  });

  it('fans rooms out through Redis when REDIS_URL is set, either scheme', () => {
    expect(loadConfig({}).redisUrl).toBeUndefined();
    for (const url of ['redis://127.0.0.1:6379', 'rediss://waymark:secret@cache:6380/0']) {
      expect(loadConfig({ REDIS_URL: url }).redisUrl).toBe(url);
    }
    expect(() => loadConfig({ REDIS_URL: 'http://waymark:hunter2hunter2@cache' })).toThrow(
      /^REDIS_URL must start with redis:\/\/ or rediss:\/\/, got http:\/\/$/,
    );
    expect(() => loadConfig({ REDIS_URL: 'cache:6379' })).toThrow(/REDIS_URL must start with redis:/);
    expect(() => loadConfig({ REDIS_URL: 'not a url' })).toThrow(/REDIS_URL must be a URL like redis:/);
  });

  it.each([
    [{ PORT: 'abc' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT must be between 0 and 65535/],
    [{ AUTH_SECRET: 'short' }, /AUTH_SECRET must be at least 16/],
    [{ PUBLIC_URL: 'maps.example.com' }, /PUBLIC_URL must be an absolute/],
    [{ PUBLIC_URL: 'ftp://x' }, /PUBLIC_URL must start with http/],
    [{ STORAGE: 'mongo' }, /STORAGE must be one of sqlite, memory/],
    [{ DATABASE_URL: 'mysql://db/waymark' }, /DATABASE_URL must start with postgres:\/\/ or postgresql:\/\/, got mysql:\/\//],
    [{ DATABASE_URL: 'db:5432' }, /DATABASE_URL must start with postgres/],
    [{ DATABASE_URL: 'not a url' }, /DATABASE_URL must be a URL like postgres:/],
    [{ DATABASE_URL: 'postgres://db/waymark', STORAGE: 'memory' }, /DATABASE_URL is set.*but STORAGE is memory/],
    [{ STORAGE: 'postgres' }, /STORAGE=postgres needs DATABASE_URL/],
    [{ MAX_MESSAGE_BYTES: '10' }, /MAX_MESSAGE_BYTES must be between/],
    [{ PING_INTERVAL_MS: '10' }, /PING_INTERVAL_MS must be between 100 and 3600000/],
  ])('rejects %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
