import { describe, expect, it } from 'vitest';
import { itHasKustoTypes, valueOf } from './support/one-row.js';

// Expected values are Microsoft's documented examples (Kusto query reference: has_ipv4,
// has_ipv4_prefix, has_any_ipv4, has_any_ipv4_prefix, ipv4_is_private, ipv4_is_match,
// ipv4_compare, ipv4_is_in_range, parse_ipv4, format_ipv4, ipv6_is_match) and the calls Microsoft's
// ASIM parsers and data tester make.

const LOG_LINE = "'05:04:54 127.0.0.1 GET /favicon.ico 404'";

describe('IPv4 addresses in text', () => {
  it('has_ipv4_prefix needs a valid prefix ending in a dot, or a whole address, properly delimited', () => {
    expect(valueOf(`has_ipv4_prefix(${LOG_LINE}, '127.0.')`)).toBe(true);
    expect(valueOf(`has_ipv4_prefix(${LOG_LINE}, '127.0')`)).toBe(false);
    expect(valueOf("has_ipv4_prefix('05:04:54 127.0.0.256 GET /favicon.ico 404', '127.0.')")).toBe(false);
    expect(valueOf("has_ipv4_prefix('05:04:54127.0.0.1 GET /favicon.ico 404', '127.0.')")).toBe(false);
  });

  it('has_any_ipv4_prefix takes prefixes as arguments or as a dynamic array', () => {
    expect(valueOf(`has_any_ipv4_prefix(${LOG_LINE}, '127.0.', '192.168.')`)).toBe(true);
    expect(valueOf(`has_any_ipv4_prefix(${LOG_LINE}, dynamic(["127.0.", "192.168."]))`)).toBe(true);
    expect(valueOf(`has_any_ipv4_prefix(${LOG_LINE}, '127.0')`)).toBe(false);
    expect(valueOf("has_any_ipv4_prefix('05:04:54127.0.0.1 GET /favicon.ico 404', '127.0.', '192.')")).toBe(
      false,
    );
  });

  it('filters a source address as the ASIM filtering parsers do', () => {
    expect(valueOf("has_any_ipv4_prefix(Ip, dynamic(['10.1.']))")).toBe(true);
    expect(valueOf("has_any_ipv4_prefix(Ip, dynamic(['10.2.', '192.168.']))")).toBe(false);
    expect(valueOf('has_any_ipv4_prefix(Ip, dynamic([]))')).toBe(false);
    expect(valueOf("has_any_ipv4_prefix(Empty, dynamic(['10.']))")).toBe(false);
  });

  it('has_ipv4 and has_any_ipv4 look for whole addresses', () => {
    expect(valueOf(`has_ipv4(${LOG_LINE}, '127.0.0.1')`)).toBe(true);
    expect(valueOf("has_ipv4('05:04:54 127.0.0.256 GET /favicon.ico 404', '127.0.0.256')")).toBe(false);
    expect(valueOf("has_ipv4('05:04:54127.0.0.1 GET /favicon.ico 404', '127.0.0.1')")).toBe(false);
    expect(valueOf(`has_any_ipv4(${LOG_LINE}, '127.0.0.1', '127.0.0.2')`)).toBe(true);
    expect(valueOf(`has_any_ipv4(${LOG_LINE}, dynamic(['10.0.0.1']))`)).toBe(false);
  });
});

describe('IPv4 comparisons', () => {
  it('ipv4_is_private knows the RFC 1918 ranges and reads CIDR notation', () => {
    expect(valueOf("ipv4_is_private('192.168.1.1/24')")).toBe(true);
    expect(valueOf("ipv4_is_private('10.1.2.3/24')")).toBe(true);
    expect(valueOf("ipv4_is_private('172.31.255.255')")).toBe(true);
    expect(valueOf("ipv4_is_private('172.32.0.1')")).toBe(false);
    expect(valueOf("ipv4_is_private('202.1.2.3')")).toBe(false);
    expect(valueOf("ipv4_is_private('127.0.0.1')")).toBe(false);
    expect(valueOf("ipv4_is_private('not an address')")).toBeNull();
  });

  it('ipv4_is_match and ipv4_compare compare under the shortest prefix', () => {
    expect(valueOf("ipv4_is_match('192.168.1.1', '192.168.1.255')")).toBe(false);
    expect(valueOf("ipv4_is_match('192.168.1.1/24', '192.168.1.255/24')")).toBe(true);
    expect(valueOf("ipv4_is_match('192.168.1.1', '192.168.1.255', 24)")).toBe(true);
    expect(valueOf("ipv4_compare('127.0.0.1', '127.0.0.1')")).toBe(0);
    expect(valueOf("ipv4_compare('192.168.1.1', '192.168.1.255')")).toBe(-1);
    expect(valueOf("ipv4_compare('192.168.1.255', '192.168.1.1')")).toBe(1);
    expect(valueOf("ipv4_compare('192.168.1.1', '192.168.1.255', 24)")).toBe(0);
  });

  it('tells an address from anything else as the ASIM data tester asks (prefix 0)', () => {
    expect(valueOf("ipv4_is_match(Ip, '0.0.0.0', 0)")).toBe(true);
    expect(valueOf("ipv4_is_match('contoso', '0.0.0.0', 0)")).toBeNull();
    expect(valueOf("not(ipv4_is_match('contoso', '0.0.0.0', 0))")).toBeNull();
  });

  it('ipv4_is_in_range reads the range in CIDR notation', () => {
    expect(valueOf("ipv4_is_in_range('192.168.1.1', '192.168.1.1')")).toBe(true);
    expect(valueOf("ipv4_is_in_range('192.168.1.1', '192.168.1.255/24')")).toBe(true);
    expect(valueOf("ipv4_is_in_range('192.168.2.1', '192.168.1.255/24')")).toBe(false);
    expect(valueOf("ipv4_is_in_range('x', '10.0.0.0/8')")).toBeNull();
  });

  it('parse_ipv4 and format_ipv4 convert between text and numbers', () => {
    expect(valueOf("parse_ipv4('127.0.0.1')")).toBe(2130706433);
    expect(valueOf("parse_ipv4('192.1.168.1')")).toBe(3221334017);
    expect(valueOf("parse_ipv4('192.1.168.1/24')")).toBe(3221334016);
    expect(valueOf("parse_ipv4('192.1.168')")).toBeNull();
    expect(valueOf("format_ipv4('192.168.1.255', 24)")).toBe('192.168.1.0');
    expect(valueOf('format_ipv4(3232236031, 24)')).toBe('192.168.1.0');
    expect(valueOf("format_ipv4('192.168.1.1/24', 32)")).toBe('192.168.1.0');
    expect(valueOf("format_ipv4('abc')")).toBe('');
  });
});

describe('IPv6', () => {
  it('ipv6_is_match compares IPv6 addresses, IPv4 ones as IPv4-mapped', () => {
    expect(valueOf("ipv6_is_match('::ffff:7f00:1', '127.0.0.1')")).toBe(true);
    expect(valueOf("ipv6_is_match('fe80::85d:e82c:9446:7994', 'fe80::85d:e82c:9446:7995')")).toBe(false);
    expect(valueOf("ipv6_is_match('fe80::85d:e82c:9446:7994/127', 'fe80::85d:e82c:9446:7995/127')")).toBe(
      true,
    );
    expect(valueOf("ipv6_is_match('fe80::85d:e82c:9446:7994', 'fe80::85d:e82c:9446:7995', 127)")).toBe(true);
  });

  it('tells an address from anything else as the ASIM data tester asks (prefix 0)', () => {
    expect(valueOf("ipv6_is_match('2001:db8::1', '::1', 0)")).toBe(true);
    expect(valueOf("ipv6_is_match(Ip, '0.0.0.0', 0)")).toBe(true);
    expect(valueOf("ipv6_is_match('contoso', '::1', 0)")).toBeNull();
    expect(valueOf("ipv6_is_match('1:2:3:4:5:6:7:8:9', '::1', 0)")).toBeNull();
  });
});

describe('result types', () => {
  itHasKustoTypes([
    "has_ipv4(Text, '1.2.3.4')",
    "has_any_ipv4(Text, '1.2.3.4')",
    "has_ipv4_prefix(Text, '1.')",
    "has_any_ipv4_prefix(Text, dynamic(['1.']))",
    "ipv4_is_match(Ip, '0.0.0.0', 0)",
    'ipv4_compare(Ip, Ip)',
    "ipv4_is_in_range(Ip, '10.0.0.0/8')",
    'ipv4_is_private(Ip)',
    'parse_ipv4(Ip)',
    'format_ipv4(Ip)',
    'ipv6_is_match(Ip, Ip)',
    'ipv6_compare(Ip, Ip)',
  ]);
});
