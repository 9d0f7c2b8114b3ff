// Byte-bounded truncation for column values: the ingestion service cuts fields at a byte limit,
// so we cut first, on a code-point boundary, and the value stays valid UTF-8.
import { Buffer } from 'node:buffer';

/** The UTF-8 length of `s` in bytes; a lone surrogate counts 3, as it is written as U+FFFD. */
export function utf8ByteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/**
 * The longest prefix of `s` that takes at most `maxBytes` UTF-8 bytes and does not split a
 * surrogate pair; `s` itself when it fits. `maxBytes` is a non-negative integer.
 */
export function truncateUtf8(s: string, maxBytes: number): string {
  // A UTF-16 unit takes one to three bytes: short strings always fit, and no prefix longer than
  // maxBytes units can fit. Byte counts come from the native counter, which is far faster than a
  // loop over char codes.
  if (s.length * 3 <= maxBytes) return s;
  if (s.length <= maxBytes && utf8ByteLength(s) <= maxBytes) return s;
  let end = notInPair(s, Math.min(s.length, maxBytes));
  let excess = utf8ByteLength(s.slice(0, end)) - maxBytes;
  // Dropping k units drops at most 3k bytes, so a jump of excess/3 units never cuts more than
  // it must (except a whole pair, which must go anyway); a few jumps leave a byte or two.
  while (excess >= 3) {
    const start = notInPair(s, end - Math.floor(excess / 3));
    excess -= utf8ByteLength(s.slice(start, end));
    end = start;
  }
  while (excess > 0) {
    const c = s.charCodeAt(end - 1);
    if (isLow(c) && end >= 2 && isHigh(s.charCodeAt(end - 2))) {
      excess -= 4;
      end -= 2;
    } else {
      excess -= c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
      end -= 1;
    }
  }
  return end === s.length ? s : s.slice(0, end);
}

/** `i`, or one less when `i` falls between the halves of a surrogate pair. */
function notInPair(s: string, i: number): number {
  return i > 0 && isHigh(s.charCodeAt(i - 1)) && isLow(s.charCodeAt(i)) ? i - 1 : i;
}

function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
