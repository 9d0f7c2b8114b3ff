// Turns attribute bags and structured values into JSON-safe data for dynamic columns, applying
// redaction and sanitising to every string inside and bounding the serialised size on the way.

import { jsonBigInt, toBase64 } from './coerce.js';
import { dateToIso } from './datetime.js';
import { SCAN_CLEAN } from './redact.js';
import type { RedactionCounts, RowRedactor } from './redact.js';
import { sanitizeKey, sanitizeString, withoutInvisible } from './sanitize.js';
import { isSensitiveKey } from './sensitive-keys.js';

/** Values nested deeper than this are replaced by a marker, so hostile input cannot recurse far. */
export const MAX_DEPTH = 32;
export const SENSITIVE_VALUE = '[REDACTED:sensitive-key]';
export const TOO_DEEP_VALUE = '[TRUNCATED:depth]';

/** Mutable counters the walker updates; owned by the compiled column. */
export interface DynamicScratch {
  /** Upper bound of the UTF-8 size of the JSON text produced so far. */
  bytes: number;
  /** Characters of the strings counted in `bytes` (6 bytes each there): `bytes - 5 * chars` estimates the real size. */
  chars: number;
  sensitiveKeys: number;
  sanitized: number;
}

export interface DynamicOptions {
  readonly redactor: RowRedactor | undefined;
  readonly counts: RedactionCounts;
  readonly sanitize: boolean;
}

/** Upper bound of a string's JSON text in UTF-8: any UTF-16 unit escapes to at most 6 bytes. */
export function jsonStringBound(s: string): number {
  return s.length * 6 + 2;
}

interface KeyInfo {
  readonly clean: string;
  readonly sensitive: boolean;
  readonly bytes: number;
  readonly chars: number;
  /** Whether a whole-bag column keeps this key (include/exclude). */
  readonly keep: boolean;
  /** The last string value under this key that needed no change: a repeat costs one comparison. */
  last: string | undefined;
}

/** Attribute keys repeat from record to record: remember what we learnt about each (bounded). */
const KEY_CACHE_LIMIT = 4096;

export class DynamicWalker {
  private readonly keys = new Map<string, KeyInfo>();
  private readonly o: DynamicOptions;
  private readonly keepKey: ((key: string) => boolean) | undefined;

  /** `keep` filters the top-level keys of whole-bag columns; nested maps keep every key. */
  constructor(o: DynamicOptions, keep?: (key: string) => boolean) {
    this.o = o;
    this.keepKey = keep;
  }

  private keyInfo(k: string, top: boolean): KeyInfo {
    const cache = top ? this.keys : this.nestedKeys;
    let info = cache.get(k);
    if (info === undefined) {
      const clean = this.o.sanitize ? sanitizeKey(k) : k;
      // An invisible character must not hide a sensitive key: `pass\u200Bword` is one too.
      const bare = withoutInvisible(k);
      const sensitive =
        this.o.redactor !== undefined && (isSensitiveKey(k) || (bare !== k && isSensitiveKey(bare)));
      info = {
        clean,
        sensitive,
        bytes: jsonStringBound(clean) + 1,
        chars: clean.length,
        keep: !top || this.keepKey === undefined || this.keepKey(k),
        last: undefined,
      };
      if (cache.size < KEY_CACHE_LIMIT) cache.set(k, info);
    }
    return info;
  }

  private readonly nestedKeys = new Map<string, KeyInfo>();

  string(s: string, scratch: DynamicScratch): string {
    let v = s;
    const redactor = this.o.redactor;
    // One pass tells a value that needs neither redaction nor sanitising.
    const seen = redactor?.scan(v);
    if (seen !== SCAN_CLEAN) {
      if (redactor !== undefined && seen !== undefined) v = redactor.redactScanned(v, seen, this.o.counts);
      if (this.o.sanitize) {
        const clean = sanitizeString(v);
        if (clean !== v) scratch.sanitized++;
        v = clean;
      }
    }
    scratch.bytes += jsonStringBound(v);
    scratch.chars += v.length;
    return v;
  }

  value(v: unknown, scratch: DynamicScratch, depth: number): unknown {
    switch (typeof v) {
      case 'string':
        return this.string(v, scratch);
      case 'number':
        scratch.bytes += 24;
        return Number.isFinite(v) ? v : null;
      case 'boolean':
        scratch.bytes += 5;
        return v;
      case 'bigint': {
        const j = jsonBigInt(v);
        scratch.bytes += typeof j === 'string' ? j.length + 2 : 22;
        return j;
      }
      case 'object':
        return this.object(v, scratch, depth);
      default:
        scratch.bytes += 4;
        return null;
    }
  }

  private object(v: object | null, scratch: DynamicScratch, depth: number): unknown {
    if (v === null) {
      scratch.bytes += 4;
      return null;
    }
    if (depth >= MAX_DEPTH) return this.string(TOO_DEEP_VALUE, scratch);
    if (v instanceof Uint8Array) {
      const b = toBase64(v);
      scratch.bytes += b.length + 2;
      return b;
    }
    if (v instanceof Date) {
      scratch.bytes += 32;
      return dateToIso(v);
    }
    if (Array.isArray(v)) {
      scratch.bytes += 2;
      const out: unknown[] = new Array<unknown>(v.length);
      for (let i = 0; i < v.length; i++) {
        scratch.bytes += 1;
        out[i] = this.value(v[i], scratch, depth + 1);
      }
      return out;
    }
    if (v instanceof Map)
      return this.map(Object.fromEntries(v as Map<string, unknown>), scratch, depth, false);
    return this.map(v as Record<string, unknown>, scratch, depth, false);
  }

  /** A map; at the top of a whole-bag column (`top`), only the keys the column keeps. */
  map(
    v: Readonly<Record<string, unknown>>,
    scratch: DynamicScratch,
    depth: number,
    top: boolean,
  ): Record<string, unknown> {
    scratch.bytes += 2;
    const out: Record<string, unknown> = {};
    for (const k in v) {
      const item = v[k];
      if (item === undefined) continue;
      const info = this.keyInfo(k, top);
      if (!info.keep) continue;
      scratch.bytes += info.bytes;
      scratch.chars += info.chars;
      if (info.sensitive && item !== null) {
        scratch.sensitiveKeys++;
        out[info.clean] = this.string(SENSITIVE_VALUE, scratch);
      } else if (typeof item === 'string') {
        if (item === info.last) {
          scratch.bytes += jsonStringBound(item);
          scratch.chars += item.length;
          out[info.clean] = item;
        } else {
          const clean = this.string(item, scratch);
          if (clean === item) info.last = item;
          out[info.clean] = clean;
        }
      } else {
        out[info.clean] = this.value(item, scratch, depth + 1);
      }
    }
    return out;
  }
}

/** Compiles include/exclude key lists (exact keys or `*` globs) into one predicate. */
export function keyFilter(
  include: readonly string[] | undefined,
  exclude: readonly string[] | undefined,
  alwaysDrop: readonly string[],
): ((key: string) => boolean) | undefined {
  const inc = include ? globSet(include) : undefined;
  const exc = globSet([...(exclude ?? []), ...alwaysDrop]);
  if (!inc && !exc) return undefined;
  return (key) => (inc === undefined || inc(key)) && (exc === undefined || !exc(key));
}

function globSet(list: readonly string[]): ((key: string) => boolean) | undefined {
  if (list.length === 0) return undefined;
  const exact = new Set(list.filter((g) => !g.includes('*') && !g.includes('?')));
  const globs = list.filter((g) => g.includes('*') || g.includes('?'));
  const re = globs.length > 0 ? globRegExp(globs) : undefined;
  if (!re) return (k) => exact.has(k);
  return (k) => exact.has(k) || re.test(k);
}

/** `["authn_*", "a?c"]` → `/^(?:authn_.*|a.c)$/s` */
export function globRegExp(globs: readonly string[]): RegExp {
  const parts = globs.map((g) =>
    g
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.'),
  );
  return new RegExp(`^(?:${parts.join('|')})$`, 's');
}
