import { createServer, connect as connectTcp, type Server, type Socket } from 'node:net';
import { addCard, addLane, addStage } from '@waymark/model';
import type { Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { connect, synced, tokenOf } from '../support/clients.js';
import { test } from '../support/editor-fixtures.js';
import { cardTexts, cardValues, expectPageProblems, openMapAs, status } from '../support/map-pages.js';

/**
 * The status pill and the presence count tell the truth when the network goes: at once when the
 * browser knows it is offline, and within a few seconds when it does not (a socket that still
 * looks open but carries nothing, as on flaky venue Wi-Fi).
 */

const DEADLINE = { timeout: 8_000 };
/** The promise for a browser that knows it is offline. */
const BROWSER_KNOWS_MS = 2_000;
/**
 * For a silent socket: the web app's DEAD_AFTER_SILENCE_MS (10 s), its 1 s check, and a margin
 * for a busy test machine. The stock provider alone takes 30 to 33 s.
 */
const SILENT_SOCKET_MS = 14_000;

const presenceCount = (page: Page) => page.locator('.presence-count').textContent();

/** A map with one card, written by a script the way a workshop would leave it. */
async function seedOneCard(serverUrl: string, mapId: string, token: string): Promise<void> {
  const seeder = connect(serverUrl, mapId, token);
  await synced(seeder);
  const stageId = addStage(seeder.doc, { name: 'Research' });
  const laneId = addLane(seeder.doc, { title: 'Actions', kind: 'actions' });
  addCard(seeder.doc, { stageId, laneId, text: 'Reads reviews' });
  seeder.destroy();
}

/**
 * A TCP relay in front of the server that can go silent without closing anything: while
 * frozen it drops every byte both ways and answers no new connection, like a Wi-Fi network
 * that still shows full bars. Browser and server each still see an open socket.
 */
class SilentNetwork {
  #frozen = false;
  /** Every socket that lived through the silence: they are cut when the network comes back. */
  readonly #stale = new Set<Socket>();
  readonly #open = new Set<Socket>();
  readonly #relay: Server = createServer((browserSide) => this.#accept(browserSide));

  private constructor(private readonly target: URL) {}

  static async start(target: URL): Promise<SilentNetwork> {
    const network = new SilentNetwork(target);
    await new Promise<void>((resolve) => network.#relay.listen(0, '127.0.0.1', resolve));
    return network;
  }

  /** Where the browser reaches the server through this network. */
  get url(): string {
    const address = this.#relay.address();
    if (address === null || typeof address === 'string') throw new Error('the relay is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  freeze(): void {
    this.#frozen = true;
    for (const socket of this.#open) this.#stale.add(socket);
  }

  /** Back on the network: connections that lived through the silence are gone, new ones work. */
  thaw(): void {
    this.#frozen = false;
    for (const socket of this.#stale) socket.destroy();
    this.#stale.clear();
  }

  async close(): Promise<void> {
    for (const socket of this.#open) socket.destroy();
    await new Promise((resolve) => this.#relay.close(resolve));
  }

  #accept(browserSide: Socket): void {
    this.#track(browserSide);
    if (this.#frozen) {
      // Accepted by the OS, then nothing: the browser's socket stays "connecting".
      this.#stale.add(browserSide);
      return;
    }
    const serverSide = connectTcp(Number(this.target.port), this.target.hostname);
    this.#track(serverSide);
    browserSide.on('data', (chunk) => this.#frozen || serverSide.write(chunk));
    serverSide.on('data', (chunk) => this.#frozen || browserSide.write(chunk));
    browserSide.on('close', () => serverSide.destroy());
    serverSide.on('close', () => browserSide.destroy());
  }

  #track(socket: Socket): void {
    this.#open.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => {
      this.#open.delete(socket);
      this.#stale.delete(socket);
    });
  }
}

describe('connection status', () => {
  test('turns within 2 s of the browser going offline, and the edits made meanwhile reach everyone when it is back', async ({
    server,
    map,
    alice,
    bob,
  }) => {
    await seedOneCard(server.url, map.id, tokenOf(map.links.editor));
    await expect.poll(() => cardValues(alice.page), DEADLINE).toEqual(['Reads reviews']);
    await expect.poll(() => presenceCount(alice.page), DEADLINE).toBe('2 here');
    expect(await status(alice.page).textContent()).toBe('Connected');

    await alice.context.setOffline(true);
    expect(await alice.page.evaluate(() => navigator.onLine)).toBe(false);
    await expect.poll(() => status(alice.page).textContent(), { timeout: BROWSER_KNOWS_MS }).toBe('Offline');
    expect(await presenceCount(alice.page)).toBe('Only you');
    expect(await alice.page.locator('.connection').getAttribute('title')).toMatch(/kept in this browser/);

    await cardTexts(alice.page).first().click();
    await alice.page.keyboard.press('ControlOrMeta+End');
    await alice.page.keyboard.type(' (on the train)');
    expect(await alice.page.locator('.connection').getAttribute('title')).toMatch(/^\d+ changes? (is|are) kept in this browser/);

    await alice.context.setOffline(false);
    await expect.poll(() => status(alice.page).textContent(), DEADLINE).toBe('Connected');
    await expect.poll(() => cardValues(bob.page), DEADLINE).toEqual(['Reads reviews (on the train)']);
    await expect.poll(() => presenceCount(alice.page), DEADLINE).toBe('2 here');
  });

  test('turns within seconds when the socket goes silent while the browser thinks it is online', async ({ server, map, browser, bob }) => {
    await seedOneCard(server.url, map.id, tokenOf(map.links.editor));
    const network = await SilentNetwork.start(new URL(server.url));
    const link = new URL(map.links.editor);
    const alice = await openMapAs(browser, `${network.url}${link.pathname}${link.hash}`, 'Alice');
    try {
      const page = alice.page;
      expectPageProblems(page, 'Chromium logs the reconnect attempts the silent network swallowed', (problem) =>
        /^console error: WebSocket connection to 'ws:\/\/[^']*\/sync\/[^']*' failed: /.test(problem),
      );
      await expect.poll(() => cardValues(page), DEADLINE).toEqual(['Reads reviews']);
      await expect.poll(() => presenceCount(page), DEADLINE).toBe('2 here');

      network.freeze();
      const frozenAt = Date.now();
      await expect.poll(() => status(page).textContent(), { timeout: SILENT_SOCKET_MS }).not.toBe('Connected');
      const noticedAfter = Date.now() - frozenAt;
      expect(await status(page).textContent()).toBe('Reconnecting…');
      expect(await page.evaluate(() => navigator.onLine)).toBe(true);
      expect(await presenceCount(page)).toBe('Only you');
      // Not before the socket has been silent for a while: a quiet map is not a dead link.
      expect(noticedAfter).toBeGreaterThan(3_000);

      await cardTexts(page).first().click();
      await page.keyboard.press('ControlOrMeta+End');
      await page.keyboard.type(' (in the venue)');

      network.thaw();
      await expect.poll(() => status(page).textContent(), DEADLINE).toBe('Connected');
      await expect.poll(() => cardValues(bob.page), DEADLINE).toEqual(['Reads reviews (in the venue)']);
      await expect.poll(() => presenceCount(page), DEADLINE).toBe('2 here');
    } finally {
      await alice.context.close();
      await network.close();
    }
  });
});
