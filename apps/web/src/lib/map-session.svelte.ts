import { readMeta, type MapMeta } from '@waymark/model';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

export type ConnectionStatus = 'connecting' | 'connected' | 'offline' | 'reconnecting' | 'closed';

/** One open map: the shared document, its connection, and what the page shows of it. */
export class MapSession {
  #meta = $state<MapMeta | null>(null);
  #status = $state<ConnectionStatus>('connecting');
  #closedReason = $state<string | null>(null);
  readonly #doc = new Y.Doc();
  readonly #provider: WebsocketProvider;
  #everConnected = false;

  constructor(mapId: string, token: string) {
    const base = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/sync`;
    this.#provider = new WebsocketProvider(base, mapId, this.#doc, { params: { token } });
    this.#provider.on('status', ({ status }) => {
      if (status === 'connected') this.#everConnected = true;
      this.#status =
        status === 'connected' ? 'connected' : status === 'connecting' && this.#everConnected ? 'reconnecting' : status === 'disconnected' ? 'offline' : 'connecting';
    });
    this.#provider.on('closed', ({ reason }) => {
      this.#status = 'closed';
      this.#closedReason = reason || 'the server closed the connection';
    });
    this.#provider.on('sync', (isSynced: boolean) => {
      if (isSynced) this.#refresh();
    });
    this.#doc.getMap('meta').observe(() => this.#refresh());
  }

  get meta(): MapMeta | null {
    return this.#meta;
  }

  get status(): ConnectionStatus {
    return this.#status;
  }

  get closedReason(): string | null {
    return this.#closedReason;
  }

  destroy(): void {
    this.#provider.destroy();
    this.#doc.destroy();
  }

  #refresh(): void {
    this.#meta = readMeta(this.#doc);
  }
}
