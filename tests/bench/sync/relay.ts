import { createServer, type Server } from 'node:http';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';

/**
 * The floor: a plain `ws` server that forwards each frame's bytes unchanged to the other sockets
 * of its room (the URL path), with no CRDT work and no storage.
 *
 * One concession, so that the floor measures fan-out rather than an echo storm: the stock
 * y-websocket client re-broadcasts every awareness change it hears, and a relay that forwards
 * those echoes multiplies awareness traffic by the room size (50× in the workshop, which would
 * saturate any server on this machine). The relay reads the first byte of a frame and drops an
 * awareness frame (type 1) whose bytes equal one it forwarded in that room in the last 10 s.
 * Document frames are never inspected.
 */
export function createRelay(): Server {
  const rooms = new Map<string, Set<WebSocket>>();
  const recentAwareness = new Map<string, Map<string, number>>();
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const http = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end('relay');
  });

  const isEcho = (room: string, bytes: Buffer): boolean => {
    let seen = recentAwareness.get(room);
    if (!seen) recentAwareness.set(room, (seen = new Map()));
    const key = bytes.toString('latin1');
    const now = Date.now();
    const at = seen.get(key);
    if (at !== undefined && now - at < 10_000) return true;
    seen.set(key, now);
    if (seen.size > 4096) {
      for (const [entry, time] of seen) if (now - time >= 10_000) seen.delete(entry);
    }
    return false;
  };

  http.on('upgrade', (request, socket, head) => {
    const room = (request.url ?? '/').slice(1).split('?')[0] ?? '';
    wss.handleUpgrade(request, socket, head, (ws) => {
      let members = rooms.get(room);
      if (!members) rooms.set(room, (members = new Set()));
      members.add(ws);
      ws.on('message', (data: RawData) => {
        const bytes = data as Buffer;
        if (bytes[0] === 1 && isEcho(room, bytes)) return;
        for (const other of members) if (other !== ws && other.readyState === other.OPEN) other.send(bytes);
      });
      ws.on('close', () => {
        members.delete(ws);
        if (members.size === 0) {
          rooms.delete(room);
          recentAwareness.delete(room);
        }
      });
      ws.on('error', () => ws.terminate());
    });
  });
  return http;
}
