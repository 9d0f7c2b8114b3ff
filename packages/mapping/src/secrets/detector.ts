// What a secret detector is, and the small pieces the detectors share: where a secret sits in a
// candidate match, the marker guard that makes redaction idempotent, and the "looks generated"
// test that tells tokens from words.

import type { SecretKind } from '../secret-kinds.js';

/** A secret inside a candidate match: offsets from the start of the match, and its kind. */
export interface Found {
  readonly start: number;
  readonly end: number;
  readonly kind: SecretKind;
}

export interface Detector {
  /** Every kind `locate` can report; a redactor runs the detector when it wants one of them. */
  readonly kinds: readonly SecretKind[];
  /** A global regex for candidates; must not match the text of a `[REDACTED:...]` marker. */
  readonly pattern: RegExp;
  /** The secret inside a candidate, or `undefined` when a closer look says it is none. */
  readonly locate: (m: RegExpExecArray) => Found | undefined;
}

/**
 * Skips a value that is exactly a marker left by an earlier detector (or pass), so redacting
 * twice changes nothing; a value that merely starts like a marker is still redacted.
 */
export function unlessMarker(valueChar: string): string {
  return `(?!\\[REDACTED:[a-z0-9-]+\\](?!${valueChar}))`;
}

/** A detector of one kind whose whole match is the secret, when `accept` (if any) agrees. */
export function wholeMatch(kind: SecretKind, pattern: RegExp, accept?: (token: string) => boolean): Detector {
  return {
    kinds: [kind],
    pattern,
    locate: (m) => (accept === undefined || accept(m[0]) ? { start: 0, end: m[0].length, kind } : undefined),
  };
}

/**
 * A detector of one kind whose first capture group is kept (a key name, `Bearer `, the user of a
 * URL) and whose second is the secret, when `accept` (if any) agrees.
 */
export function afterPrefix(
  kind: SecretKind,
  pattern: RegExp,
  accept?: (secret: string, m: RegExpExecArray) => boolean,
): Detector {
  return {
    kinds: [kind],
    pattern,
    locate: (m) => {
      const secret = m[2] ?? '';
      if (accept !== undefined && !accept(secret, m)) return undefined;
      const start = (m[1] ?? '').length;
      return { start, end: start + secret.length, kind };
    },
  };
}

const DIGIT_OR_SYMBOL = /[0-9+/=]/;
const DIGIT = /[0-9]/;
const LOWER = /[a-z]/;
const UPPER = /[A-Z]/;

/**
 * Generated tokens have a digit, a base64 symbol, or upper case past the first letter; words do
 * not. This is what keeps "Bearer authentication" and "Basic information" out.
 */
export function looksGenerated(token: string): boolean {
  if (DIGIT_OR_SYMBOL.test(token)) return true;
  return token.length >= 12 && LOWER.test(token) && UPPER.test(token.slice(1));
}

/** Random alphanumerics of 16 or more characters nearly always mix digits with letters. */
export function hasDigitAndLetter(token: string): boolean {
  return DIGIT.test(token) && (LOWER.test(token) || UPPER.test(token));
}

/** Random letters (Hugging Face tokens have no digits) mix upper and lower case. */
export function hasMixedCase(token: string): boolean {
  return LOWER.test(token) && UPPER.test(token);
}
