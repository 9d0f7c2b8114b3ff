// The one rule for "is this a security record", shared by the exporter's processors, the gateway
// and the operational filter: the security attribute, flat or nested, is the boolean true or the
// string "true". Built once per attribute path; per record it is a few property reads.

import { isInheritedKey, ownValue } from './own-key.js';
import type { AttributesLike, LogRecordLike } from './log-record.js';

/** Reads a security flag from an attribute bag (or a nested map inside one). */
type FlagReader = (bag: AttributesLike) => boolean;

/** Most dot-separated parts a security attribute may have (2^(n-1) ways to read it). */
export const MAX_SECURITY_PATH_PARTS = 8;

/**
 * The flag values that mark a security record: the boolean `true`, and the string `"true"`
 * exactly (log libraries and OTLP from other languages often carry booleans as strings). Not
 * `"True"`, `"1"` or `"yes"`: a record is a security record only when it says so unambiguously.
 */
function isFlag(v: unknown): boolean {
  return v === true || v === 'true';
}

function isMap(v: unknown): v is AttributesLike {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

function read(key: string): (bag: AttributesLike) => unknown {
  return isInheritedKey(key) ? (bag) => ownValue(bag, key) : (bag) => bag[key];
}

/**
 * Every way to read `parts[start..]` from a bag: the rest as one flat key first (the common case
 * and the cheapest), then each shorter prefix as a key whose value is a map read the same way.
 */
function reader(parts: readonly string[], start: number): FlagReader {
  const flat = read(parts.slice(start).join('.'));
  const nested: { readonly get: (bag: AttributesLike) => unknown; readonly rest: FlagReader }[] = [];
  for (let end = parts.length - 1; end > start; end--)
    nested.push({ get: read(parts.slice(start, end).join('.')), rest: reader(parts, end) });
  if (nested.length === 0) return (bag) => isFlag(flat(bag));
  return (bag) => {
    if (isFlag(flat(bag))) return true;
    for (const n of nested) {
      const v = n.get(bag);
      if (isMap(v) && n.rest(v)) return true;
    }
    return false;
  };
}

/**
 * The predicate that tells security records from operational ones for a `securityAttribute`
 * path. With `security.event`, each of these is a security record:
 * `{ 'security.event': true }` (flat key, as the OWASP helpers write it) and
 * `{ security: { event: true } }` (a map attribute, as pino and winston bridges emit
 * `logger.warn({ security: { event: true } })`); deeper paths mix both forms
 * (`{ app: { 'security.event': true } }` for `app.security.event`).
 */
export function securityFlag(securityAttribute: string): (record: LogRecordLike) => boolean {
  const parts = securityAttribute.split('.');
  if (securityAttribute === '' || parts.length > MAX_SECURITY_PATH_PARTS)
    throw new RangeError(
      `securityAttribute must be a non-empty name of at most ${MAX_SECURITY_PATH_PARTS} dot-separated parts; got "${securityAttribute}"`,
    );
  const readBag = reader(parts, 0);
  return (record) => readBag(record.attributes);
}
