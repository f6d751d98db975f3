import { clientAddress, ipAllowlistSchema, isAllowed, parseIp, parseIpRange, TRADINGVIEW_SOURCE_ADDRESSES } from '../../../../shared/signals/ip-allowlist.js';

describe('parseIp and parseIpRange', () => {
  it('parses IPv4, IPv6 (compressed, embedded IPv4) and maps ::ffff:a.b.c.d to IPv4', () => {
    expect(parseIp('52.89.214.238')).toEqual({ family: 4, value: 0x3459d6een });
    expect(parseIp('2001:db8::1')).toEqual({ family: 6, value: (0x20010db8n << 96n) | 1n });
    expect(parseIp('::ffff:52.89.214.238')).toEqual({ family: 4, value: 0x3459d6een });
    expect(parseIp('::')).toEqual({ family: 6, value: 0n });
  });

  it.each(['256.1.1.1', '1.2.3', '01.2.3.4', '1::2::3', '1:2:3:4:5:6:7:8:9', 'gggg::', '', 'localhost'])('refuses %j', (text) => {
    expect(parseIp(text)).toBeUndefined();
  });

  it('parses CIDR ranges and refuses bad prefixes', () => {
    expect(parseIpRange('10.0.0.0/8')).toEqual({ family: 4, base: 0x0a000000n, prefix: 8 });
    expect(parseIpRange('10.1.2.3/8')).toEqual({ family: 4, base: 0x0a000000n, prefix: 8 });
    expect(parseIpRange('10.0.0.0/33')).toBeUndefined();
    expect(parseIpRange('2001:db8::/129')).toBeUndefined();
    expect(parseIpRange('1.2.3.4/8/8')).toBeUndefined();
  });
});

describe('isAllowed', () => {
  it('allows everything with an empty list', () => {
    expect(isAllowed([], null)).toBe(true);
  });

  it("allows TradingView's published addresses when they are listed, and nothing else", () => {
    for (const address of TRADINGVIEW_SOURCE_ADDRESSES) expect(isAllowed(TRADINGVIEW_SOURCE_ADDRESSES, address)).toBe(true);
    expect(isAllowed(TRADINGVIEW_SOURCE_ADDRESSES, '52.89.214.239')).toBe(false);
    expect(isAllowed(TRADINGVIEW_SOURCE_ADDRESSES, null)).toBe(false);
  });

  it('matches ranges per family', () => {
    expect(isAllowed(['192.168.0.0/16'], '192.168.44.5')).toBe(true);
    expect(isAllowed(['192.168.0.0/16'], '192.169.0.1')).toBe(false);
    expect(isAllowed(['2001:db8::/32'], '2001:db8:ffff::1')).toBe(true);
    expect(isAllowed(['2001:db8::/32'], '192.168.0.1')).toBe(false);
    expect(isAllowed(['0.0.0.0/0'], '8.8.8.8')).toBe(true);
  });
});

describe('clientAddress', () => {
  it('takes the last X-Forwarded-For entry (the one the platform appended) and drops the port', () => {
    expect(clientAddress('6.6.6.6, 52.89.214.238')).toBe('52.89.214.238');
    expect(clientAddress('52.89.214.238:51234')).toBe('52.89.214.238');
    expect(clientAddress('[2001:db8::1]:443')).toBe('2001:db8::1');
    expect(clientAddress('::ffff:10.0.0.1')).toBe('10.0.0.1');
  });

  it('answers null for absent or malformed values', () => {
    expect(clientAddress(null)).toBeNull();
    expect(clientAddress('')).toBeNull();
    expect(clientAddress('unknown')).toBeNull();
    expect(clientAddress('1.2.3.4, <script>')).toBeNull();
  });
});

describe('ipAllowlistSchema', () => {
  it('validates entries and the list size', () => {
    expect(ipAllowlistSchema.safeParse(['1.2.3.4', '10.0.0.0/8', '2001:db8::/32']).success).toBe(true);
    expect(ipAllowlistSchema.safeParse(['1.2.3.4/40']).success).toBe(false);
    expect(ipAllowlistSchema.safeParse(Array(33).fill('1.2.3.4')).success).toBe(false);
  });
});
