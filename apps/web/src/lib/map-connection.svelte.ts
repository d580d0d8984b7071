import { topLevelMap } from '@waymark/model';
import { IndexeddbPersistence } from 'y-indexeddb';
import { messageQueryAwareness, WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { RECONNECT_CAP_MS, reconnectDelay } from './reconnect-delay';
import { onAuthMessages, stopOwnReconnect } from './y-websocket-adapter';
import { readServerMessage } from './server-notice';
import { SILENCE_CHECK_MS, SocketSilence } from './socket-silence';

/** The close code the server ends a revoked or expired link's sessions with. */
const LINK_ENDED_CODE = 4403;
/** The close code the server ends every session of a map moved to the trash with. */
const MAP_GONE_CODE = 4410;
/**
 * How long the socket waits for this browser's offline copy of the map. It opens once the copy
 * is in the document; this is only for an IndexedDB that never answers (blocked, broken).
 */
const LOCAL_COPY_WAIT_MS = 3_000;
/** y-websocket's "send me everyone's presence", which the server answers at once: the probe of a silent socket. */
const QUERY_AWARENESS = Uint8Array.of(messageQueryAwareness);

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
  #damageNotice = $state<string | null>(null);
  #linkEnded = $state<string | null>(null);
  #everConnected = false;
  #started = false;
  #destroyed = false;
  #reconnectAttempt = 0;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #silence = new SocketSilence();
  readonly provider: WebsocketProvider;
  readonly #persistence: IndexeddbPersistence;
  /** Settles once the offline copy is in the document (or LOCAL_COPY_WAIT_MS has passed). */
  readonly #localCopyRead: Promise<void>;
  readonly #cleanup: (() => void)[] = [];

  /** `onDenied` hears each write the server refused, with its reason (the stock provider only logs them). */
  constructor(doc: Y.Doc, mapId: string, token: string, onDenied: (reason: string) => void) {
    const base = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/sync`;
    this.#browserOnline = navigator.onLine;
    this.#persistence = new IndexeddbPersistence(`waymark:${mapId}`, doc);
    // An empty offline copy (first visit) is not a map to show: wait for the server then.
    const localCopy = this.#persistence.whenSynced.then(() => {
      this.#localCopyLoaded = topLevelMap(doc, 'meta').size > 0;
    });
    let giveUp: ReturnType<typeof setTimeout> | undefined;
    this.#localCopyRead = Promise.race([localCopy, new Promise<void>((resolve) => (giveUp = setTimeout(resolve, LOCAL_COPY_WAIT_MS)))]);
    this.#cleanup.push(() => clearTimeout(giveUp));
    // Not until the session knows the server takes this link (start()): a revoked link opens no socket.
    this.provider = new WebsocketProvider(base, mapId, doc, {
      params: { token },
      maxBackoffTime: RECONNECT_CAP_MS,
      connect: false,
      // No BroadcastChannel between tabs: each tab's edits reach the others through the server,
      // checked against its own link (a viewer's tab must not write through an editor's tab
      // beside it), and the channel's handshake encodes the whole map on every load (a sixth of
      // a reload of a 5,000-card map).
      disableBc: true,
    });
    // The stock provider only logs a refused write; pass the server's reason on to show it, and
    // take the server's notices from the one channel only it can write.
    onAuthMessages(this.provider, (decoder) => {
      const message = readServerMessage(decoder);
      if (message?.kind === 'denied') onDenied(message.reason);
      else if (message?.kind === 'read-only') this.#serverNotice = message.reason;
      else if (message?.kind === 'writable') this.#serverNotice = null;
      else if (message?.kind === 'damaged') this.#damageNotice = message.reason;
    });
    // Take over the provider's fixed back-off with a jittered one.
    this.provider.on('connection-close', () => {
      stopOwnReconnect(this.provider);
      clearTimeout(this.#reconnectTimer);
      this.#reconnectTimer = setTimeout(() => this.#connectIfWanted(), reconnectDelay(this.#reconnectAttempt++));
    });
    this.provider.on('status', ({ status }) => {
      // A new connection hears the map's notice afresh: the server repeats it to every joiner.
      if (status === 'connected') {
        this.#everConnected = true;
        this.#serverNotice = null;
        this.#damageNotice = null;
      }
      if (status === 'disconnected') this.#forgetPeerClocks();
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
      if (code === LINK_ENDED_CODE || code === MAP_GONE_CODE) this.endLink(reason || 'this link no longer opens the map');
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
      clearTimeout(this.#reconnectTimer);
      this.#reconnectAttempt = 0;
      this.#connectIfWanted();
      this.#update();
    };
    const offline = () => {
      this.#browserOnline = false;
      // The socket can look open for half a minute yet carry nothing now. Closing it says so at
      // once (the pill; the provider forgets everyone's presence on close) and starts a clean
      // socket when the network is back. No attempts meanwhile: none could succeed.
      clearTimeout(this.#reconnectTimer);
      if (this.provider.ws !== null) this.provider.disconnect();
      this.#update();
    };
    addEventListener('online', online);
    addEventListener('offline', offline);
    const silenceCheck = setInterval(() => this.#checkSilence(), SILENCE_CHECK_MS);
    this.#cleanup.push(() => {
      removeEventListener('online', online);
      removeEventListener('offline', offline);
      clearInterval(silenceCheck);
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

  /** What the server lost of this map to damaged storage, and which versions hold it (owners and editors hear it). */
  get damageNotice(): string | null {
    return this.#damageNotice;
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

  /**
   * Opens the socket, once the server has taken the link (or could not be asked) and the offline
   * copy is in the document: the sync request then names everything this browser holds, and
   * nothing read from the copy later goes out as a new edit (which a read-only link's server
   * refuses, out loud).
   */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#openOnceCopyRead();
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
    this.#openOnceCopyRead();
    this.#update();
  }

  destroy(): void {
    this.#destroyed = true;
    clearTimeout(this.#reconnectTimer);
    for (const undo of this.#cleanup) undo();
    this.provider.destroy();
    void this.#persistence.destroy();
  }

  #wantsSocket(): boolean {
    return this.#started && !this.#destroyed && !this.#workingOffline && this.#closedReason === null && this.#linkEnded === null;
  }

  /** Asked for (start, Reconnect): tried even if the browser says it is offline, as a server on this very machine may answer. */
  #openOnceCopyRead(): void {
    void this.#localCopyRead.then(() => {
      if (this.#wantsSocket()) this.provider.connect();
    });
  }

  /** Reconnects on its own (after a drop, or when the network is back), while anyone still wants the socket. */
  #connectIfWanted(): void {
    if (this.#wantsSocket() && this.#browserOnline) this.provider.connect();
  }

  /**
   * The provider forgets everyone's presence when its socket closes but keeps their clocks, so
   * the presence the server sends the next socket (the same clocks) would be ignored until each
   * person's next renewal, up to 15 s of "Only you" with the room full. Forgetting the clocks too
   * lets it in.
   */
  #forgetPeerClocks(): void {
    const awareness = this.provider.awareness;
    for (const clientId of [...awareness.meta.keys()]) {
      if (clientId !== awareness.clientID && !awareness.states.has(clientId)) awareness.meta.delete(clientId);
    }
  }

  /** A socket that went silent and does not answer is closed; the reconnect path takes it from there. */
  #checkSilence(): void {
    const provider = this.provider;
    const socket = provider.ws;
    if (!provider.wsconnected || socket === null) return;
    // When the provider last took a message off this socket (its own 30 s watchdog reads the same).
    const verdict = this.#silence.check(Date.now(), provider.wsLastMessageReceived, provider.synced);
    if (verdict === 'probe' && socket.readyState === WebSocket.OPEN) socket.send(QUERY_AWARENESS);
    else if (verdict === 'dead') provider.disconnect();
  }

  #update(): void {
    const provider = this.provider;
    if (provider.wsconnected) this.#status = 'connected';
    else if (this.#workingOffline || this.#closedReason !== null || !this.#browserOnline) {
      this.#status = 'offline';
    } else this.#status = this.#everConnected ? 'reconnecting' : 'connecting';
  }
}
