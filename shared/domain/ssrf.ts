/**
 * The webhook URL guard (server-side request forgery). A subscriber names a URL the Hub will
 * POST to from inside AWS, so the URL must never reach a private, loopback, link-local,
 * metadata or otherwise reserved address — not when it is registered, and not when it is
 * called (a name can resolve elsewhere later: DNS rebinding). Hence two parts:
 * - pure classification of an IP address and of a URL against a policy;
 * - a resolver wrapper used both to check a URL at registration and as the `lookup` of the
 *   delivery's HTTP request, so the address actually connected to is the one checked.
 *
 * Policy `aws`: https only, public addresses only. Policy `local`: http or https, and loopback
 * additionally allowed for the hosts `localhost`, `127.0.0.1` and `[::1]` (the local stack's
 * receivers); every other private address is still refused.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';

export type AddressClass =
  | 'public'
  | 'private'
  | 'loopback'
  | 'link-local'
  | 'metadata'
  | 'multicast'
  | 'unspecified'
  | 'reserved'
  | 'invalid';

// ---------------------------------------------------------------------------------------------
// IPv4.

function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || (part.length > 1 && part.startsWith('0'))) return undefined;
    const v = Number(part);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

const v4 = (cidr: string): [number, number] => {
  const [base, bits] = cidr.split('/') as [string, string];
  return [parseIpv4(base)!, Number(bits)];
};
const inV4 = (addr: number, [base, bits]: [number, number]) =>
  bits === 0 ? true : Math.floor(addr / 2 ** (32 - bits)) === Math.floor(base / 2 ** (32 - bits));

/** First match wins: the specific metadata addresses before the link-local range that holds them. */
const V4_RULES: readonly [[number, number], AddressClass][] = [
  [v4('169.254.169.254/32'), 'metadata'], // EC2/ECS/Lambda instance metadata
  [v4('169.254.170.2/32'), 'metadata'], // ECS task metadata and credentials
  [v4('169.254.169.253/32'), 'metadata'], // Amazon-provided DNS
  [v4('169.254.0.0/16'), 'link-local'],
  [v4('0.0.0.0/8'), 'unspecified'],
  [v4('127.0.0.0/8'), 'loopback'],
  [v4('10.0.0.0/8'), 'private'],
  [v4('172.16.0.0/12'), 'private'],
  [v4('192.168.0.0/16'), 'private'],
  [v4('100.64.0.0/10'), 'private'], // carrier-grade NAT
  [v4('192.0.0.0/24'), 'reserved'],
  [v4('192.0.2.0/24'), 'reserved'],
  [v4('192.88.99.0/24'), 'reserved'],
  [v4('198.18.0.0/15'), 'reserved'],
  [v4('198.51.100.0/24'), 'reserved'],
  [v4('203.0.113.0/24'), 'reserved'],
  [v4('224.0.0.0/4'), 'multicast'],
  [v4('240.0.0.0/4'), 'reserved'], // includes 255.255.255.255
];

const classifyV4 = (addr: number): AddressClass => V4_RULES.find(([range]) => inV4(addr, range))?.[1] ?? 'public';

// ---------------------------------------------------------------------------------------------
// IPv6.

/** 16 bytes, or undefined. Accepts `::` compression, a trailing dotted quad, and a zone (`%eth0`). */
function parseIpv6(text: string): { bytes: number[]; zoned: boolean } | undefined {
  let s = text;
  let zoned = false;
  const zone = s.indexOf('%');
  if (zone >= 0) {
    s = s.slice(0, zone);
    zoned = true;
  }
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.') && lastColon >= 0) {
    // A trailing dotted quad (::ffff:10.0.0.1) stands for the last two groups.
    const quad = parseIpv4(s.slice(lastColon + 1));
    if (quad === undefined) return undefined;
    s = `${s.slice(0, lastColon + 1)}${Math.floor(quad / 65536).toString(16)}:${(quad % 65536).toString(16)}`;
  }
  const groups = parseGroups(s);
  return groups ? { bytes: toBytes(groups), zoned } : undefined;
}

function parseGroups(s: string): number[] | undefined {
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const part = (h: string) => (h === '' ? [] : h.split(':'));
  const head = part(halves[0]!);
  const rest = halves.length === 2 ? part(halves[1]!) : [];
  const all = [...head, ...rest];
  if (all.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  if (halves.length === 1 && all.length !== 8) return undefined;
  if (halves.length === 2 && all.length > 7) return undefined;
  const fill = 8 - all.length;
  const groups = [...head, ...Array<string>(halves.length === 2 ? fill : 0).fill('0'), ...rest].map((g) =>
    parseInt(g, 16),
  );
  return groups.length === 8 ? groups : undefined;
}

const toBytes = (groups: number[]): number[] => groups.flatMap((g) => [g >> 8, g & 0xff]);
const prefixMatch = (bytes: number[], prefix: number[], bits: number): boolean => {
  for (let i = 0; i < bits; i++) {
    const byte = i >> 3;
    const mask = 0x80 >> (i & 7);
    if ((bytes[byte]! & mask) !== ((prefix[byte] ?? 0) & mask)) return false;
  }
  return true;
};
const v6 = (text: string) => toBytes(parseGroups(text)!);
const embeddedV4 = (bytes: number[], at: number): number =>
  ((bytes[at]! * 256 + bytes[at + 1]!) * 256 + bytes[at + 2]!) * 256 + bytes[at + 3]!;

function classifyV6(bytes: number[], zoned: boolean): AddressClass {
  if (bytes.every((b) => b === 0)) return 'unspecified';
  if (bytes.slice(0, 15).every((b) => b === 0) && bytes[15] === 1) return 'loopback';
  // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d): what they reach is the IPv4 address.
  if (prefixMatch(bytes, v6('::ffff:0:0'), 96)) return classifyV4(embeddedV4(bytes, 12));
  if (prefixMatch(bytes, v6('64:ff9b::'), 96)) return classifyV4(embeddedV4(bytes, 12));
  // 6to4 (2002:a.b.c.d::/48) carries an IPv4 address too.
  if (prefixMatch(bytes, v6('2002::'), 16)) {
    return classifyV4(embeddedV4(bytes, 2));
  }
  if (prefixMatch(bytes, v6('fd00:ec2::254'), 128)) return 'metadata'; // EC2 metadata over IPv6
  if (prefixMatch(bytes, v6('fd00:ec2::23'), 128)) return 'metadata'; // Amazon DNS over IPv6
  if (zoned || prefixMatch(bytes, v6('fe80::'), 10)) return 'link-local';
  if (
    prefixMatch(bytes, v6('fc00::'), 7) ||
    prefixMatch(bytes, v6('fec0::'), 10) ||
    prefixMatch(bytes, v6('64:ff9b:1::'), 48)
  )
    return 'private';
  if (prefixMatch(bytes, v6('ff00::'), 8)) return 'multicast';
  if (
    prefixMatch(bytes, v6('::'), 96) || // IPv4-compatible (deprecated)
    prefixMatch(bytes, v6('100::'), 64) || // discard
    prefixMatch(bytes, v6('2001::'), 23) || // IETF protocol assignments (Teredo, ORCHID, …)
    prefixMatch(bytes, v6('2001:db8::'), 32) || // documentation
    prefixMatch(bytes, v6('3fff::'), 20) // documentation
  ) {
    return 'reserved';
  }
  // Global unicast is 2000::/3; anything else is unassigned.
  return prefixMatch(bytes, v6('2000::'), 3) ? 'public' : 'reserved';
}

/** What an IP address reaches. Bracketed IPv6 (`[::1]`) is accepted. */
export function classifyIp(address: string): AddressClass {
  const a = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const n = parseIpv4(a);
  if (n !== undefined) return classifyV4(n);
  const six = a.includes(':') ? parseIpv6(a) : undefined;
  return six ? classifyV6(six.bytes, six.zoned) : 'invalid';
}

// ---------------------------------------------------------------------------------------------
// URLs.

export type UrlPolicyMode = 'aws' | 'local';
export interface UrlPolicy {
  readonly mode: UrlPolicyMode;
}

/** Hosts whose loopback addresses the local policy accepts. */
const LOCAL_LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);
export const MAX_URL_LENGTH = 2048;

/**
 * `local` only where the Hub runs against DynamoDB Local outside Lambda; anywhere else (and
 * always in Lambda) `aws`. An explicit FEEDBACK_URL_POLICY=aws lets a local run check the strict rules.
 */
export function urlPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): UrlPolicy {
  if (env.FEEDBACK_URL_POLICY === 'aws' || env.AWS_LAMBDA_FUNCTION_NAME) return { mode: 'aws' };
  return { mode: env.DYNAMODB_ENDPOINT ? 'local' : 'aws' };
}

export type UrlCheck =
  | { ok: true; url: URL; hostname: string; ipLiteral: boolean; loopbackAllowed: boolean }
  | { ok: false; reason: string };

const refuse = (reason: string): UrlCheck => ({ ok: false, reason });

/** Everything that can be decided without DNS. */
export function checkUrlShape(raw: string, policy: UrlPolicy): UrlCheck {
  if (raw.length > MAX_URL_LENGTH) return refuse(`longer than ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse('not an absolute URL');
  }
  const https = url.protocol === 'https:';
  if (!https && !(policy.mode === 'local' && url.protocol === 'http:'))
    return refuse(policy.mode === 'aws' ? 'must use https' : 'must use http or https');
  if (url.username || url.password) return refuse('must not carry credentials');
  // In AWS webhooks leave through port 443 only (the fixed-egress security group allows nothing else).
  if (policy.mode === 'aws' && url.port !== '') return refuse('must use the default HTTPS port (443)');
  if (url.hash) return refuse('must not have a fragment');
  const host = url.hostname.toLowerCase();
  if (!host) return refuse('has no host');
  const bare = host.startsWith('[') ? host.slice(1, -1) : host;
  const loopbackAllowed = policy.mode === 'local' && LOCAL_LOOPBACK_HOSTS.has(host);
  if (isIP(bare)) {
    const kind = classifyIp(bare);
    if (kind === 'public' || (kind === 'loopback' && loopbackAllowed))
      return { ok: true, url, hostname: bare, ipLiteral: true, loopbackAllowed };
    return refuse(`names a ${kind} address`);
  }
  if (host === 'localhost' || host.endsWith('.localhost')) {
    return loopbackAllowed
      ? { ok: true, url, hostname: host, ipLiteral: false, loopbackAllowed }
      : refuse('names a loopback host');
  }
  // A single-label name resolves through search domains to whatever is internal.
  if (!host.includes('.') || host.endsWith('.')) return refuse('must be a fully qualified public host name');
  if (/\.(internal|local|localdomain|intranet|corp|home|lan)$/.test(host)) return refuse('names an internal domain');
  return { ok: true, url, hostname: host, ipLiteral: false, loopbackAllowed };
}

/** Whether every resolved address is acceptable: one bad address refuses the lot. */
export function addressesProblem(addresses: readonly string[], loopbackAllowed: boolean): string | undefined {
  if (!addresses.length) return 'resolves to no address';
  for (const a of addresses) {
    const kind = classifyIp(a);
    if (kind === 'public' || (kind === 'loopback' && loopbackAllowed)) continue;
    return `resolves to a ${kind} address`;
  }
  return undefined;
}

export type Resolver = (hostname: string) => Promise<string[]>;

export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses.map((a) => a.address)),
    ),
  );

/** The whole check a subscription URL passes at registration: shape, then every address it resolves to. */
export async function checkWebhookUrl(
  raw: string,
  policy: UrlPolicy,
  resolve: Resolver = systemResolver,
): Promise<UrlCheck> {
  const shape = checkUrlShape(raw, policy);
  if (!shape.ok || shape.ipLiteral) return shape;
  let addresses: string[];
  try {
    addresses = await resolve(shape.hostname);
  } catch {
    return refuse('could not be resolved');
  }
  const problem = addressesProblem(addresses, shape.loopbackAllowed);
  return problem ? refuse(problem) : shape;
}

export class BlockedAddressError extends Error {
  override name = 'BlockedAddressError';
  readonly code = 'EBLOCKEDADDRESS';
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for `http.request`/`https.request`: resolves as the system would, then refuses the
 * connection when any address is not acceptable, so the address connected to is the one checked.
 */
export function guardedLookup(
  loopbackAllowed: boolean,
  resolveAll: (
    hostname: string,
    cb: (e: NodeJS.ErrnoException | null, a: LookupAddress[]) => void,
  ) => void = defaultLookupAll,
) {
  return (hostname: string, options: { all?: boolean } | number | undefined, callback: LookupCallback): void => {
    resolveAll(hostname, (error, addresses) => {
      if (error) return callback(error, []);
      const problem = addressesProblem(
        addresses.map((a) => a.address),
        loopbackAllowed,
      );
      if (problem) return callback(new BlockedAddressError(`webhook host ${problem}`) as NodeJS.ErrnoException, []);
      const wantsAll = typeof options === 'object' && options !== null && options.all === true;
      if (wantsAll) return callback(null, addresses);
      const first = addresses[0]!;
      return callback(null, first.address, first.family);
    });
  };
}

const defaultLookupAll = (hostname: string, cb: (e: NodeJS.ErrnoException | null, a: LookupAddress[]) => void): void =>
  dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => cb(error, addresses ?? []));
