// IPv6 functions: ipv6_is_match and ipv6_compare. IPv4 addresses are read as their IPv4-mapped
// IPv6 form (::ffff:a.b.c.d), as Kusto does; addresses may carry a `/prefix`.

import type { ScalarFunction } from './call.js';
import { addressPair, parseIpv4, withPrefix, type AddressFamily } from './ip-functions.js';

interface Ipv6 {
  readonly address: bigint;
  readonly prefix: number;
}

const HEXTET = /^[0-9a-f]{1,4}$/i;

/** The 16-bit groups of one side of `::`, an IPv4 tail counting as two; undefined when unreadable. */
function groups(text: string, last: boolean): bigint[] | undefined {
  if (text === '') return [];
  const out: bigint[] = [];
  const parts = text.split(':');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? '';
    if (last && i === parts.length - 1 && part.includes('.')) {
      const v4 = parseIpv4(part);
      if (v4 === undefined || v4.prefix !== 32) return undefined;
      out.push(BigInt(Math.floor(v4.address / 65536)), BigInt(v4.address % 65536));
    } else if (HEXTET.test(part)) {
      out.push(BigInt(`0x${part}`));
    } else {
      return undefined;
    }
  }
  return out;
}

/** An IPv6 address without prefix as a 128-bit number. */
function ipv6Address(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = groups(halves[0] ?? '', halves.length === 1);
  const tail = halves.length === 2 ? groups(halves[1] ?? '', true) : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array<bigint>(halves.length === 2 ? missing : 0).fill(0n), ...tail];
  return all.reduce((acc, g) => (acc << 16n) | g, 0n);
}

/** An IPv6 or IPv4 address, with an optional `/prefix`; undefined when unreadable. */
export function parseIpv6(text: string): Ipv6 | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { address: 0xffff00000000n | BigInt(v4.address), prefix: 96 + v4.prefix };
  return withPrefix(text, 128, ipv6Address);
}

function masked(address: bigint, bits: number): bigint {
  const drop = BigInt(128 - Math.max(0, Math.min(128, bits)));
  return (address >> drop) << drop;
}

const IPV6: AddressFamily<bigint> = { bits: 128, parse: parseIpv6, mask: masked };

export const IPV6_FUNCTIONS: readonly (readonly [string, ScalarFunction])[] = [
  [
    'ipv6_is_match',
    { min: 2, max: 3, compile: (call) => addressPair(call, IPV6, (a, b) => a === b, 'bool') },
  ],
  [
    'ipv6_compare',
    {
      min: 2,
      max: 3,
      compile: (call) => addressPair(call, IPV6, (a, b) => (a < b ? -1 : a > b ? 1 : 0), 'long'),
    },
  ],
];
