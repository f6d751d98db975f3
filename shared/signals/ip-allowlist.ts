/**
 * Optional per-hook source allowlist: IPv4/IPv6 addresses and CIDR ranges. Pure parsing and matching
 * (no `net` module), IPv4-mapped IPv6 addresses (`::ffff:1.2.3.4`) count as IPv4.
 *
 * The client address comes from `X-Forwarded-For`: the platform's front end appends the address it
 * received the connection from, so the LAST entry is the one a client cannot forge; earlier entries
 * are whatever the client claimed.
 */
import { z } from 'zod';

export interface IpAddress {
  readonly family: 4 | 6;
  readonly value: bigint;
}

export interface IpRange {
  readonly family: 4 | 6;
  readonly base: bigint;
  readonly prefix: number;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^(?:0|[1-9]\d{0,2})$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  if (text.length > 45 || !/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  let head = text;
  let tailV4: bigint | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.')) {
    tailV4 = parseIpv4(text.slice(lastColon + 1));
    if (tailV4 === undefined) return undefined;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): string[] | undefined => (s === '' ? [] : s.split(':'));
  const left = groups(halves[0] ?? '');
  const right = halves.length === 2 ? groups(halves[1] ?? '') : [];
  if (!left || !right) return undefined;
  const missing = 8 - left.length - right.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  let value = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    value = (value << 16n) | BigInt(parseInt(g, 16));
  }
  if (tailV4 !== undefined) value = (value & ~0xffffffffn) | tailV4;
  return value;
}

const MAPPED_V4_PREFIX = 0xffffn << 32n;

export function parseIp(text: string): IpAddress | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { family: 4, value: v4 };
  const v6 = parseIpv6(text);
  if (v6 === undefined) return undefined;
  if (v6 >> 32n === 0xffffn) return { family: 4, value: v6 - MAPPED_V4_PREFIX };
  return { family: 6, value: v6 };
}

export function parseIpRange(text: string): IpRange | undefined {
  const [addr = '', bits, ...extra] = text.trim().split('/');
  if (extra.length > 0) return undefined;
  const ip = parseIp(addr);
  if (!ip) return undefined;
  const width = ip.family === 4 ? 32 : 128;
  // A mapped address written with an IPv6 prefix length: convert the prefix to IPv4 terms.
  const mapped = ip.family === 4 && addr.includes(':');
  let prefix = width;
  if (bits !== undefined) {
    if (!/^\d{1,3}$/.test(bits)) return undefined;
    prefix = Number(bits) - (mapped ? 96 : 0);
    if (prefix < 0 || prefix > width) return undefined;
  }
  const mask = prefix === 0 ? 0n : ((1n << BigInt(prefix)) - 1n) << BigInt(width - prefix);
  return { family: ip.family, base: ip.value & mask, prefix };
}

export function rangeContains(range: IpRange, ip: IpAddress): boolean {
  if (range.family !== ip.family) return false;
  const width = ip.family === 4 ? 32 : 128;
  const mask = range.prefix === 0 ? 0n : ((1n << BigInt(range.prefix)) - 1n) << BigInt(width - range.prefix);
  return (ip.value & mask) === range.base;
}

/** Allowlist entries as the hook settings hold them (validated text). */
export const ipAllowlistSchema = z
  .array(z.string().trim().max(64).refine((s) => parseIpRange(s) !== undefined, 'must be an IPv4 or IPv6 address or CIDR range'))
  .max(32, 'must have at most 32 entries');

export function isAllowed(allowlist: readonly string[], address: string | null): boolean {
  if (allowlist.length === 0) return true;
  const ip = address === null ? undefined : parseIp(address);
  if (!ip) return false;
  return allowlist.some((entry) => {
    const range = parseIpRange(entry);
    return range !== undefined && rangeContains(range, ip);
  });
}

/** The address the nearest proxy saw (`1.2.3.4`, `1.2.3.4:5678`, `[2001:db8::1]:443`); null when absent or malformed. */
export function clientAddress(forwardedFor: string | null): string | null {
  if (!forwardedFor) return null;
  const last = forwardedFor.split(',').pop()?.trim() ?? '';
  let host = last;
  const bracket = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(last);
  if (bracket) host = bracket[1] ?? '';
  else if (/^[\d.]+:\d{1,5}$/.test(last)) host = last.slice(0, last.lastIndexOf(':'));
  const ip = parseIp(host);
  if (!ip) return null;
  return ip.family === 4 && host.includes(':') ? formatIpv4(ip.value) : host.toLowerCase();
}

function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
}

/** TradingView's published webhook source addresses (https://www.tradingview.com/support/solutions/43000529348). */
export const TRADINGVIEW_SOURCE_ADDRESSES: readonly string[] = ['52.89.214.238', '34.212.75.30', '54.218.53.128', '52.32.178.7'];
