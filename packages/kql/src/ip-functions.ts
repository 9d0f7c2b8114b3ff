// IP address functions: has_ipv4, has_ipv4_prefix, has_any_ipv4, has_any_ipv4_prefix,
// ipv4_is_match, ipv4_compare, ipv4_is_in_range, ipv4_is_private, parse_ipv4, format_ipv4 and
// ipv6_is_match. Addresses may carry a `/prefix` (CIDR); an unreadable address gives null.

import { type Call, type ScalarFunction } from './call.js';
import { typed, type Compiled } from './compiled.js';
import { longArg, textArg, type Read } from './function-args.js';
import { castTo, INVALID, toKqlString } from './values.js';

function fn(min: number, max: number, compile: (call: Call) => Compiled): ScalarFunction {
  return { min, max, compile };
}

interface Ipv4 {
  /** The address as an unsigned 32-bit number. */
  readonly address: number;
  /** The `/prefix` written after it, 32 without one. */
  readonly prefix: number;
}

const DOTTED = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** `10.1.2.3` as a number, undefined when it is not four octets of 0-255. */
function dottedQuad(text: string): number | undefined {
  const m = DOTTED.exec(text);
  if (m === null) return undefined;
  let address = 0;
  for (let i = 1; i <= 4; i++) {
    const octet = Number(m[i]);
    if (octet > 255) return undefined;
    address = address * 256 + octet;
  }
  return address;
}

/**
 * An address with an optional `/prefix` (CIDR) of at most `bits`: the address read by `read`, and
 * the prefix (`bits` without one); undefined when either is unreadable.
 */
export function withPrefix<A>(
  text: string,
  bits: number,
  read: (address: string) => A | undefined,
): { address: A; prefix: number } | undefined {
  const slash = text.indexOf('/');
  const address = read((slash === -1 ? text : text.slice(0, slash)).trim());
  if (address === undefined) return undefined;
  if (slash === -1) return { address, prefix: bits };
  const prefix = text.slice(slash + 1).trim();
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > bits) return undefined;
  return { address, prefix: Number(prefix) };
}

/** `10.1.2.3` or `10.1.2.3/24`; undefined when unreadable. */
export function parseIpv4(text: string): Ipv4 | undefined {
  return withPrefix(text, 32, dottedQuad);
}

/** The address with all but its first `bits` bits cleared. */
function masked(address: number, bits: number): number {
  if (bits <= 0) return 0;
  if (bits >= 32) return address;
  return Math.floor(address / 2 ** (32 - bits)) * 2 ** (32 - bits);
}

/** The IPv4 addresses written in a text, delimited by characters that are not letters or digits. */
function addressesIn(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?<![0-9A-Za-z])\d{1,3}(?:\.\d{1,3}){3}(?![0-9A-Za-z])/g)) {
    if (dottedQuad(m[0]) !== undefined) found.push(m[0]);
  }
  return found;
}

/** A prefix `has_ipv4_prefix` accepts: a whole address, or one to three octets each followed by a dot. */
function validPrefix(prefix: string): boolean {
  if (dottedQuad(prefix) !== undefined) return true;
  const m = /^(\d{1,3}\.){1,3}$/.exec(prefix);
  return m !== null && prefix.split('.').every((o) => o === '' || Number(o) <= 255);
}

function matchesPrefix(address: string, prefix: string): boolean {
  return prefix.endsWith('.') ? address.startsWith(prefix) : address === prefix;
}

/** The strings of the arguments after the first: each string, or each element of a dynamic array. */
function listedTexts(call: Call): Read<string[]> {
  const reads = call.args.slice(1).map(({ type, eval: evaluate }): Read<string[]> => (row, ctx) => {
    const v = evaluate(row, ctx);
    if (type === 'dynamic' && Array.isArray(v)) return (v as unknown[]).map((x) => toKqlString(x, 'dynamic'));
    return [toKqlString(v, type)];
  });
  return (row, ctx) => reads.flatMap((read) => read(row, ctx));
}

/** has_any_ipv4_prefix / has_ipv4_prefix / has_any_ipv4 / has_ipv4: an address (prefix) in the text. */
function hasAddress(prefixes: boolean, min: number, max: number): ScalarFunction {
  return fn(min, max, (call) => {
    const source = textArg(call, 0);
    const listed = listedTexts(call);
    const valid = prefixes ? validPrefix : (p: string): boolean => dottedQuad(p) !== undefined;
    return typed('bool', (row, ctx) => {
      const wanted = listed(row, ctx).filter(valid);
      if (wanted.length === 0) return false;
      const found = addressesIn(source(row, ctx));
      return found.some((a) => wanted.some((p) => (prefixes ? matchesPrefix(a, p) : a === p)));
    });
  });
}

/** An address family's reading and masking, for the functions that compare two addresses. */
export interface AddressFamily<A> {
  readonly bits: number;
  readonly parse: (text: string) => { address: A; prefix: number } | undefined;
  readonly mask: (address: A, bits: number) => A;
}

/**
 * Reads arguments 1 and 2 as addresses and argument 3 as a prefix length (default: all bits), and
 * compares the addresses under the shortest prefix; null when one is unreadable.
 */
export function addressPair<A>(
  call: Call,
  family: AddressFamily<A>,
  compare: (a: A, b: A) => unknown,
  type: 'bool' | 'long',
): Compiled {
  const first = textArg(call, 0);
  const second = textArg(call, 1);
  const prefix = call.args.length > 2 ? longArg(call, 2) : undefined;
  return typed(type, (row, ctx) => {
    const a = family.parse(first(row, ctx));
    const b = family.parse(second(row, ctx));
    const p = prefix === undefined ? family.bits : prefix(row, ctx);
    if (a === undefined || b === undefined || p === null || p < 0 || p > family.bits) return null;
    const bits = Math.min(a.prefix, b.prefix, p);
    return compare(family.mask(a.address, bits), family.mask(b.address, bits));
  });
}

const IPV4: AddressFamily<number> = { bits: 32, parse: parseIpv4, mask: masked };

const ipv4IsMatch = fn(2, 3, (call) => addressPair(call, IPV4, (a, b) => a === b, 'bool'));
const ipv4Compare = fn(2, 3, (call) => addressPair(call, IPV4, (a, b) => Math.sign(a - b), 'long'));

/** ipv4_is_in_range(address, range): whether the address lies in the CIDR range. */
const ipv4IsInRange = fn(2, 2, (call) => {
  const address = textArg(call, 0);
  const range = textArg(call, 1);
  return typed('bool', (row, ctx) => {
    const a = parseIpv4(address(row, ctx));
    const r = parseIpv4(range(row, ctx));
    if (a === undefined || r === undefined) return null;
    return masked(a.address, r.prefix) === masked(r.address, r.prefix);
  });
});

const PRIVATE_RANGES: readonly Ipv4[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map(
  (r) => parseIpv4(r) ?? { address: 0, prefix: 32 },
);

/** ipv4_is_private(address): in 10/8, 172.16/12 or 192.168/16. */
const ipv4IsPrivate = fn(1, 1, (call) => {
  const address = textArg(call, 0);
  return typed('bool', (row, ctx) => {
    const a = parseIpv4(address(row, ctx));
    if (a === undefined) return null;
    const start = masked(a.address, a.prefix);
    return PRIVATE_RANGES.some((r) => a.prefix >= r.prefix && masked(start, r.prefix) === r.address);
  });
});

/** parse_ipv4(address): the address (masked by its prefix) as a long; null when unreadable. */
const parseIpv4Function = fn(1, 1, (call) => {
  const address = textArg(call, 0);
  return typed('long', (row, ctx) => {
    const a = parseIpv4(address(row, ctx));
    return a === undefined ? null : masked(a.address, a.prefix);
  });
});

function dotted(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join('.');
}

/** format_ipv4(address [, prefix]): the address (a string or a long) masked, as text; '' when unreadable. */
const formatIpv4 = fn(1, 2, (call) => {
  const { type, eval: evaluate } = call.args[0] ?? { type: 'string', eval: () => null };
  const prefix = call.args.length > 1 ? longArg(call, 1) : undefined;
  return typed('string', (row, ctx) => {
    const v = evaluate(row, ctx);
    const n = type === 'string' || type === 'dynamic' ? undefined : castTo(v, type, 'long');
    const a =
      n === undefined || n === INVALID || n === null
        ? parseIpv4(toKqlString(v, type))
        : Number(n) >= 0 && Number(n) <= 0xffffffff
          ? { address: Number(n), prefix: 32 }
          : undefined;
    const p = prefix === undefined ? 32 : prefix(row, ctx);
    if (a === undefined || p === null || p < 0 || p > 32) return '';
    return dotted(masked(a.address, Math.min(a.prefix, p)));
  });
});

export const IPV4_FUNCTIONS: readonly (readonly [string, ScalarFunction])[] = [
  ['has_ipv4', hasAddress(false, 2, 2)],
  ['has_any_ipv4', hasAddress(false, 2, 64)],
  ['has_ipv4_prefix', hasAddress(true, 2, 2)],
  ['has_any_ipv4_prefix', hasAddress(true, 2, 64)],
  ['ipv4_is_match', ipv4IsMatch],
  ['ipv4_compare', ipv4Compare],
  ['ipv4_is_in_range', ipv4IsInRange],
  ['ipv4_is_private', ipv4IsPrivate],
  ['parse_ipv4', parseIpv4Function],
  ['format_ipv4', formatIpv4],
];
