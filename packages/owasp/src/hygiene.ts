// What every string value goes through before it is emitted: control and bidi characters escaped
// (no forged log lines, no terminal escapes), secrets replaced by `[REDACTED:<kind>]`, and a byte
// bound, so one huge argument cannot make a record the ingestion service refuses.

import { createRedactor, sanitizeString, truncateUtf8 } from '@otel-sentinel/mapping';
import type { Redactor } from '@otel-sentinel/mapping';

/** The most UTF-8 bytes a string value keeps (8 KiB; Sentinel itself cuts a field at 64 KiB). */
export const MAX_VALUE_BYTES = 8192;
/** The most elements a string-array argument keeps. */
export const MAX_ARRAY_ITEMS = 128;

let redactor: Redactor | undefined;

/** `value` sanitised, redacted (every secret kind the mapping knows) and cut to {@link MAX_VALUE_BYTES}. */
export function cleanString(value: string): string {
  redactor ??= createRedactor();
  return truncateUtf8(redactor.redact(sanitizeString(value)), MAX_VALUE_BYTES);
}

/** Each element cleaned, at most {@link MAX_ARRAY_ITEMS} of them. */
export function cleanStrings(values: readonly string[]): string[] {
  const n = Math.min(values.length, MAX_ARRAY_ITEMS);
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) out[i] = cleanString(values[i] ?? '');
  return out;
}
