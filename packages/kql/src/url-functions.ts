// URL functions: parse_url, url_decode and url_encode.

import type { ScalarFunction } from './call.js';
import { textFunction } from './function-args.js';

/** `%xx` escapes decoded as UTF-8; a run that is not valid UTF-8 stays as written; `+` stays `+`. */
export function urlDecode(text: string): string {
  return text.replace(/(?:%[0-9a-f]{2})+/gi, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

const UNRESERVED = /[A-Za-z0-9\-_.!*()]/;
const UTF8 = new TextEncoder();

/** Letters, digits and `-_.!*()` as they are, a space as `+`, every other UTF-8 byte as lower-case `%xx`. */
export function urlEncode(text: string): string {
  let out = '';
  for (const ch of text) {
    if (UNRESERVED.test(ch)) out += ch;
    else if (ch === ' ') out += '+';
    else for (const byte of UTF8.encode(ch)) out += `%${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}

const ABSOLUTE_URL =
  /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(?:([^:@/?#]*)(?::([^@/?#]*))?@)?(\[[^\]]*\]|[^:/?#]*)(?::(\d*))?(?:\/([^?#]*))?(?:\?([^#]*))?(?:#(.*))?$/s;

/** `k1=v1&k2=v2` as a property bag of decoded values. */
function queryParameters(query: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = urlDecode(eq === -1 ? pair : pair.slice(0, eq));
    out[key] = urlDecode(eq === -1 ? '' : pair.slice(eq + 1));
  }
  return out;
}

/**
 * parse_url(url): the parts of an absolute URL, named as Kusto names them. The path has no leading
 * `/`, as in Microsoft's documented example; a URL without a scheme gives every part empty.
 */
export function parseUrl(url: string): Record<string, unknown> {
  const m = ABSOLUTE_URL.exec(url.trim());
  const part = (i: number): string => m?.[i] ?? '';
  return {
    Scheme: part(1),
    Host: part(4),
    Port: part(5),
    Path: part(6),
    Username: part(2),
    Password: part(3),
    'Query Parameters': queryParameters(part(7)),
    Fragment: part(8),
  };
}

export const URL_FUNCTIONS: readonly (readonly [string, ScalarFunction])[] = [
  ['parse_url', textFunction('dynamic', parseUrl)],
  ['url_decode', textFunction('string', urlDecode)],
  ['url_encode', textFunction('string', urlEncode)],
];
