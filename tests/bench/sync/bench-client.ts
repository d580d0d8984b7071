import { HocuspocusProvider } from '@hocuspocus/provider';
import { WebSocket } from 'ws';
import type { Awareness } from 'y-protocols/awareness';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { ServerKind } from './protocol.js';

/**
 * One stock provider behind the few operations the harness needs, so the worker drives the
 * y-websocket and Hocuspocus clients the same way. The providers are used as an application
 * would use them; nothing here changes what they send.
 */
export interface BenchClient {
  readonly doc: Y.Doc;
  readonly awareness: Awareness;
  /** Synced with the server (for the relay, which never answers a sync: connected). */
  ready(): boolean;
  /** The socket is open. */
  open(): boolean;
  connect(): void;
  /** Closes the socket and stops reconnecting. */
  disconnect(): void;
  /** Called whenever the socket closes. */
  onDrop(listener: () => void): void;
  destroy(): void;
}

// Each stock provider hooks process exit; a worker holds hundreds of them.
process.setMaxListeners(0);

const Polyfill = WebSocket as unknown as typeof globalThis.WebSocket;

/**
 * `initialState`, when given, is applied to the document before the provider exists, so the
 * client starts out holding it and the provider does not send it as an edit of its own.
 */
export function createBenchClient(kind: ServerKind, wsUrl: string, room: string, token?: string, initialState?: Uint8Array): BenchClient {
  const doc = new Y.Doc();
  if (initialState) Y.applyUpdate(doc, initialState);
  return kind === 'hocuspocus' ? hocuspocusClient(doc, wsUrl, room) : yWebsocketClient(doc, kind, wsUrl, room, token);
}

function yWebsocketClient(doc: Y.Doc, kind: ServerKind, wsUrl: string, room: string, token?: string): BenchClient {
  const provider = new WebsocketProvider(kind === 'waymark' ? `${wsUrl}/sync` : wsUrl, room, doc, {
    connect: false,
    params: token ? { token } : {},
    WebSocketPolyfill: Polyfill,
    disableBc: true,
  });
  return {
    doc,
    awareness: provider.awareness,
    ready: () => (kind === 'relay' ? provider.wsconnected : provider.synced && provider.wsconnected),
    open: () => provider.wsconnected,
    connect: () => provider.connect(),
    disconnect: () => provider.disconnect(),
    onDrop: (listener) =>
      provider.on('status', ({ status }: { status: string }) => {
        if (status === 'disconnected') listener();
      }),
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

function hocuspocusClient(doc: Y.Doc, wsUrl: string, room: string): BenchClient {
  const provider = new HocuspocusProvider({
    url: wsUrl,
    name: room,
    document: doc,
    WebSocketPolyfill: Polyfill,
    autoConnect: false,
  } as ConstructorParameters<typeof HocuspocusProvider>[0]);
  const socket = provider.configuration.websocketProvider;
  const open = () => socket.status === 'connected';
  return {
    doc,
    awareness: provider.awareness!,
    ready: () => provider.isSynced && open(),
    open,
    connect: () => void socket.connect(),
    disconnect: () => socket.disconnect(),
    onDrop: (listener) => provider.on('disconnect', listener),
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}
