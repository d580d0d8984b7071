/**
 * The attack of the hostile-frames scenario: one connection sending a document update that
 * announces four million structs, over loopback, bounded in count and time.
 */
import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';

/**
 * A sync update frame (`[0, 2, varUint8Array(update)]`) whose update holds one client (4242,
 * from clock 0) with `structs` structs, each the two bytes `00 01` (a collected range of length
 * 1), and an empty delete set: about 8 MB for four million, under Waymark's default
 * MAX_MESSAGE_BYTES (8 MiB), so it reaches the update reader. Build it once.
 */
export function hostileFrame(structs = 4_000_000, client = 4242): Uint8Array {
  const head = encoding.encode((encoder) => {
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarUint(encoder, structs);
    encoding.writeVarUint(encoder, client);
    encoding.writeVarUint(encoder, 0);
  });
  // Zero-filled: each struct's first byte, and the final 0 (no deleted ranges), are already there.
  const update = new Uint8Array(head.length + 2 * structs + 1);
  update.set(head);
  for (let i = 0; i < structs; i++) update[head.length + 2 * i + 1] = 1;
  return encoding.encode((encoder) => {
    encoding.writeVarUint(encoder, 0);
    encoding.writeVarUint(encoder, 2);
    encoding.writeVarUint8Array(encoder, update);
  });
}

export interface FloodLimits {
  /** Stop sending at this time (Date.now()). */
  until: number;
  maxFrames: number;
  /**
   * `reconnect`: one frame per connection, then wait for the server to close it (Waymark closes
   * an editor that sends it, 4413) and connect again. `keep`: one connection, the next frame as
   * soon as the last one has left (its socket buffer is the only bound).
   */
  mode: 'reconnect' | 'keep';
}

export interface FloodResult {
  frames: number;
  bytes: number;
  connections: number;
  /** Close codes the attacker saw, and how often. */
  closes: Record<string, number>;
  /** Messages the server sent the attacker (refusals, its sync request, presence). */
  replies: number;
  /** Connections that failed to open. */
  refusedConnections: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function open(url: string): Promise<WebSocket | null> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.once('open', () => resolve(ws));
    ws.once('error', () => resolve(null));
    ws.once('unexpected-response', (_request, response) => {
      response.resume();
      resolve(null);
    });
  });
}

function send(ws: WebSocket, frame: Uint8Array): Promise<boolean> {
  return new Promise((resolve) => ws.send(frame, { binary: true }, (error) => resolve(!error)));
}

/** Sends `frame` to `url` over and over within `limits`; resolves when done. */
export async function flood(url: string, frame: Uint8Array, limits: FloodLimits): Promise<FloodResult> {
  const result: FloodResult = { frames: 0, bytes: 0, connections: 0, closes: {}, replies: 0, refusedConnections: 0 };
  const more = () => result.frames < limits.maxFrames && Date.now() < limits.until;
  const count = (code: number | 'none') => (result.closes[String(code)] = (result.closes[String(code)] ?? 0) + 1);
  while (more()) {
    const ws = await open(url);
    if (!ws) {
      result.refusedConnections++;
      await sleep(100);
      continue;
    }
    result.connections++;
    ws.on('message', () => result.replies++);
    const gone = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    const isOpen = () => ws.readyState === WebSocket.OPEN;
    while (more() && isOpen()) {
      if (!(await send(ws, frame))) break;
      result.frames++;
      result.bytes += frame.byteLength;
      if (limits.mode === 'reconnect') break;
    }
    if (limits.mode === 'reconnect') {
      // The server reads the whole frame before it answers; give it a while, then cut it off.
      const code = await Promise.race([gone, sleep(10_000).then(() => 'none' as const)]);
      if (code === 'none') ws.terminate();
      count(code);
      continue;
    }
    if (!isOpen()) {
      count(await gone);
      continue;
    }
    // Done: the attacker hangs up itself (not counted as a close by the server).
    ws.close();
    await Promise.race([gone, sleep(5_000)]);
    ws.terminate();
  }
  return result;
}
