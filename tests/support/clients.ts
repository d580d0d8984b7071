import * as decoding from 'lib0/decoding';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

export interface CreatedMap {
  id: string;
  links: { owner: string; editor: string; participant: string; commenter: string; viewer: string };
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

/** What the server said on its own channel (auth messages): refusals and notices, in order. */
export type ServerSaid =
  { kind: 'denied'; reason: string } | { kind: 'read-only'; reason: string } | { kind: 'writable' } | { kind: 'damaged'; reason: string };

export interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Everything the server said on its own channel; a stock client only logs refusals. */
  said: ServerSaid[];
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
  const said: ServerSaid[] = [];
  provider.messageHandlers[2] = (_encoder, decoder) => {
    const subtype = decoding.readVarUint(decoder);
    if (subtype === 0) said.push({ kind: 'denied', reason: decoding.readVarString(decoder) });
    else if (subtype === 1) said.push(JSON.parse(decoding.readVarString(decoder)) as ServerSaid);
  };
  return {
    doc,
    provider,
    said,
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

/** The map's current notice as the server last said it: the read-only reason, or undefined. */
export function serverNotice(client: Client): string | undefined {
  const last = client.said.filter((said) => said.kind !== 'denied').at(-1);
  return last?.kind === 'read-only' ? last.reason : undefined;
}
