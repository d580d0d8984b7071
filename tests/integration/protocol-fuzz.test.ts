/**
 * Protocol fuzzing, seeded and bounded, against the real server: hostile bytes, each on its own
 * connection. The server must stay up, close at most that connection with a reason, and store or
 * relay nothing a well-behaved peer would not.
 */
import { addStage, readMap, readStages } from '@waymark/model';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connect, createMap, synced, tokenOf, waitFor, type Client, type CreatedMap } from '../support/clients.js';
import { outsideTheModel } from '../support/hostile-ops.js';
import { pick, seededRandom } from '../support/random.js';
import { openRaw, syncUpdateFrame } from '../support/raw-socket.js';
import { startServer, tempDataDir, type RunningServer } from '../support/server.js';
import { readCanonical, storedDoc } from '../support/stored-maps.js';

type Random = () => number;

const frame = (write: (e: encoding.Encoder) => void) => {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
};

/** An update made on a copy of the map that the server has not seen the start of. */
function updateWithMissingParents(random: Random): Uint8Array {
  const doc = new Y.Doc();
  const text = doc.getText('orphans');
  text.insert(0, 'first part the server never sees');
  const before = Y.encodeStateVector(doc);
  text.insert(Math.floor(random() * 10), 'second part');
  return Y.encodeStateAsUpdate(doc, before);
}

function validUpdate(random: Random): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('meta').set(`fuzz-${Math.floor(random() * 1e6)}`, 'x'.repeat(Math.floor(random() * 40)));
  return Y.encodeStateAsUpdate(doc);
}

const generators: Record<string, (random: Random) => Uint8Array> = {
  'random bytes': (random) => Uint8Array.from({ length: 1 + Math.floor(random() * 64) }, () => Math.floor(random() * 256)),
  'truncated frame': (random) => {
    const bytes = syncUpdateFrame(validUpdate(random));
    return bytes.slice(0, 1 + Math.floor(random() * (bytes.length - 1)));
  },
  'flipped bits in an update': (random) => {
    const bytes = syncUpdateFrame(validUpdate(random));
    for (let i = 0; i < 1 + Math.floor(random() * 3); i++) {
      const at = 3 + Math.floor(random() * (bytes.length - 3));
      bytes[at]! ^= 1 << Math.floor(random() * 8);
    }
    return bytes;
  },
  'missing parents': (random) => syncUpdateFrame(updateWithMissingParents(random)),
  'integer out of range': () => Uint8Array.from([0, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]),
  'huge length prefix': () =>
    frame((e) => {
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint(e, 2);
      encoding.writeVarUint(e, 2 ** 40);
      encoding.writeUint8Array(e, new Uint8Array(16));
    }),
  'huge struct count': () =>
    frame((e) => {
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint(e, 2);
      encoding.writeVarUint8Array(
        e,
        frame((u) => {
          encoding.writeVarUint(u, 2 ** 31);
          encoding.writeVarUint(u, 1);
        }),
      );
    }),
  'huge awareness count': () =>
    frame((e) => {
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint8Array(
        e,
        frame((a) => encoding.writeVarUint(a, 2 ** 32)),
      );
    }),
  'awareness with bad JSON': (random) =>
    frame((e) => {
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint8Array(
        e,
        frame((a) => {
          encoding.writeVarUint(a, 1);
          encoding.writeVarUint(a, Math.floor(random() * 1e6));
          encoding.writeVarUint(a, 1);
          encoding.writeVarString(a, '{"user": ');
        }),
      );
    }),
  // Both once sent Yjs into an endless loop (yjs issues #479 and #498).
  'empty update': () => Uint8Array.from([0, 2, 0]),
  'garbage update': () => syncUpdateFrame(Buffer.from('garbagedoc', 'base64')),
  'unknown message type': (random) => Uint8Array.from([4 + Math.floor(random() * 250), 0, 0]),
};

const ACCEPTABLE_CLOSES = new Set([4400, 4413, 4501, 1009]);

describe('protocol fuzzing', () => {
  let data: ReturnType<typeof tempDataDir>;
  let running: RunningServer;
  let map: CreatedMap;
  let observer: Client;

  beforeAll(async () => {
    data = tempDataDir();
    running = await startServer(data.dir, { MAX_MESSAGE_BYTES: '65536' });
    map = await createMap(running.url);
    observer = connect(running.url, map.id, tokenOf(map.links.viewer));
    await synced(observer);
  });
  afterAll(async () => {
    observer.destroy();
    await running.close();
    data.remove();
  });

  it.each([11, 22, 33])('seed %i: 120 hostile messages leave the server and the map intact', async (seed) => {
    const random = seededRandom(seed);
    const names = Object.keys(generators);
    let closed = 0;
    for (let i = 0; i < 120; i++) {
      const name = pick(random, names)!;
      const bytes = generators[name]!(random);
      const raw = await openRaw(running.url, map.id, tokenOf(map.links.editor));
      raw.ws.send(bytes);
      // Either the server closes this connection with a reason, or the message was harmless and
      // the connection still answers: a sync step 1 must get its step 2.
      const outcome = await Promise.race([
        raw.closed.then((c) => ({ kind: 'closed' as const, ...c })),
        new Promise<{ kind: 'open' }>((resolve) => {
          const before = raw.received.length;
          raw.ws.send(Uint8Array.from([0, 0, 1, 0]));
          const poll = setInterval(() => {
            if (raw.received.length > before + 1 || raw.received.slice(before).some((m) => m[0] === 0 && m[1] === 1)) {
              clearInterval(poll);
              resolve({ kind: 'open' });
            }
          }, 5);
          setTimeout(() => clearInterval(poll), 5_000);
        }),
      ]);
      if (outcome.kind === 'closed') {
        closed++;
        expect(ACCEPTABLE_CLOSES, `${name}: close code ${outcome.code}`).toContain(outcome.code);
        if (outcome.code !== 1009) expect(outcome.reason.length, `${name}: close reason`).toBeGreaterThan(0);
      } else {
        raw.ws.close();
      }
    }
    expect(closed).toBeGreaterThan(60);

    // The server still serves, and the room still syncs.
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
    const editor = connect(running.url, map.id, tokenOf(map.links.editor));
    await synced(editor);
    addStage(editor.doc, { name: `After seed ${seed}` });
    await waitFor(() => readStages(observer.doc).some((s) => s.name === `After seed ${seed}`), 'room to keep syncing');
    editor.destroy();

    // Nothing pending leaked into the room, and what is stored is exactly what clients were sent.
    const room = await running.server.rooms.peek(map.id);
    expect(room?.doc.store.pendingStructs).toBeNull();
    expect(room?.doc.store.pendingDs).toBeNull();
    const replay = await storedDoc(running, map.id);
    expect(replay.store.pendingStructs).toBeNull();
    expect(readCanonical(replay)).toEqual(readCanonical(observer.doc));
    const { meta } = readMap(replay);
    expect(outsideTheModel(replay, { template: meta.template, createdAt: meta.createdAt })).toEqual([]);
    expect(replay.getText('orphans').toString()).toBe('');
  });
});
