import { topLevelMap } from '@waymark/model';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { RECONNECT_CAP_MS, reconnectDelay } from './reconnect-delay';
import { readServerMessage } from './server-notice';

/** The close code the server ends a revoked or expired link's sessions with. */
const LINK_ENDED_CODE = 4403;

/** What the status pill says about the link to the server. Read-only is decided elsewhere. */
export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline';

/**
 * The map's two homes besides memory: the sync server (y-websocket) and this browser's
 * offline copy (y-indexeddb). Edits made while disconnected sit in IndexedDB and merge on
 * their own when the socket comes back; "Work offline" is the user's way to pull the plug
 * on purpose (a train, a flaky venue Wi-Fi) and see exactly that.
 */
export class MapConnection {
  #status = $state<ConnectionStatus>('connecting');
  #workingOffline = $state(false);
  #browserOnline = $state(true);
  #closedReason = $state<string | null>(null);
  #serverSynced = $state(false);
  #localCopyLoaded = $state(false);
  #editsWaiting = $state(0);
  #serverNotice = $state<string | null>(null);
  #denied = $state<string | null>(null);
  #linkEnded = $state<string | null>(null);
  #everConnected = false;
  #started = false;
  #reconnectAttempt = 0;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  readonly provider: WebsocketProvider;
  readonly #persistence: IndexeddbPersistence;
  readonly #cleanup: (() => void)[] = [];

  constructor(doc: Y.Doc, mapId: string, token: string) {
    const base = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/sync`;
    this.#browserOnline = navigator.onLine;
    this.#persistence = new IndexeddbPersistence(`waymark:${mapId}`, doc);
    // An empty offline copy (first visit) is not a map to show: wait for the server then.
    void this.#persistence.whenSynced.then(() => {
      this.#localCopyLoaded = topLevelMap(doc, 'meta').size > 0;
    });
    // Not until the session knows the server takes this link (start()): a revoked link opens no socket.
    this.provider = new WebsocketProvider(base, mapId, doc, {
      params: { token },
      maxBackoffTime: RECONNECT_CAP_MS,
      connect: false,
    });
    // The stock provider only logs a refused write; keep the server's reason to show it, and take
    // the server's notices from the one channel only it can write.
    this.provider.messageHandlers[2] = (_encoder, decoder) => {
      const message = readServerMessage(decoder);
      if (message?.kind === 'denied') this.#denied = message.reason;
      else if (message?.kind === 'read-only') this.#serverNotice = message.reason;
      else if (message?.kind === 'writable') this.#serverNotice = null;
    };
    // Take over the provider's fixed back-off with a jittered one.
    this.provider.on('connection-close', () => {
      const provider = this.provider;
      provider.shouldConnect = false;
      clearTimeout(this.#reconnectTimer);
      this.#reconnectTimer = setTimeout(() => {
        if (this.#workingOffline || this.#closedReason !== null || !this.#started) return;
        provider.connect();
      }, reconnectDelay(this.#reconnectAttempt++));
    });
    this.provider.on('status', ({ status }) => {
      // A new connection hears the map's notice afresh: the server repeats it to every joiner.
      if (status === 'connected') {
        this.#everConnected = true;
        this.#serverNotice = null;
      }
      this.#update();
    });
    this.provider.on('sync', (synced: boolean) => {
      this.#serverSynced = this.#serverSynced || synced;
      if (synced) {
        this.#editsWaiting = 0;
        this.#reconnectAttempt = 0;
      }
      this.#update();
    });
    this.provider.on('closed', ({ code, reason }) => {
      this.#closedReason = reason || 'the server closed the connection';
      if (code === LINK_ENDED_CODE) this.endLink(reason || 'this link no longer opens the map');
      this.#update();
    });
    const countOfflineEdits = (_update: Uint8Array, origin: unknown) => {
      if (origin !== this.provider && origin !== this.#persistence && !this.provider.wsconnected) {
        this.#editsWaiting++;
      }
    };
    doc.on('update', countOfflineEdits);
    this.#cleanup.push(() => doc.off('update', countOfflineEdits));
    const online = () => {
      this.#browserOnline = true;
      this.#update();
    };
    const offline = () => {
      this.#browserOnline = false;
      this.#update();
    };
    addEventListener('online', online);
    addEventListener('offline', offline);
    this.#cleanup.push(() => {
      removeEventListener('online', online);
      removeEventListener('offline', offline);
    });
  }

  get status(): ConnectionStatus {
    return this.#status;
  }

  get workingOffline(): boolean {
    return this.#workingOffline;
  }

  /** Why the server ended the connection for good (bad link, map too large...). */
  get closedReason(): string | null {
    return this.#closedReason;
  }

  /**
   * Why the server ended this link's session for good (revoked or expired), or null. Nothing
   * this page does brings it back: the server refuses the link from now on.
   */
  get linkEnded(): string | null {
    return this.#linkEnded;
  }

  /** Why the server is refusing every write to this map right now (say, its disk is full). */
  get serverNotice(): string | null {
    return this.#serverNotice;
  }

  /** The server's reason for the last write it refused from us, if any. */
  get denied(): string | null {
    return this.#denied;
  }

  /** True once either the server or a non-empty offline copy has given us the map. */
  get loaded(): boolean {
    return this.#serverSynced || this.#localCopyLoaded;
  }

  get serverSynced(): boolean {
    return this.#serverSynced;
  }

  /** Local changes made since the connection dropped; they are in IndexedDB already. */
  get editsWaiting(): number {
    return this.#editsWaiting;
  }

  /** Stops for good: the server no longer takes this page's link (revoked or expired). */
  endLink(reason: string): void {
    this.#linkEnded = reason;
    this.#closedReason ??= reason;
    clearTimeout(this.#reconnectTimer);
    // Other tabs of this browser would keep relaying the map to it otherwise.
    this.provider.disconnect();
    this.#update();
  }

  /** Whether this page has had a live connection to the server. */
  get everConnected(): boolean {
    return this.#everConnected;
  }

  /** Opens the socket, once the server has taken the link (or could not be asked). */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    if (!this.#workingOffline) this.provider.connect();
  }

  workOffline(): void {
    this.#workingOffline = true;
    this.provider.disconnect();
    this.#update();
  }

  reconnect(): void {
    if (this.#linkEnded !== null) return;
    this.#started = true;
    clearTimeout(this.#reconnectTimer);
    this.#reconnectAttempt = 0;
    this.#workingOffline = false;
    this.#closedReason = null;
    this.provider.connect();
    this.#update();
  }

  destroy(): void {
    clearTimeout(this.#reconnectTimer);
    for (const undo of this.#cleanup) undo();
    this.provider.destroy();
    void this.#persistence.destroy();
  }

  #update(): void {
    const provider = this.provider;
    if (provider.wsconnected) this.#status = 'connected';
    else if (this.#workingOffline || this.#closedReason !== null || !this.#browserOnline) {
      this.#status = 'offline';
    } else this.#status = this.#everConnected ? 'reconnecting' : 'connecting';
  }
}
