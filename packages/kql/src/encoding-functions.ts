// Base64 and Unicode code point functions: base64_encode_tostring, base64_decode_tostring,
// base64_decode_toarray, unicode_codepoints_to_string and unicode_codepoints_from_string.

import type { ScalarFunction } from './call.js';
import { typed } from './compiled.js';
import { textFunction } from './function-args.js';
import { castTo, INVALID } from './values.js';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The bytes a base64 text stands for; undefined when it is not base64. */
function base64Bytes(text: string): Buffer | undefined {
  const t = text.trim();
  return BASE64.test(t) && t.length % 4 !== 1 ? Buffer.from(t, 'base64') : undefined;
}

/** The UTF-8 text of base64 bytes; '' (Kusto's null string) when either step fails. */
function decodeToString(text: string): string {
  const bytes = base64Bytes(text);
  if (bytes === undefined) return '';
  try {
    return UTF8.decode(bytes);
  } catch {
    return '';
  }
}

/** The bytes of base64 text as numbers; null when it is not base64. */
function decodeToArray(text: string): number[] | null {
  const bytes = base64Bytes(text);
  return bytes === undefined ? null : [...bytes];
}

/** unicode_codepoints_to_string(values…): each argument a code point or a dynamic array of them. */
const codePointsToString: ScalarFunction = {
  min: 1,
  max: 64,
  compile: (call) => {
    const reads = call.args.map(({ type, eval: evaluate }) => ({ type, evaluate }));
    return typed('string', (row, ctx) => {
      let out = '';
      for (const { type, evaluate } of reads) {
        const v = evaluate(row, ctx);
        for (const item of Array.isArray(v) ? (v as unknown[]) : [v]) {
          const n = castTo(item, Array.isArray(v) ? 'dynamic' : type, 'long');
          if (n === INVALID || n === null) continue;
          const code = Number(n);
          if (code >= 0 && code <= 0x10ffff) out += String.fromCodePoint(code);
        }
      }
      return out;
    });
  },
};

export const ENCODING_FUNCTIONS: readonly (readonly [string, ScalarFunction])[] = [
  ['base64_encode_tostring', textFunction('string', (t) => Buffer.from(t, 'utf8').toString('base64'))],
  ['base64_decode_tostring', textFunction('string', decodeToString)],
  ['base64_decode_toarray', textFunction('dynamic', decodeToArray)],
  ['unicode_codepoints_to_string', codePointsToString],
  [
    'unicode_codepoints_from_string',
    textFunction('dynamic', (t) => Array.from(t, (ch) => ch.codePointAt(0) ?? 0)),
  ],
];
