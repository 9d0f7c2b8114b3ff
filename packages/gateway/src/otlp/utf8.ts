// Strict UTF-8 decoding of protobuf string fields: invalid UTF-8 throws (a TypeError with code
// ERR_ENCODING_INVALID_ENCODED_DATA) rather than becoming U+FFFD. Strings come out flat (never
// built by concatenation), and short ASCII attribute keys, which an application repeats in every
// record, come from a small cache of internalized strings, which objects take as keys cheaply.
import { Buffer as BufferClass } from 'node:buffer';
import type { Buffer } from 'node:buffer';

// ignoreBOM keeps a leading U+FEFF as part of the string, as protobuf requires.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Up to this length, an ASCII string is checked and copied here: cheaper than TextDecoder's call. */
const SHORT = 64;
/**
 * Slots of the key cache, a power of 2, in pairs: a key is looked for in the two slots of the pair
 * its hash picks, so two hot keys that hash alike do not keep evicting each other.
 */
const SLOTS = 1024;

const keys = new Array<string>(SLOTS).fill('');

// Buffer's own latin1Slice, undocumented but as old as Buffer, skips toString's argument handling.
const latin1Slice: (this: Buffer, start: number, end: number) => string =
  (BufferClass.prototype as unknown as Partial<Latin1Slice>).latin1Slice ??
  function latin1(this: Buffer, start: number, end: number): string {
    return this.toString('latin1', start, end);
  };

interface Latin1Slice {
  latin1Slice(this: Buffer, start: number, end: number): string;
}

/** The UTF-8 text of `buf` from `start` to `end`. */
export function readUtf8(buf: Buffer, start: number, end: number): string {
  if (end - start > SHORT) return decoder.decode(buf.subarray(start, end));
  for (let i = start; i < end; i++) {
    if ((buf[i] ?? 0) >= 0x80) return decoder.decode(buf.subarray(start, end));
  }
  return latin1Slice.call(buf, start, end);
}

/** `readUtf8` for an attribute key: the same text, internalized, and cached when short ASCII. */
export function readKey(buf: Buffer, start: number, end: number): string {
  const length = end - start;
  if (length === 0 || length > SHORT) return readUtf8(buf, start, end);
  // A few bytes and the length tell most keys apart; the comparison makes a hit exact.
  const hash =
    Math.imul(length, 0x9e3779b1) ^
    ((buf[start] ?? 0) << 3) ^
    ((buf[start + (length >>> 2)] ?? 0) << 7) ^
    ((buf[start + (length >>> 1)] ?? 0) << 11) ^
    ((buf[end - 1] ?? 0) << 15);
  const slot = (hash ^ (hash >>> 16)) & (SLOTS - 2);
  const first = keys[slot] ?? '';
  if (matches(first, buf, start, length)) return first;
  const second = keys[slot + 1] ?? '';
  if (matches(second, buf, start, length)) return second;
  const text = readUtf8(buf, start, end);
  if (text.length !== length) return text; // not ASCII: not cached
  // The keys of an object are internalized strings.
  const key = Object.keys({ [text]: 0 })[0] ?? text;
  keys[slot + 1] = first;
  keys[slot] = key;
  return key;
}

/** Whether the ASCII string `cached` is the `length` bytes of `buf` from `start`. */
function matches(cached: string, buf: Buffer, start: number, length: number): boolean {
  if (cached.length !== length) return false;
  for (let i = 0; i < length; i++) if (cached.charCodeAt(i) !== buf[start + i]) return false;
  return true;
}
