import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

export interface CreatedMap {
  id: string;
  links: { owner: string; editor: string; viewer: string };
}

export async function createMap(url: string, body: Record<string, unknown> = {}): Promise<CreatedMap> {
  const response = await fetch(`${url}/api/maps`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Checkout journey', template: 'buyer-journey', ...body }),
  });
  if (response.status !== 201) throw new Error(`create map failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as CreatedMap;
}

/** The token a map link carries in its fragment. */
export function tokenOf(link: string): string {
  const token = new URL(link).hash.match(/token=([^&]+)/)?.[1];
  if (!token) throw new Error(`no token in ${link}`);
  return token;
}

export interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
  destroy(): void;
}

// In Node each stock provider adds a process 'exit' listener; tests open dozens at once.
process.setMaxListeners(200);

/** A stock y-websocket client, exactly as an application would create it. */
export function connect(url: string, mapId: string, token: string, doc = new Y.Doc()): Client {
  const provider = new WebsocketProvider(`${url.replace(/^http/, 'ws')}/sync`, mapId, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 200,
  });
  return {
    doc,
    provider,
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Polls `condition` until it holds or the deadline passes. */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const synced = (client: Client) => waitFor(() => client.provider.synced, 'client to sync');
