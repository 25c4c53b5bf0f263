import type http from 'node:http';
import { BlockList, isIP } from 'node:net';

/** Enough for every peer a gateway sees at once; past it the memory starts over. */
const MAX_REMEMBERED_ADDRESSES = 10_000;

/** An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`, what a dual-stack socket reports) as plain IPv4. */
function plainAddress(address: string): string {
  return /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] ?? address;
}

/** An address range: one IP (`10.0.0.7`, `::1`) or a CIDR block (`10.0.0.0/8`, `fd00::/8`). */
interface AddressRange {
  readonly address: string;
  readonly prefix: number;
  readonly family: 'ipv4' | 'ipv6';
}

/** Parses one TRUSTED_PROXIES entry; null when it is neither an IP nor a CIDR block. */
export function parseAddressRange(entry: string): AddressRange | null {
  const [address = '', prefixText, ...rest] = entry.trim().split('/');
  const version = isIP(address);
  if (!version || rest.length > 0) return null;
  const longest = version === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = prefixText === undefined ? longest : Number(prefixText);
  if (prefix > longest) return null;
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** The values of a header that may repeat (node joins repeats with ", "), split and trimmed. */
function headerList(value: string | string[] | undefined): string[] {
  const text = Array.isArray(value) ? value.join(',') : (value ?? '');
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/**
 * The proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` the gateway believes (SEC-6). From
 * anyone else those headers are the client's own words and are ignored: otherwise a client could
 * pick a new address per request and escape every per-client rate limit.
 */
export class TrustedProxies {
  private readonly ranges = new BlockList();
  private readonly none: boolean;
  /** Answers per address: a BlockList check builds a SocketAddress each time, on every request. */
  private readonly answers = new Map<string, boolean>();

  constructor(ranges: readonly string[]) {
    for (const entry of ranges) {
      const range = parseAddressRange(entry);
      if (!range) throw new Error(`not an IP address or CIDR block: ${entry}`);
      this.ranges.addSubnet(range.address, range.prefix, range.family);
    }
    this.none = ranges.length === 0;
  }

  /** Whether `address` is one of the trusted proxies. */
  trusts(address: string): boolean {
    if (this.none) return false;
    const known = this.answers.get(address);
    if (known !== undefined) return known;
    const plain = plainAddress(address);
    const version = isIP(plain);
    const trusted = version !== 0 && this.ranges.check(plain, version === 4 ? 'ipv4' : 'ipv6');
    if (this.answers.size >= MAX_REMEMBERED_ADDRESSES) this.answers.clear();
    this.answers.set(address, trusted);
    return trusted;
  }

  /**
   * The client's address: the socket peer, unless the peer is a trusted proxy; then `X-Forwarded-For`
   * is walked right to left (each proxy appends the address it saw) past every trusted proxy, and
   * the first address not trusted is the client. Anything left of it was written by the client and
   * means nothing. A malformed entry stops the walk at the last trusted hop.
   */
  clientAddress(req: http.IncomingMessage): string {
    let client = plainAddress(req.socket.remoteAddress ?? 'unknown');
    const hops = headerList(req.headers['x-forwarded-for']).map(plainAddress);
    while (this.trusts(client) && hops.length > 0) {
      const hop = hops.pop() ?? '';
      if (!isIP(hop)) break;
      client = hop;
    }
    return client;
  }

  /**
   * Whether the client reached us over https: a TLS socket, or a trusted proxy's `X-Forwarded-Proto`.
   * Its last value counts, the one the nearest proxy added; earlier ones may come from the client.
   */
  isHttps(req: http.IncomingMessage): boolean {
    if ('encrypted' in req.socket && req.socket.encrypted === true) return true;
    if (!this.trusts(req.socket.remoteAddress ?? '')) return false;
    return headerList(req.headers['x-forwarded-proto']).at(-1)?.toLowerCase() === 'https';
  }
}
