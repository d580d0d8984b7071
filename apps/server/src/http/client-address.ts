import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

/**
 * The address a request came from, for the per-address limits (MAX_CONNECTIONS_PER_IP,
 * MAP_CREATION_RATE). Behind a balancer every request comes from the balancer: with TRUST_PROXY
 * naming it, the address it appends to X-Forwarded-For counts instead. Only the proxies named
 * are believed, walking the header from its right-hand end (the entry the nearest proxy added)
 * past every trusted one: whatever a client wrote into the header itself stays to the left and
 * is never read.
 */
export class ClientAddresses {
  readonly #trusted: BlockList | null;

  /** `proxies`: addresses and CIDR ranges (e.g. 10.0.0.0/8), already checked by parseTrustedProxies. */
  constructor(proxies: readonly string[]) {
    if (proxies.length === 0) {
      this.#trusted = null;
      return;
    }
    const trusted = new BlockList();
    for (const proxy of proxies) {
      const [address, prefix] = proxy.split('/') as [string, string | undefined];
      const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (prefix === undefined) trusted.addAddress(address, family);
      else trusted.addSubnet(address, Number(prefix), family);
    }
    this.#trusted = trusted;
  }

  of(request: IncomingMessage): string {
    const peer = request.socket.remoteAddress ?? 'unknown';
    if (!this.#trusted || !this.#isTrusted(peer)) return peer;
    const header = request.headers['x-forwarded-for'];
    const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
      .split(',')
      .map((hop) => hop.trim())
      .filter(Boolean);
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i]!;
      // An entry that is not an address at all ends the walk: nothing left of it can be trusted.
      if (isIP(unmapped(hop)) === 0) return peer;
      if (!this.#isTrusted(hop)) return unmapped(hop);
    }
    return peer;
  }

  #isTrusted(address: string): boolean {
    const plain = unmapped(address);
    const family = isIP(plain);
    return family !== 0 && this.#trusted!.check(plain, family === 6 ? 'ipv6' : 'ipv4');
  }
}

/** ::ffff:10.0.0.1 (an IPv4 peer on a dual-stack socket) as 10.0.0.1. */
const unmapped = (address: string): string => (/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(address) ? address.slice(7) : address);

/**
 * TRUST_PROXY's value: addresses and CIDR ranges separated by commas, or `loopback` and `private`
 * for the usual ranges. Returns the entries, or a message saying which one is wrong.
 */
export function parseTrustedProxies(value: string): { ok: true; proxies: string[] } | { ok: false; reason: string } {
  const proxies: string[] = [];
  for (const entry of value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)) {
    if (entry === 'loopback') {
      proxies.push('127.0.0.0/8', '::1');
      continue;
    }
    if (entry === 'private') {
      proxies.push('10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7');
      continue;
    }
    const [address, prefix, extra] = entry.split('/');
    const family = isIP(address ?? '');
    const bits = Number(prefix);
    const prefixOk = prefix === undefined || (/^\d+$/.test(prefix) && bits <= (family === 6 ? 128 : 32));
    if (family === 0 || extra !== undefined || !prefixOk) {
      return { ok: false, reason: `"${entry}" is not an IP address, a CIDR range (like 10.0.0.0/8), loopback or private` };
    }
    proxies.push(entry);
  }
  return { ok: true, proxies };
}
