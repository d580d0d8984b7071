import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, createMap, synced, tokenOf } from '../support/clients.js';
import { openRaw, upgradeStatus } from '../support/raw-socket.js';
import { repoRoot, startServer, tempDataDir, type RunningServer } from '../support/server.js';

describe('HTTP security', () => {
  let data: ReturnType<typeof tempDataDir>;
  let running: RunningServer;
  const logLines: string[] = [];

  beforeEach(async () => {
    data = tempDataDir();
    logLines.length = 0;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString());
        done();
      },
    });
    running = await startServer(data.dir, { WEB_DIR: join(repoRoot, 'apps/web/dist') }, { logger: pino({ level: 'trace' }, sink) });
  });
  afterEach(async () => {
    await running.close();
    data.remove();
  });

  it('sends a strict policy everywhere and lets only the embed route be framed', async () => {
    for (const path of ['/', '/maps/abc', '/api/maps/abc', '/healthz']) {
      const response = await fetch(`${running.url}${path}`);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp, path).toMatch(/default-src 'self'/);
      expect(csp, path).toMatch(/script-src 'self'(;|$)/);
      expect(csp, path).toMatch(/frame-ancestors 'none'/);
      expect(response.headers.get('x-frame-options'), path).toBe('DENY');
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
    const embed = await fetch(`${running.url}/embed/abc`);
    expect(embed.status).toBe(200);
    expect(embed.headers.get('content-security-policy')).toMatch(/frame-ancestors \*/);
    expect(embed.headers.get('x-frame-options')).toBeNull();
  });

  it('never writes a token to the logs', async () => {
    const map = await createMap(running.url);
    const tokens = Object.values(map.links).map(tokenOf);
    const forged = `${tokens[0]!.split('.')[0]}.forgedsignature`;
    await fetch(`${running.url}/api/maps/${map.id}?token=${tokens[1]}`);
    await fetch(`${running.url}/api/maps/${map.id}`, { headers: { authorization: `Bearer ${tokens[2]}` } });
    await fetch(`${running.url}/api/maps/${map.id}?token=${forged}`);
    await upgradeStatus(running.url, `/sync/${map.id}?token=${forged}`);
    await upgradeStatus(running.url, `/sync/unknown?token=${tokens[0]}`);
    const client = connect(running.url, map.id, tokens[0]!);
    await synced(client);
    client.destroy();
    const raw = await openRaw(running.url, map.id, tokens[1]!);
    raw.ws.send(Uint8Array.from([9, 9, 9]));
    await raw.closed;

    const log = logLines.join('\n');
    expect(log).toMatch(/closing connection: bad message/);
    expect(log).toMatch(/sync refused: missing or invalid token/);
    for (const token of [...tokens, forged]) {
      const [payload, signature] = token.split('.');
      expect(log).not.toContain(payload);
      expect(log).not.toContain(signature);
    }
  });
});
