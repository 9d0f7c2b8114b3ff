// Builds, once per column, the straight-line function that reads one column value from a record:
// source getter, coercion, transforms, safety (redaction, sanitising) and the field size limit.

import { isInheritedKey, ownValue } from './own-key.js';
import { createHmac, randomBytes } from 'node:crypto';
import { datetimeCoercer, NULL_REASONS, plainJson, simpleCoercer, stringCoercer } from './coerce.js';
import type { CoerceScratch, Coercer, NullReason } from './coerce.js';
import { createHrTimeFormatter } from './datetime.js';
import { DynamicWalker, keyFilter } from './dynamic.js';
import type { DynamicScratch } from './dynamic.js';
import type { HrTimeLike, LogRecordLike } from './log-record.js';
import { MappingCompileError } from './problems.js';
import { CleanMemo } from './clean-memo.js';
import { createRowRedactor, SCAN_CLEAN } from './redact.js';
import type { RedactionCounts, RowRedactor, SecretKind } from './redact.js';
import { recordUid, rowIdHash } from './row-id.js';
import { sanitizeString } from './sanitize.js';
import type { RecordField, SourceExpr } from './source-expr.js';
import { truncateUtf8, utf8ByteLength } from './truncate.js';
import type { ColumnConfig, ColumnType, MismatchPolicy, RedactSetting, TransformConfig } from './types.js';

/** Per-stream scratch the readers write into; reset by the row mapper for each record. */
export interface ReadScratch extends CoerceScratch, DynamicScratch {}

/** Counters shared by every column of a compiled mapping. */
export interface SafetyCounters {
  truncated: number;
  sanitized: number;
  sensitiveKeys: number;
  impreciseNumbers: number;
  readonly redactions: RedactionCounts;
}

export type Getter = (r: LogRecordLike) => unknown;
/** Turns a column's raw source value into its row value (null with `s.reason` when none). */
export type ColumnConvert = (raw: unknown, s: ReadScratch) => unknown;

export interface CompileContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly missingHashKey: 'error' | 'ephemeral';
  readonly securityAttribute: string;
  /** The mapping's event-name reader (`eventNameFrom`); absent means the record's `eventName`. */
  readonly eventName?: Getter | undefined;
  readonly counters: SafetyCounters;
  /** Environment variables whose hash key was replaced by a random one (dry runs). */
  readonly ephemeralKeys: Set<string>;
  readonly redactors: Map<string, RowRedactor>;
  readonly hashKeys: Map<string, Buffer>;
}

export interface ColumnPlan {
  readonly name: string;
  readonly type: ColumnType;
  readonly onMismatch: MismatchPolicy;
  /** Bytes the column may give a value it keeps in the overflow column. */
  readonly maxBytes: number;
  /** Bytes the key adds to the row's JSON: quotes, colon and comma. */
  readonly keyBytes: number;
  readonly required: boolean;
  readonly hasDefault: boolean;
  readonly defaultValue: unknown;
  readonly defaultBytes: number;
  readonly get: Getter;
  /** JavaScript expression reading the raw value from `record`, for generated row code. */
  readonly getExpr: string | undefined;
  readonly convert: ColumnConvert;
  readonly nulls: Record<NullReason, number>;
}

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '';
}

const OWN_EVENT_NAME: Getter = (r) => r.eventName;

/** The getter of a source; `eventName` is how the mapping reads event names (`eventNameFrom`). */
export function getter(s: SourceExpr, eventName: Getter = OWN_EVENT_NAME): Getter {
  switch (s.kind) {
    case 'field':
      return s.field === 'eventName' ? eventName : FIELD_GETTERS[s.field];
    case 'key':
      return keyGetter(s.bag, s.key);
    case 'bag':
      return s.bag === 'attributes' ? (r) => r.attributes : (r) => r.resource?.attributes;
    case 'const': {
      const value = s.value;
      return () => value;
    }
    case 'rowId':
      // The column's converter reads the whole record (see rowIdConvert).
      return (r) => r;
    case 'coalesce': {
      const getters = s.sources.map((source) => getter(source, eventName));
      return (r) => {
        for (const g of getters) {
          const v = g(r);
          if (!isEmpty(v)) return v;
        }
        return undefined;
      };
    }
  }
}

const FIELD_GETTERS: Readonly<Record<Exclude<RecordField, 'eventName'>, Getter>> = {
  timestamp: (r) => r.hrTime,
  observedTimestamp: (r) => r.hrTimeObserved ?? r.hrTime,
  severityText: (r) => r.severityText,
  severityNumber: (r) => r.severityNumber,
  body: (r) => r.body,
  traceId: (r) => r.spanContext?.traceId,
  spanId: (r) => r.spanContext?.spanId,
  'scope.name': (r) => r.instrumentationScope?.name,
  'scope.version': (r) => r.instrumentationScope?.version,
};

/** One key of the attributes, the resource or a map body; own keys only when the name is inherited. */
function keyGetter(bag: 'attributes' | 'resource' | 'body', key: string): Getter {
  if (isInheritedKey(key)) {
    if (bag === 'attributes') return (r) => ownValue(r.attributes, key);
    if (bag === 'resource') return (r) => ownValue(r.resource?.attributes, key);
  } else {
    if (bag === 'attributes') return (r) => r.attributes[key];
    if (bag === 'resource') return (r) => r.resource?.attributes[key];
  }
  return (r) => {
    const b = r.body;
    return typeof b === 'object' && b !== null && !Array.isArray(b) && !(b instanceof Uint8Array)
      ? ownValue(b as Record<string, unknown>, key)
      : undefined;
  };
}

function readsEventName(s: SourceExpr): boolean {
  if (s.kind === 'field') return s.field === 'eventName';
  return s.kind === 'coalesce' && s.sources.some(readsEventName);
}

/**
 * The same read as `getter(s)` as a JavaScript expression over `record`, for the generated row
 * code; undefined for sources that keep their getter function (constants, lists, body keys).
 * Keys are embedded as JSON string literals.
 */
export function getterExpression(s: SourceExpr): string | undefined {
  switch (s.kind) {
    case 'field':
      switch (s.field) {
        case 'timestamp':
          return 'record.hrTime';
        case 'observedTimestamp':
          return '(record.hrTimeObserved ?? record.hrTime)';
        case 'traceId':
          return 'record.spanContext?.traceId';
        case 'spanId':
          return 'record.spanContext?.spanId';
        case 'scope.name':
          return 'record.instrumentationScope?.name';
        case 'scope.version':
          return 'record.instrumentationScope?.version';
        default:
          return `record.${s.field}`;
      }
    case 'key':
      // A key Object.prototype also has is read by the closure above (own properties only).
      if (isInheritedKey(s.key)) return undefined;
      if (s.bag === 'attributes') return `record.attributes[${JSON.stringify(s.key)}]`;
      if (s.bag === 'resource') return `record.resource?.attributes[${JSON.stringify(s.key)}]`;
      return undefined;
    case 'bag':
      return s.bag === 'attributes' ? 'record.attributes' : 'record.resource?.attributes';
    case 'rowId':
      return 'record';
    default:
      return undefined;
  }
}

function hasTimeSource(s: SourceExpr): boolean {
  if (s.kind === 'field') return s.field === 'timestamp' || s.field === 'observedTimestamp';
  return s.kind === 'coalesce' && s.sources.some(hasTimeSource);
}

/** Lower-case hex digits only (with the length checked first: a trace id has 32, a span id 16). */
const HEX_DIGITS = /^[0-9a-f]+$/;

function hexIdSource(s: SourceExpr): boolean {
  return s.kind === 'field' && (s.field === 'traceId' || s.field === 'spanId');
}

function redactorFor(setting: RedactSetting, ctx: CompileContext): RowRedactor | undefined {
  if (setting === false) return undefined;
  const kinds: readonly SecretKind[] | undefined = setting === true ? undefined : setting;
  const key = kinds === undefined ? '*' : [...kinds].sort().join(',');
  let r = ctx.redactors.get(key);
  if (!r) {
    r = createRowRedactor(kinds);
    ctx.redactors.set(key, r);
  }
  return r;
}

function hashKey(env: string, column: string, ctx: CompileContext): Buffer {
  const cached = ctx.hashKeys.get(env);
  if (cached) return cached;
  const value = ctx.env[env];
  let key: Buffer;
  if (value !== undefined && value !== '') key = Buffer.from(value, 'utf8');
  else if (ctx.missingHashKey === 'ephemeral') {
    key = randomBytes(32);
    ctx.ephemeralKeys.add(env);
  } else {
    throw new MappingCompileError(
      'E_HASH_KEY_MISSING',
      column,
      `column ${column} hashes with hmac-sha256, but the key variable ${env} is not set; set it to a secret of 32+ random bytes (the same value everywhere hashes must match)`,
    );
  }
  ctx.hashKeys.set(env, key);
  return key;
}

const REDACTED = '[REDACTED]';

function stringTransform(t: TransformConfig, column: string, ctx: CompileContext): (s: string) => string {
  switch (t.kind) {
    case 'hmac-sha256': {
      const key = hashKey(t.keyEnv, column, ctx);
      return (s) => createHmac('sha256', key).update(s, 'utf8').digest('hex');
    }
    case 'lowercase':
      return (s) => s.toLowerCase();
    case 'uppercase':
      return (s) => s.toUpperCase();
    case 'trim':
      return (s) => s.trim();
    case 'truncate': {
      const max = t.maxBytes;
      return (s) => truncateUtf8(s, max);
    }
    case 'redact':
      return () => REDACTED;
    case 'lookup': {
      // A Map, not the object: a value such as "constructor" must not find Object.prototype's.
      const map = new Map(Object.entries(t.map));
      const otherwise = t.default;
      return otherwise === undefined ? (s) => map.get(s) ?? s : (s) => map.get(s) ?? otherwise;
    }
  }
}

function newNulls(): Record<NullReason, number> {
  const out = {} as Record<NullReason, number>;
  for (const r of NULL_REASONS) out[r] = 0;
  return out;
}

function stringConvert(c: ColumnConfig, ctx: CompileContext): ColumnConvert {
  const coerce = stringCoercer((v) => JSON.stringify(plainJson(v)));
  const hashed = c.transforms.some((t) => t.kind === 'hmac-sha256');
  const redactor = hashed ? undefined : redactorFor(c.redact, ctx);
  const counts = ctx.counters.redactions;
  const transforms = c.transforms.map((t) => stringTransform(t, c.name, ctx));
  const sanitize = c.sanitize;
  const plain = sanitize && transforms.length === 0 ? redactor : undefined;
  // A trace or span id as the SDK or an OTLP decoder gives it, hex digits, needs neither step (and
  // a span id of 16 decimal digits could pass for a card number).
  const hexId = transforms.length === 0 && hexIdSource(c.source);
  const max = c.maxBytes;
  const counters = ctx.counters;
  // Values often repeat (resource attributes, methods, user agents, event names): the last
  // string that came out unchanged costs one comparison, a recent one a set lookup.
  let lastClean: string | undefined;
  const memo = new CleanMemo();
  const sanitized = (str: string): string => {
    const clean = sanitizeString(str);
    if (clean !== str) counters.sanitized++;
    return clean;
  };
  // eslint-disable-next-line complexity -- Long by design: the per-value hot path of a string column, straight-line so a repeated or clean value returns after one or two tests.
  return (raw, s) => {
    if (raw === undefined || raw === null) {
      s.reason = 'missing';
      return null;
    }
    if (typeof raw === 'string' && (raw === lastClean || memo.has(raw))) {
      lastClean = raw;
      s.bytes += raw.length * 6 + 2;
      s.chars += raw.length;
      return raw;
    }
    let str: string;
    if (typeof raw === 'string') str = raw;
    else {
      const v = coerce(raw, s);
      if (v === null) return null;
      str = v as string;
    }
    // One pass tells most values apart as needing neither step (a column with transforms, which
    // may change a value, or without sanitising takes the long way).
    if (hexId && (str.length === 32 || str.length === 16) && HEX_DIGITS.test(str)) {
      // Nothing to redact or escape in hex digits.
    } else if (plain === undefined) {
      if (redactor !== undefined) str = redactor.redact(str, counts);
      if (transforms.length !== 0) for (const t of transforms) str = t(str);
      if (sanitize) str = sanitized(str);
    } else {
      const seen = plain.scan(str);
      if (seen !== SCAN_CLEAN) str = sanitized(plain.redactScanned(str, seen, counts));
    }
    if (str.length * 3 > max && utf8ByteLength(str) > max) {
      str = truncateUtf8(str, max);
      counters.truncated++;
    }
    s.bytes += str.length * 6 + 2;
    s.chars += str.length;
    if (str === raw) {
      lastClean = str;
      memo.add(str);
    }
    return str;
  };
}

/**
 * A `rowId` column: the record's `log.record.uid` passes every guard of a string column (it is
 * app data and could hold anything); the hash is not redacted (it cannot hold a secret, and a
 * detector could mistake its digits for a card number), but transforms and limits still apply.
 */
function rowIdConvert(c: ColumnConfig, ctx: CompileContext): ColumnConvert {
  const fromUid = stringConvert(c, ctx);
  const fromHash = stringConvert({ ...c, redact: false }, ctx);
  return (raw, s) => {
    const record = raw as LogRecordLike;
    const uid = recordUid(record);
    return uid !== undefined ? fromUid(uid, s) : fromHash(rowIdHash(record), s);
  };
}

function dynamicConvert(c: ColumnConfig, ctx: CompileContext): ColumnConvert {
  const isBag = c.source.kind === 'bag';
  const keep = isBag ? keyFilter(c.include, c.exclude, [ctx.securityAttribute]) : undefined;
  const walker = new DynamicWalker(
    { redactor: redactorFor(c.redact, ctx), counts: ctx.counters.redactions, sanitize: c.sanitize },
    keep,
  );
  const redactAll = c.transforms.some((t) => t.kind === 'redact');
  const max = c.maxBytes;
  const counters = ctx.counters;
  return (raw, s) => {
    if (raw === undefined || raw === null) {
      s.reason = 'missing';
      return null;
    }
    if (redactAll) {
      s.bytes += REDACTED.length + 2;
      return REDACTED;
    }
    const before = s.bytes;
    const charsBefore = s.chars;
    const sanitizedBefore = s.sanitized;
    const keysBefore = s.sensitiveKeys;
    const v =
      isBag && typeof raw === 'object'
        ? walker.map(raw as Record<string, unknown>, s, 0, true)
        : walker.value(raw, s, 0);
    counters.sanitized += s.sanitized - sanitizedBefore;
    counters.sensitiveKeys += s.sensitiveKeys - keysBefore;
    if (s.bytes - before > max) {
      const json = JSON.stringify(v);
      if (utf8ByteLength(json) > max) {
        counters.truncated++;
        const cut = truncateUtf8(json, max);
        s.bytes = before + cut.length * 6 + 2;
        s.chars = charsBefore + cut.length;
        return cut;
      }
    }
    return v;
  };
}

function valueConvert(coerce: Coercer, bytes: number): ColumnConvert {
  return (raw, s) => {
    if (raw === undefined || raw === null) {
      s.reason = 'missing';
      return null;
    }
    const v = coerce(raw, s);
    if (v !== null) s.bytes += bytes;
    return v;
  };
}

/** The converter of a column, by its type. */
function converterOf(c: ColumnConfig, ctx: CompileContext): ColumnConvert {
  switch (c.type) {
    case 'string':
      return c.source.kind === 'rowId' ? rowIdConvert(c, ctx) : stringConvert(c, ctx);
    case 'dynamic':
      return dynamicConvert(c, ctx);
    case 'datetime':
      return datetimeConvert(c);
    case 'guid':
      return valueConvert(simpleCoercer('guid'), 40);
    case 'int':
    case 'long':
    case 'real':
    case 'boolean':
      return valueConvert(simpleCoercer(c.type), 24);
  }
}

/** A datetime column: the record's own times formatted straight, other sources coerced. */
function datetimeConvert(c: ColumnConfig): ColumnConvert {
  const fmt = createHrTimeFormatter();
  if (
    c.source.kind === 'field' &&
    (c.source.field === 'timestamp' || c.source.field === 'observedTimestamp')
  ) {
    return (raw, s) => {
      const v = fmt(raw as HrTimeLike);
      if (v === null) s.reason = 'out-of-range';
      else s.bytes += 30;
      return v;
    };
  }
  return valueConvert(datetimeCoercer(hasTimeSource(c.source) ? fmt : undefined), 30);
}

export function planColumn(c: ColumnConfig, ctx: CompileContext, defaultValue: unknown): ColumnPlan {
  const convert = converterOf(c, ctx);
  const hasDefault = c.default !== undefined;
  return {
    name: c.name,
    type: c.type,
    onMismatch: c.onMismatch,
    maxBytes: c.maxBytes,
    keyBytes: c.name.length + 4,
    required: c.required,
    hasDefault,
    defaultValue,
    defaultBytes: hasDefault ? JSON.stringify(defaultValue).length * 3 : 0,
    get: getter(c.source, ctx.eventName),
    // A derived event name is read by its getter, not by `record.eventName`.
    getExpr: ctx.eventName !== undefined && readsEventName(c.source) ? undefined : getterExpression(c.source),
    convert,
    nulls: newNulls(),
  };
}

/** The walker of values kept in an overflow column: that column's redaction and sanitising. */
export function overflowWalker(c: ColumnConfig, ctx: CompileContext): DynamicWalker {
  return new DynamicWalker({
    redactor: redactorFor(c.redact, ctx),
    counts: ctx.counters.redactions,
    sanitize: c.sanitize,
  });
}

export function newSafetyCounters(redactions: RedactionCounts): SafetyCounters {
  return { truncated: 0, sanitized: 0, sensitiveKeys: 0, impreciseNumbers: 0, redactions };
}
