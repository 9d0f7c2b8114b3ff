// Checks that some secrets carry in their own digits: the Luhn digit of card numbers and the
// CRC32 that GitHub and npm append to their tokens. A passing check is certainty without
// entropy guesses.

/** Whether the digits of `text[0, end)` (other characters skipped) pass the Luhn check. */
export function passesLuhn(text: string, end: number): boolean {
  let sum = 0;
  let double = false;
  for (let i = end - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) continue;
    let d = c - 0x30;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

export function countDigits(text: string, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) n++;
  }
  return n;
}

const CRC_TABLE = ((): Uint32Array => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(text: string): number {
  let c = 0xffffffff;
  for (let i = 0; i < text.length; i++) c = (CRC_TABLE[(c ^ text.charCodeAt(i)) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function base62(n: number, width: number): string {
  let out = '';
  for (let v = n; v > 0; v = Math.floor(v / 62)) out = (BASE62[v % 62] ?? '') + out;
  return out.padStart(width, '0');
}

/**
 * GitHub's `ghp_`-style tokens and npm's `npm_` tokens end in six base62 digits of the CRC32 of
 * the 30 random characters before them (GitHub's 2021 token-format announcement; npm adopted the
 * same format). Some write-ups compute it over the prefix too, so both are accepted.
 */
export function hasTokenChecksum(token: string): boolean {
  const underscore = token.indexOf('_');
  const body = token.slice(underscore + 1);
  if (body.length !== 36) return false;
  const random = body.slice(0, 30);
  const check = body.slice(30);
  return base62(crc32(random), 6) === check || base62(crc32(token.slice(0, underscore + 31)), 6) === check;
}
