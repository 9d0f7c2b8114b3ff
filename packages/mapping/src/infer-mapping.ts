// Infers a starter mapping from sample events (`otel-sentinel init`): which keys are record fields,
// which are attributes, and the valid, typed column each becomes. Pure: the CLI does the I/O.

import { hrTimeToIso, parseDateTime } from './datetime.js';
import { OtlpJsonError, readOtlpJsonRequest } from './otlp-json.js';
import { isSensitiveKey } from './redact.js';
import type { LogRecordLike } from './log-record.js';
import type { ColumnType } from './types.js';
import { DEFAULT_SECURITY_ATTRIBUTE } from './types.js';
import { RESERVED_COLUMN_NAMES } from './validate-semantics.js';

/** Options of {@link inferMapping}; every field is optional. */
export interface InferOptions {
  /**
   * Destination custom table: a letter, then letters, digits or `_`, ending with `_CL`
   * (4–63 characters). Default `SecurityEvents_CL`. Example: `AppSecurityEvents_CL`.
   */
  table?: string | undefined;
  /**
   * DCR input stream: `Custom-` then letters, digits, `_`, `.` or `-`. Default `Custom-` plus the
   * table name without `_CL`. Example: `Custom-AppSecurityEvents`.
   */
  stream?: string | undefined;
  /**
   * The record attribute that flags security events; a sample key by this name is not mapped.
   * Default `security.event`. Example: `app.security`.
   */
  securityAttribute?: string | undefined;
}

/** One inferred column, in the order the mapping lists them. */
export interface InferredColumn {
  name: string;
  /** The source as the file writes it: keys are escaped, and `${` is written `$${`. */
  from: string | string[] | { const: unknown };
  type: ColumnType;
  required?: boolean;
  transform?: string;
  exclude?: string[];
  /** Why the column looks the way it does; rendered as a YAML comment. */
  note?: string;
}

export interface InferredMapping {
  /** The mapping as plain data, valid per docs/format.md. */
  document: Record<string, unknown>;
  columns: InferredColumn[];
  /** Lines for the CLI to print on stderr: what to change in the app and what to review. */
  notes: string[];
}

/** The sample input cannot be read as events, or an option is invalid. */
export class InferError extends Error {
  readonly code = 'E_INFER_INPUT';
  /** 1-based line of the sample text, when the problem is on one line. */
  declare readonly line?: number;

  constructor(message: string, line?: number, options?: ErrorOptions) {
    super(line === undefined ? message : `line ${line}: ${message}`, options);
    this.name = 'InferError';
    if (line !== undefined) this.line = line;
  }
}

// ---- reading sample text ------------------------------------------------------------------------

type JsonObject = Record<string, unknown>;

/**
 * Keys of a parsed object whose number was written with a fraction or exponent (`2.0`), or came
 * from an OTLP `doubleValue`: JSON.parse turns `2.0` into the integer 2, and the column should
 * still be real. Filled by `parseSampleText`, read by `inferMapping`; weak, so it holds nothing.
 */
const realKeys = new WeakMap<object, Set<string>>();

/** What an OTLP-decoded sample knows beyond its keys: which are record fields, and the resource. */
interface OtlpSample {
  readonly recordKeys: ReadonlySet<string>;
  readonly resource: Readonly<Record<string, unknown>>;
}
const otlpSamples = new WeakMap<object, OtlpSample>();

/**
 * Sample events from the text of a sample file: one JSON object, a JSON array of objects, JSON
 * lines (one object per line), or OTLP/JSON logs requests (each log record becomes one sample of
 * its attributes plus `timestamp`, `eventName`, `severityText` and `body`). Throws `InferError`
 * naming the line for text that is not JSON, and for values that are not objects.
 */
export function parseSampleText(text: string): unknown[] {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (source.trim() === '') {
    throw new InferError(
      'the sample is empty; give one JSON object, a JSON array of objects, JSON lines, or an OTLP/JSON logs request',
    );
  }
  let whole: unknown;
  try {
    whole = parseJson(source);
  } catch (error) {
    const lines = source.split('\n');
    const first = lines.findIndex((l) => l.trim() !== '');
    const several = lines.filter((l) => l.trim() !== '').length > 1;
    if (several && parsesAlone(lines[first] ?? '')) return parseJsonLines(lines);
    throw new InferError(`the sample is not valid JSON: ${errorText(error)}`, lineOf(error, source), {
      cause: error,
    });
  }
  const samples = expandSample(whole, 'the sample', undefined);
  if (samples.length === 0) throw new InferError('the sample is an empty array; give at least one event');
  return samples;
}

function parseJsonLines(lines: readonly string[]): unknown[] {
  const samples: unknown[] = [];
  lines.forEach((text, i) => {
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = parseJson(text);
    } catch (error) {
      throw new InferError(
        `not valid JSON (${errorText(error)}); JSON lines hold one event per line`,
        i + 1,
        {
          cause: error,
        },
      );
    }
    samples.push(...expandSample(value, 'the value', i + 1));
  });
  return samples;
}

function parsesAlone(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** JSON.parse that records which numbers were written with a fraction or exponent. */
function parseJson(text: string): unknown {
  return JSON.parse(
    text,
    function (this: unknown, key: string, value: unknown, context?: { source?: string }): unknown {
      if (typeof value === 'number' && context?.source !== undefined && /[.eE]/.test(context.source)) {
        if (isRecord(this)) markReal(this, key);
      }
      return value;
    },
  );
}

function markReal(holder: object, key: string): void {
  const keys = realKeys.get(holder);
  if (keys === undefined) realKeys.set(holder, new Set([key]));
  else keys.add(key);
}

function expandSample(value: unknown, what: string, line: number | undefined): unknown[] {
  if (Array.isArray(value)) {
    return value.flatMap((item: unknown, i) => expandOne(item, `item ${i + 1} of the array`, line));
  }
  return expandOne(value, what, line);
}

function expandOne(value: unknown, what: string, line: number | undefined): unknown[] {
  if (!isRecord(value)) {
    throw new InferError(`${what} is ${describeKind(value)}, not a JSON object (one event)`, line);
  }
  if (!('resourceLogs' in value)) return [value];
  const records = readOtlp(value, what, line);
  if (records.length === 0)
    throw new InferError(`${what} is an OTLP/JSON logs request with no log records`, line);
  const doubles = otlpDoubleKeys(value);
  return records.map((record, i) => {
    const entries: [string, unknown][] = [];
    const recordKeys = new Set<string>();
    const add = (key: string, v: unknown): void => {
      if (v === undefined) return;
      entries.push([key, v]);
      recordKeys.add(key);
    };
    add('timestamp', record.hrTime[0] === 0 && record.hrTime[1] === 0 ? undefined : safeIso(record.hrTime));
    add('eventName', record.eventName);
    add('severityText', record.severityText);
    add('body', record.body);
    for (const [k, v] of Object.entries(record.attributes)) if (!recordKeys.has(k)) entries.push([k, v]);
    const sample: JsonObject = Object.fromEntries(entries);
    const real = doubles[i];
    if (real !== undefined && real.size > 0) realKeys.set(sample, real);
    otlpSamples.set(sample, { recordKeys, resource: record.resource?.attributes ?? {} });
    return sample;
  });
}

function readOtlp(request: JsonObject, what: string, line: number | undefined): LogRecordLike[] {
  try {
    return readOtlpJsonRequest(request);
  } catch (error) {
    if (error instanceof OtlpJsonError) {
      throw new InferError(`${what} has resourceLogs but is not OTLP/JSON: ${error.message}`, line, {
        cause: error,
      });
    }
    throw error;
  }
}

function safeIso(t: readonly [number, number]): string | undefined {
  try {
    return hrTimeToIso(t);
  } catch {
    return undefined;
  }
}

/** Per log record, in reading order, the attribute keys whose OTLP AnyValue is a `doubleValue`. */
function otlpDoubleKeys(request: JsonObject): Set<string>[] {
  const out: Set<string>[] = [];
  for (const rl of listOf(request.resourceLogs)) {
    for (const sl of listOf(isRecord(rl) ? rl.scopeLogs : undefined)) {
      for (const lr of listOf(isRecord(sl) ? sl.logRecords : undefined)) {
        const keys = new Set<string>();
        for (const kv of listOf(isRecord(lr) ? lr.attributes : undefined)) {
          if (!isRecord(kv) || typeof kv.key !== 'string' || !isRecord(kv.value)) continue;
          const d = kv.value.doubleValue;
          if (d !== undefined && d !== null) keys.add(kv.key);
        }
        out.push(keys);
      }
    }
  }
  return out;
}

function listOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The 1-based line of a JSON.parse error in `text`. */
function lineOf(error: unknown, text: string): number {
  return text.slice(0, errorOffset(error, text)).split('\n').length;
}

/**
 * Where JSON.parse failed. V8 gives the position for most errors but not for "Unexpected token";
 * then the longest prefix that is still valid or merely incomplete ends there.
 */
function errorOffset(error: unknown, text: string): number {
  const at = positionIn(errorText(error));
  if (at !== undefined) return at;
  let fine = 0;
  let bad = text.length;
  while (bad - fine > 1) {
    const mid = (fine + bad) >>> 1;
    if (isValidPrefix(text.slice(0, mid))) fine = mid;
    else bad = mid;
  }
  return fine;
}

function isValidPrefix(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return true;
  } catch (error) {
    const message = errorText(error);
    const at = positionIn(message);
    return message.startsWith('Unexpected end') || (at !== undefined && at >= prefix.length);
  }
}

function positionIn(message: string): number | undefined {
  const m = /at position (\d+)/.exec(message);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

/** The error message on one line, without the copy of the input V8 appends to some of them. */
function errorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const head = message.split(/, (?:\.\.\.)?"/)[0] ?? message;
  return head.replace(/[\u0000-\u001f]/g, (c) => JSON.stringify(c).slice(1, -1));
}

// ---- values -------------------------------------------------------------------------------------

function isRecord(value: unknown): value is JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describeKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object that is not plain JSON' : `a ${typeof value}`;
}

/** A key or value for a note: quoted, control characters escaped, long text cut. */
function show(text: string, max = 60): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(cut).replace(
    /[\u007f-\u009f\u2028\u2029\ufeff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

const UUID =
  /^(?:\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const INT64_LIMIT = 2 ** 63;

/** Number keys that count, measure or identify: long even when the sample value is small. */
const LONG_KEY = /(?:id|count|bytes|size|ms|_ns|_at|time|timestamp|epoch)$|duration/;
/** Number keys that are fractional by nature, even when the sample value was `2.0` or `2`. */
const REAL_KEY = /(?:^|_)(?:ratio|score|latency)(?:_|$)|_seconds$/;

/** The type one sample value suggests; undefined when it tells nothing (null, ""). */
function typeOfValue(normalizedKey: string, value: unknown, real: boolean): ColumnType | undefined {
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'bigint':
      return value >= -(2n ** 63n) && value < 2n ** 63n ? 'long' : 'real';
    case 'number':
      if (real || REAL_KEY.test(normalizedKey) || !Number.isInteger(value)) return 'real';
      if (Math.abs(value) >= INT64_LIMIT) return 'real';
      if (LONG_KEY.test(normalizedKey) || value < INT32_MIN || value > INT32_MAX) return 'long';
      return 'int';
    case 'string':
      if (value === '') return undefined;
      if (parseDateTime(value) !== null) return 'datetime';
      return UUID.test(value) ? 'guid' : 'string';
    case 'object':
      if (value === null) return undefined;
      return value instanceof Uint8Array ? 'string' : 'dynamic';
    default:
      return undefined;
  }
}

const NUMERIC_RANK: Partial<Record<ColumnType, number>> = { int: 0, long: 1, real: 2 };

/** The narrowest type that holds both: int → long → real; dynamic absorbs all; else string. */
function widen(a: ColumnType, b: ColumnType): ColumnType {
  if (a === b) return a;
  if (a === 'dynamic' || b === 'dynamic') return 'dynamic';
  const ra = NUMERIC_RANK[a];
  const rb = NUMERIC_RANK[b];
  if (ra !== undefined && rb !== undefined) return ra > rb ? a : b;
  return 'string';
}

/** An epoch number plausible as an event time (seconds to nanoseconds, years 2001–2286). */
function isEpoch(value: unknown): boolean {
  if (typeof value !== 'number' || !Number.isInteger(value)) return false;
  const a = Math.abs(value);
  return (
    (a >= 1e9 && a < 1e10) || (a >= 1e12 && a < 1e13) || (a >= 1e15 && a < 1e16) || (a >= 1e18 && a < 1e19)
  );
}

// ---- names --------------------------------------------------------------------------------------

// prettier-ignore
const TRANSLITERATIONS: Readonly<Record<string, string>> = {
  ß: 'ss', æ: 'ae', Æ: 'Ae', ø: 'o', Ø: 'O', œ: 'oe', Œ: 'Oe', ł: 'l', Ł: 'L',
  đ: 'd', Đ: 'D', ð: 'd', Ð: 'D', þ: 'th', Þ: 'Th', ı: 'i',
};
const WORD = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g;

/**
 * The words of a key: accents removed, other non-ASCII letters dropped, split at `_ - . space`
 * (any non-alphanumeric) and at camelCase humps; an all-capitals key is read as lower case.
 */
function wordsOf(key: string): string[] {
  const ascii = key
    .replace(/[ßæÆøØœŒłŁđĐðÐþÞı]/g, (c) => TRANSLITERATIONS[c] ?? '')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]/g, ' ');
  const text = /[a-z]/.test(ascii) ? ascii : ascii.toLowerCase();
  return text.match(WORD) ?? [];
}

/** `snake_case` form of a key for pattern checks: `durationSeconds` → `duration_seconds`. */
function normalizeKey(key: string): string {
  return wordsOf(key)
    .map((w) => w.toLowerCase())
    .join('_');
}

const MAX_NAME = 45;

/** PascalCase column name from an attribute key, valid but not yet checked against reserved names. */
function pascalName(key: string): string {
  const words = wordsOf(key).map((w) => w.charAt(0).toUpperCase() + w.slice(1));
  if (words.length === 0 || /^[0-9]/.test(words[0] ?? '') || words.join('').length < 2)
    words.unshift('Field');
  const name = words.join('');
  if (name.length <= MAX_NAME) return name;
  // Keep the first word and as many trailing (most specific) words as fit, then a hash of the key.
  const head = words[0] ?? '';
  let tail = '';
  for (let i = words.length - 1; i > 0; i--) {
    const w = words[i] ?? '';
    if (head.length + w.length + tail.length > 36) break;
    tail = w + tail;
  }
  return `${(head + tail).slice(0, 36)}_${fnv1a(key)}`;
}

function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

const RESERVED = new Set<string>(RESERVED_COLUMN_NAMES.map((n) => n.toLowerCase()));

/** Gives each planned column its final name: reserved names prefixed, collisions numbered. */
function assignNames(columns: readonly Planned[]): void {
  const planned = new Set(columns.map((c) => c.base.toLowerCase()));
  const taken = new Set<string>();
  for (const c of columns) {
    let name = c.base;
    const lower = name.toLowerCase();
    if (RESERVED.has(lower)) {
      if (lower === 'id') name = 'RecordId';
      else if (lower === 'type')
        name = planned.has('eventtype') || taken.has('eventtype') ? 'RecordType' : 'EventType';
      else name = `Record${name}`;
      c.notes.push(`${c.base} is reserved by Azure Monitor`);
    }
    if (taken.has(name.toLowerCase())) {
      let n = 2;
      let candidate = name;
      while (taken.has(candidate.toLowerCase())) {
        const suffix = String(n++);
        candidate = name.slice(0, MAX_NAME - suffix.length) + suffix;
      }
      name = candidate;
    }
    taken.add(name.toLowerCase());
    c.name = name;
  }
}

// ---- key meanings -------------------------------------------------------------------------------

type Role = 'time' | 'event' | 'severity' | 'body';

function keysFor(role: Role, keys: string): [string, Role][] {
  return keys.split(' ').map((k) => [k, role]);
}

const ROLE_KEYS = new Map<string, Role>([
  ...keysFor('time', 'timestamp time datetime @timestamp ts eventtime event_time timegenerated'),
  ...keysFor('event', 'event eventname event_name event.name'),
  ...keysFor('severity', 'level severity severitytext'),
  ...keysFor('body', 'message msg description body'),
]);
const OTLP_RECORD_ROLES = new Map<string, Role>([
  ...keysFor('time', 'timestamp'),
  ...keysFor('event', 'eventName'),
  ...keysFor('severity', 'severityText'),
  ...keysFor('body', 'body'),
]);
const ROLE_FIELD: Readonly<Record<Role, string>> = {
  time: 'timestamp',
  event: 'eventName',
  severity: 'severityText',
  body: 'body',
};
const ROLE_WORDS: Readonly<Record<Role, string>> = {
  time: 'timestamp',
  event: 'event name',
  severity: 'severity text',
  body: 'body',
};

interface Rename {
  readonly bag: 'attributes' | 'resource';
  readonly key: string;
  readonly name: string;
  /** Only when the sample as a whole is in the OWASP format: the key alone means too many things. */
  readonly owaspOnly?: true;
  readonly type?: ColumnType;
}

/** OWASP Logging Vocabulary format fields and the OpenTelemetry attribute each one is. */
const RENAMES: ReadonlyMap<string, Rename> = new Map<string, Rename>([
  ['source_ip', { bag: 'attributes', key: 'client.address', name: 'SourceIp' }],
  ['useragent', { bag: 'attributes', key: 'user_agent.original', name: 'UserAgent' }],
  ['request_uri', { bag: 'attributes', key: 'url.path', name: 'RequestUri' }],
  ['request_method', { bag: 'attributes', key: 'http.request.method', name: 'RequestMethod' }],
  ['host_ip', { bag: 'attributes', key: 'network.local.address', name: 'HostIp' }],
  ['hostname', { bag: 'attributes', key: 'server.address', name: 'Hostname', owaspOnly: true }],
  ['port', { bag: 'attributes', key: 'server.port', name: 'Port', owaspOnly: true, type: 'int' }],
  ['protocol', { bag: 'attributes', key: 'url.scheme', name: 'Protocol', owaspOnly: true }],
  ['appid', { bag: 'resource', key: 'service.name', name: 'AppId', owaspOnly: true }],
]);
const OWASP_FIELDS = new Set([
  ...'datetime appid event level description useragent source_ip host_ip'.split(' '),
  ...'hostname protocol port request_uri request_method region geo'.split(' '),
]);
/** Event categories of the OWASP Logging Vocabulary, whose first parameter is the user id. */
const OWASP_EVENT =
  /^(?:authn|authz|crypt|excess|upload|input|malicious|mcp|privilege|sensitive|sequence|session|sys|user)_/i;
/** Resource attributes of an OTLP sample worth a column of their own. */
const RESOURCE_COLUMNS =
  'service.name service.version service.namespace deployment.environment.name host.name'.split(' ');

const SECRET_LAST_WORDS = new Set([
  ...'password passwd passphrase secret token authorization apikey'.split(' '),
  ...'cookie credential credentials jwt bearer privatekey'.split(' '),
]);
const SECRET_PAIRS = new Set(['api_key', 'private_key', 'secret_key', 'access_key', 'signing_key']);

/** Keys whose values are secrets: `password`, `api_key`, `headers.authorization`, `access_token`. */
function isSecretKey(key: string): boolean {
  if (isSensitiveKey(key)) return true;
  const words = normalizeKey(key).split('_');
  const last = words.at(-1) ?? '';
  return SECRET_LAST_WORDS.has(last) || SECRET_PAIRS.has(words.slice(-2).join('_'));
}

/** `session.id`, `sessionId`, `session_id`, `JSESSIONID`, `PHPSESSID`, `session.previous_id`. */
function isSessionKey(key: string): boolean {
  const words = normalizeKey(key).split('_');
  if (/sess(?:ion)?id$/.test(words.join(''))) return words.at(-1) !== 'valid';
  return words.includes('session') && words.at(-1) === 'id';
}

/** Object keys that look like data rather than field names: ids, numbers, addresses, text. */
function looksLikeData(key: string): boolean {
  return (
    key === '' ||
    key.length > 64 ||
    /^[0-9]/.test(key) ||
    /[\s/:@\\]/.test(key) ||
    UUID.test(key) ||
    /^(?=.*[0-9])[0-9a-f]{8,}$/i.test(key)
  );
}

const MAX_FLAT_DEPTH = 3;
const MAX_FLAT_KEYS = 20;

/** Why a nested object must stay one dynamic column, or undefined when it can be flattened. */
function whyNotFlat(value: JsonObject, depth: number): string | undefined {
  const entries = Object.entries(value);
  if (entries.length === 0) return 'it is empty';
  if (entries.length > MAX_FLAT_KEYS) return `it has more than ${MAX_FLAT_KEYS} keys`;
  for (const [k, v] of entries) {
    if (looksLikeData(k)) return `its keys look like data (${show(k, 30)})`;
    if (isRecord(v)) {
      if (depth >= MAX_FLAT_DEPTH) return `it nests deeper than ${MAX_FLAT_DEPTH} levels`;
      const why = whyNotFlat(v, depth + 1);
      if (why !== undefined) return why;
    }
  }
  return undefined;
}

function findSecretKey(value: unknown, depth = 0): string | undefined {
  if (depth > 8 || typeof value !== 'object' || value === null) return undefined;
  const entries = Array.isArray(value) ? value.map((v: unknown) => ['', v] as const) : Object.entries(value);
  for (const [k, v] of entries) {
    if (k !== '' && typeof v !== 'boolean' && typeof v !== 'number' && isSecretKey(k)) return k;
    const inner = findSecretKey(v, depth + 1);
    if (inner !== undefined) return inner;
  }
  return undefined;
}

// ---- collecting fields --------------------------------------------------------------------------

/** One attribute (or record field) as seen across the samples. */
interface Field {
  readonly bag: 'attributes' | 'resource';
  readonly key: string;
  readonly values: unknown[];
  /** Some value was written as a fraction (`2.0`) or was an OTLP double. */
  real: boolean;
  /** An OTLP log-record field: `timestamp`, `eventName`, `severityText` or `body`. */
  otlpRecord: boolean;
  /** An attribute of an OTLP record: its name is its meaning, so no guessing from it. */
  otlpAttribute: boolean;
}

interface Collected {
  readonly fields: Field[];
  readonly notes: string[];
}

function collectFields(samples: readonly JsonObject[]): Collected {
  const notes: string[] = [];
  const keep = decideObjects(samples, notes);
  const fields = new Map<string, Field>();
  const field = (bag: Field['bag'], key: string): Field => {
    const id = `${bag}\u0000${key}`;
    let f = fields.get(id);
    if (f === undefined) {
      f = { bag, key, values: [], real: false, otlpRecord: false, otlpAttribute: false };
      fields.set(id, f);
    }
    return f;
  };
  const flattened = new Map<string, string[]>();
  for (const sample of samples) {
    const otlp = otlpSamples.get(sample);
    const reals = realKeys.get(sample);
    for (const [key, value] of Object.entries(sample)) {
      if (value === undefined) continue;
      if (otlp === undefined && isRecord(value) && keep.has(key)) {
        flatten(key, value, (path, v, real) => {
          const f = field('attributes', path);
          f.values.push(v);
          f.real ||= real;
          const list = flattened.get(key) ?? [];
          if (!list.includes(path)) list.push(path);
          flattened.set(key, list);
        });
        continue;
      }
      const f = field('attributes', key);
      f.values.push(value);
      f.real ||= reals?.has(key) === true;
      if (otlp?.recordKeys.has(key) === true) f.otlpRecord = true;
      else if (otlp !== undefined) f.otlpAttribute = true;
    }
    if (otlp !== undefined) {
      for (const key of RESOURCE_COLUMNS) {
        const v = otlp.resource[key];
        if (v !== undefined) field('resource', key).values.push(v);
      }
    }
  }
  for (const [key, paths] of flattened) {
    const shown = paths.slice(0, 3).map((p) => show(p));
    if (paths.length > 3) shown.push('…');
    notes.push(
      `Nested object ${show(key)} was flattened into dotted attributes (${shown.join(', ')}); if your app logs it as one map-valued attribute, use one dynamic column from attributes[${show(key)}] instead.`,
    );
  }
  return { fields: [...fields.values()], notes };
}

/** Top-level keys whose object values are flattened into dotted attribute keys. */
function decideObjects(samples: readonly JsonObject[], notes: string[]): Set<string> {
  const flat = new Set<string>();
  const whole = new Map<string, string>();
  const scalar = new Set<string>();
  for (const sample of samples) {
    if (otlpSamples.has(sample)) continue;
    for (const [key, value] of Object.entries(sample)) {
      if (isRecord(value)) {
        const why = whyNotFlat(value, 1);
        if (why !== undefined && !whole.has(key)) whole.set(key, why);
        flat.add(key);
      } else if (value !== null && value !== undefined) scalar.add(key);
    }
  }
  for (const key of flat) {
    const why =
      whole.get(key) ?? (scalar.has(key) ? 'it is an object in some samples and not in others' : undefined);
    if (why === undefined) continue;
    flat.delete(key);
    notes.push(`Nested object ${show(key)} is kept whole as one dynamic column because ${why}.`);
  }
  return flat;
}

function flatten(
  prefix: string,
  value: JsonObject,
  emit: (path: string, v: unknown, real: boolean) => void,
): void {
  const reals = realKeys.get(value);
  for (const [k, v] of Object.entries(value)) {
    const path = `${prefix}.${k}`;
    if (isRecord(v)) flatten(path, v, emit);
    else if (v !== undefined) emit(path, v, reals?.has(k) === true);
  }
}

// ---- planning columns ---------------------------------------------------------------------------

interface Planned {
  base: string;
  name: string;
  from: string;
  type: ColumnType;
  required?: true;
  transform?: 'hmac-sha256';
  exclude?: string[];
  notes: string[];
  /** The attribute key the column reads, for the exclude list of AdditionalFields. */
  attribute?: string;
  /** May be folded into AdditionalFields when there are too many columns. */
  foldable: boolean;
}

/** A keyed source as the file writes it; see `literal`. */
function sourceOf(bag: 'attributes' | 'resource', key: string): string {
  return literal(`${bag}['${key.replace(/[\\']/g, '\\$&')}']`);
}

/** Text the loader must not interpolate: it reads `${` as a variable and `$${` as a literal `${`. */
function literal(text: string): string {
  return text.replace(/\$\{/g, () => '$${');
}

interface Settings {
  readonly table: string;
  readonly stream: string;
  readonly securityAttribute: string;
}

function settingsOf(options: InferOptions): Settings {
  const table = options.table ?? 'SecurityEvents_CL';
  if (!/^[A-Za-z][A-Za-z0-9_]*_CL$/.test(table) || table.length < 4 || table.length > 63) {
    throw new InferError(
      `table ${show(table)} is not a custom table name: use 4–63 letters, digits or _, starting with a letter and ending with _CL (e.g. AppSecurityEvents_CL)`,
    );
  }
  const stream = options.stream ?? `Custom-${table.slice(0, -3)}`;
  if (!/^Custom-[A-Za-z0-9_.-]+$/.test(stream)) {
    throw new InferError(
      `stream ${show(stream)} must be "Custom-" followed by letters, digits, _ . or - (e.g. Custom-AppSecurityEvents)`,
    );
  }
  const securityAttribute = options.securityAttribute ?? DEFAULT_SECURITY_ATTRIBUTE;
  if (securityAttribute === '')
    throw new InferError('securityAttribute is empty; name the attribute that flags security events');
  return { table, stream, securityAttribute };
}

/** Which role a field plays, if its key names one and its values fit it. */
function roleOf(f: Field): Role | undefined {
  if (f.bag !== 'attributes' || f.otlpAttribute) return undefined;
  if (f.otlpRecord) return OTLP_RECORD_ROLES.get(f.key);
  const role = ROLE_KEYS.get(f.key.toLowerCase());
  if (role === undefined) return undefined;
  const present = f.values.filter((v) => v !== null && v !== '');
  if (present.length === 0) return undefined;
  switch (role) {
    case 'time':
      return present.every((v) => typeof v === 'string' && typeOfValue('', v, false) === 'datetime') ||
        present.every(isEpoch)
        ? role
        : undefined;
    case 'event':
    case 'severity':
      return present.every((v) => typeof v === 'string') ? role : undefined;
    case 'body':
      return present.every((v) => typeof v === 'string') || (f.key === 'body' && present.every(isRecord))
        ? role
        : undefined;
  }
}

function inferType(f: Field, normalizedKey: string, notes: string[]): ColumnType {
  const seen: ColumnType[] = [];
  let type: ColumnType | undefined;
  for (const v of f.values) {
    const t = typeOfValue(normalizedKey, v, f.real);
    if (t === undefined) continue;
    if (!seen.includes(t)) seen.push(t);
    type = type === undefined ? t : widen(type, t);
  }
  if (type === undefined) {
    notes.push(`sample value was ${f.values.some((v) => v === '') ? 'empty' : 'null'}; type guessed`);
    return 'string';
  }
  if (seen.length > 1 && (type === 'string' || type === 'dynamic'))
    notes.push(`samples differ (${seen.join(', ')})`);
  else if (
    type === 'long' &&
    f.values.some((v) => typeof v === 'number' && v >= INT32_MIN && v <= INT32_MAX)
  ) {
    notes.push('long: the name suggests an id, count, size, duration or time');
  } else if (type === 'real' && !f.real && f.values.every((v) => Number.isInteger(v))) {
    notes.push('real: the name suggests a fractional value');
  }
  return type;
}

interface Plan {
  readonly columns: Planned[];
  readonly notes: string[];
  /** Attribute keys left out as secrets: AdditionalFields must not carry them either. */
  readonly secrets: string[];
}

/** What planning one field needs to know and may add to. */
interface PlanContext {
  readonly settings: Settings;
  /** The sample as a whole is in the OWASP Logging Vocabulary format. */
  readonly owasp: boolean;
  /** `bag\0key` of every source read so far or present in the sample, so renames never collide. */
  readonly present: Set<string>;
  readonly notes: string[];
  readonly unmapped: string[];
  readonly secrets: string[];
}

function planColumns(samples: readonly JsonObject[], settings: Settings): Plan {
  const { fields, notes } = collectFields(samples);
  const topKeys = new Set(samples.flatMap((s) => Object.keys(s).map((k) => k.toLowerCase())));
  const owasp = [...topKeys].filter((k) => OWASP_FIELDS.has(k)).length >= 4;
  if (owasp) {
    notes.push(
      'The sample uses the OWASP Logging Vocabulary format: its fields map to OpenTelemetry record fields and semantic-convention attributes below.',
    );
  }
  const ctx: PlanContext = {
    settings,
    owasp,
    present: new Set(fields.map((f) => `${f.bag}\u0000${f.key}`)),
    notes,
    unmapped: [],
    secrets: [],
  };
  const claimed = new Map<Role, Planned>();
  const columns: Planned[] = [];
  let eventName: string | undefined;
  for (const f of fields) {
    const role = roleOf(f);
    if (role !== undefined && !claimed.has(role)) {
      const planned = planRole(role, f, notes);
      claimed.set(role, planned);
      if (role === 'event') eventName = owaspEventName(f, planned, notes);
      if (role !== 'time') columns.push(planned);
      continue;
    }
    const planned = planField(f, ctx);
    if (planned !== undefined) columns.push(planned);
  }
  const time = claimed.get('time') ?? {
    base: 'TimeGenerated',
    name: '',
    from: 'timestamp',
    type: 'datetime',
    notes: ['no time key in the sample: the record timestamp the OTel SDK sets'],
    foldable: false,
  };
  let event = claimed.get('event');
  if (event === undefined) {
    event = {
      base: 'EventName',
      name: '',
      from: 'eventName',
      type: 'string',
      notes: ['no event key in the sample; set the record event name'],
      foldable: false,
    };
    notes.push(
      'The sample has no event name: give each security record an OTel event name (e.g. authn_login_fail); streams can match on it.',
    );
  }
  const rest = columns.filter((c) => c !== event);
  const user = eventName === undefined ? undefined : userColumn(eventName, fields, rest);
  return {
    columns: [time, event, ...(user === undefined ? [] : [user]), ...rest],
    notes: [...notes, ...ctx.unmapped],
    secrets: ctx.secrets,
  };
}

/** The column of a field that plays no record-field role, or undefined when it is left out. */
function planField(f: Field, ctx: PlanContext): Planned | undefined {
  const key = f.key;
  if (f.bag === 'resource') {
    const type = inferType(f, normalizeKey(key), []);
    return {
      base: pascalName(key),
      name: '',
      from: sourceOf('resource', key),
      type,
      notes: ['resource attribute'],
      foldable: false,
    };
  }
  if (key === '') {
    ctx.unmapped.push('Not mapped: an empty key, which cannot be an attribute key.');
    return undefined;
  }
  if (key === ctx.settings.securityAttribute) {
    ctx.unmapped.push(
      `Not mapped: ${show(key)} is the security flag (securityAttribute); it selects records rather than filling a column.`,
    );
    return undefined;
  }
  const values = f.values.filter((v) => v !== null);
  if (isSecretKey(key) && !values.every((v) => typeof v === 'boolean' || typeof v === 'number')) {
    ctx.secrets.push(key);
    ctx.unmapped.push(
      `Not mapped: ${show(key)} looks like a secret (password, token, key or credential). OWASP: never log it; remove it from the event rather than hashing it.`,
    );
    return undefined;
  }
  const scalar = values.every((v) => typeof v !== 'object');
  if (scalar && isSessionKey(key)) return planSession(f, ctx);
  const rename = RENAMES.get(key.toLowerCase());
  if (
    rename !== undefined &&
    (ctx.owasp || rename.owaspOnly !== true) &&
    scalar &&
    !ctx.present.has(`${rename.bag}\u0000${rename.key}`)
  ) {
    return planRename(f, rename, ctx);
  }
  const notes: string[] = [];
  const type = inferType(f, normalizeKey(key), notes);
  const secret = type === 'dynamic' ? findSecretKey(values) : undefined;
  if (secret !== undefined) {
    notes.push(`holds ${show(secret, 30)}, which looks like a secret`);
    ctx.notes.push(
      `${show(key)} holds a key ${show(secret, 30)} that looks like a secret: redaction masks known secret patterns, but better not to log it.`,
    );
  }
  return {
    base: pascalName(key),
    name: '',
    from: sourceOf('attributes', key),
    type,
    notes,
    attribute: key,
    foldable: true,
  };
}

/** Session ids are kept only as an HMAC; `sessionid` and `session_id` become `session.id`. */
function planSession(f: Field, ctx: PlanContext): Planned {
  const rename =
    f.key.toLowerCase().replace(/[^a-z]/g, '') === 'sessionid' &&
    !ctx.present.has('attributes\u0000session.id');
  const attribute = rename ? 'session.id' : f.key;
  ctx.present.add(`attributes\u0000${attribute}`);
  ctx.notes.push(
    `${show(f.key)} is a session id: the column keeps only its HMAC-SHA-256 (set OTEL_SENTINEL_HASH_KEY to 32+ random bytes)${rename ? '; log it as attribute session.id' : ''}.`,
  );
  return {
    base: rename ? 'SessionIdHash' : `${pascalName(f.key).slice(0, MAX_NAME - 4)}Hash`,
    name: '',
    from: sourceOf('attributes', attribute),
    type: 'string',
    transform: 'hmac-sha256',
    notes: [
      `session id, hashed (OWASP: never log it raw)${rename ? `; set attribute session.id, not ${show(f.key)}` : ''}`,
    ],
    attribute,
    foldable: false,
  };
}

/** An OWASP format field read from the OpenTelemetry attribute it stands for. */
function planRename(f: Field, rename: Rename, ctx: PlanContext): Planned {
  ctx.present.add(`${rename.bag}\u0000${rename.key}`);
  const notes: string[] = [];
  let type = inferType(f, normalizeKey(f.key), notes);
  const integral = f.values.every(
    (v) => v === null || Number.isInteger(v) || (typeof v === 'string' && /^\d{1,9}$/.test(v)),
  );
  if (rename.type === 'int' && integral) {
    // The semantic convention says int; the OWASP sheet writes the port as a string.
    type = 'int';
    notes.length = 0;
  }
  const where = rename.bag === 'resource' ? `resource attribute ${rename.key}` : `attribute ${rename.key}`;
  notes.unshift(`OTel ${where} (sample key ${show(f.key)})`);
  ctx.notes.push(`Set ${where} instead of ${show(f.key)} (column ${rename.name}).`);
  return {
    base: rename.name,
    name: '',
    from: sourceOf(rename.bag, rename.key),
    type,
    notes,
    ...(rename.bag === 'attributes' ? { attribute: rename.key } : {}),
    foldable: rename.bag === 'attributes',
  };
}

function planRole(role: Role, f: Field, notes: string[]): Planned {
  const from = ROLE_FIELD[role];
  const fromSample = f.otlpRecord ? '' : `sample key ${show(f.key)}`;
  if (!f.otlpRecord)
    notes.push(
      `Set the log record's ${ROLE_WORDS[role]} from ${show(f.key)}, not an attribute (the ${from} source reads it).`,
    );
  switch (role) {
    case 'time': {
      const epoch = f.values.some((v) => typeof v === 'number');
      const what = f.otlpRecord
        ? 'the record timestamp'
        : `the record timestamp (${fromSample}${epoch ? ', an epoch number' : ''})`;
      return { base: 'TimeGenerated', name: '', from, type: 'datetime', notes: [what], foldable: false };
    }
    case 'event':
      return {
        base: 'EventName',
        name: '',
        from,
        type: 'string',
        required: true,
        notes: [f.otlpRecord ? 'the record event name' : `the record event name (${fromSample})`],
        foldable: false,
      };
    case 'severity':
      return {
        base: pascalName(f.key),
        name: '',
        from,
        type: 'string',
        notes: [f.otlpRecord ? 'the record severity text' : `the record severity text (${fromSample})`],
        foldable: false,
      };
    case 'body': {
      const structured = f.values.some((v) => typeof v !== 'string' && v !== null);
      return {
        base: f.key.toLowerCase() === 'description' ? 'Description' : structured ? 'Body' : 'Message',
        name: '',
        from,
        type: structured ? 'dynamic' : 'string',
        notes: [
          structured
            ? "structured body; body['k'] picks one key as a typed column"
            : f.otlpRecord
              ? 'the record body'
              : `the record body (${fromSample})`,
        ],
        foldable: false,
      };
    }
  }
}

/**
 * For an OWASP `name:params` event value, notes that the name goes in eventName and the parameters
 * in attributes, and returns the name.
 */
function owaspEventName(f: Field, event: Planned, notes: string[]): string | undefined {
  const value = f.values.find((v): v is string => typeof v === 'string' && /^[A-Za-z][\w.-]*:./.test(v));
  if (value === undefined) return undefined;
  const at = value.indexOf(':');
  const name = value.slice(0, at);
  event.notes.push('OWASP "name:params" value: emit only the name, params as attributes');
  notes.push(
    `Event value ${show(value)} carries parameters after ":". OpenTelemetry event names must not hold dynamic values: emit event name ${show(name)} and put ${show(value.slice(at + 1))} in attributes (e.g. user.id).`,
  );
  return name;
}

/** A UserId column for OWASP events, whose first parameter is the user, unless one exists. */
function userColumn(
  eventName: string,
  fields: readonly Field[],
  columns: readonly Planned[],
): Planned | undefined {
  if (!OWASP_EVENT.test(eventName)) return undefined;
  const userish = fields.some((f) =>
    /^(?:user|username|userid|principalid|enduserid|actor|actorid)$/.test(
      f.key.toLowerCase().replace(/[^a-z]/g, ''),
    ),
  );
  if (userish || columns.some((c) => c.attribute === 'user.id')) return undefined;
  return {
    base: 'UserId',
    name: '',
    from: sourceOf('attributes', 'user.id'),
    type: 'string',
    notes: ['not in the sample: the OWASP event parameter userid, as attribute user.id'],
    attribute: 'user.id',
    foldable: false,
  };
}

/** Keeps at most 499 columns besides TimeGenerated, folding the rest into AdditionalFields. */
function foldColumns(columns: Planned[], excluded: readonly string[], notes: string[]): Planned[] {
  const limit = 499;
  if (columns.length - 1 <= limit) return columns;
  // TimeGenerated and the other fixed columns first, then attributes in sample order; one slot
  // stays free for AdditionalFields.
  const byPriority = [...columns.filter((c) => !c.foldable), ...columns.filter((c) => c.foldable)];
  const keep = new Set(byPriority.slice(0, limit));
  const kept = columns.filter((c) => keep.has(c));
  const folded = columns.filter((c) => !keep.has(c));
  const exclude = [
    ...new Set([...kept.flatMap((c) => (c.attribute === undefined ? [] : [c.attribute])), ...excluded]),
  ]
    .filter((k) => k !== '')
    .map(literal);
  kept.push({
    base: 'AdditionalFields',
    name: '',
    from: 'attributes',
    type: 'dynamic',
    ...(exclude.length > 0 ? { exclude } : {}),
    notes: [`${folded.length} more attributes; a table holds at most 500 columns`],
    foldable: false,
  });
  notes.push(
    `The sample has more keys than a table has columns (500): ${folded.length} attributes, from ${show(folded[0]?.attribute ?? '')} on, are kept in the dynamic column AdditionalFields.`,
  );
  return kept;
}

/**
 * A starter mapping from sample events: one catch-all stream to `options.table`
 * (default `SecurityEvents_CL`), TimeGenerated and EventName first, then a column per sample key
 * in sample order. Throws `InferError` when there is no sample, a sample is not a JSON object, or
 * an option is invalid.
 */
export function inferMapping(samples: readonly unknown[], options: InferOptions = {}): InferredMapping {
  const settings = settingsOf(options);
  if (samples.length === 0) {
    throw new InferError(
      'no sample events: give at least one JSON object shaped like the events your app logs',
    );
  }
  const objects = samples.map((s, i) => {
    if (!isRecord(s))
      throw new InferError(`sample ${i + 1} is ${describeKind(s)}, not a JSON object (one event)`);
    return s;
  });
  const plan = planColumns(objects, settings);
  const excluded = [
    settings.securityAttribute,
    ...plan.columns.flatMap((c) =>
      c.transform !== undefined && c.attribute !== undefined ? [c.attribute] : [],
    ),
    ...plan.secrets,
  ];
  const planned = foldColumns(plan.columns, excluded, plan.notes);
  assignNames(planned);
  const columns = planned.map(toColumn);
  const document: Record<string, unknown> = {
    version: 1,
    securityAttribute: literal(settings.securityAttribute),
    endpoint: '${SENTINEL_DCE_ENDPOINT}',
    dcrImmutableId: '${SENTINEL_DCR_IMMUTABLE_ID}',
    streams: [
      {
        stream: settings.stream,
        table: settings.table,
        columns: Object.fromEntries(columns.map((c) => [c.name, columnDocument(c)])),
      },
    ],
  };
  const notes = [
    `Inferred ${columns.length} columns for ${settings.table} from ${objects.length} sample event${objects.length === 1 ? '' : 's'}.`,
    ...plan.notes,
  ];
  return { document, columns, notes };
}

function toColumn(p: Planned): InferredColumn {
  const note = p.notes.join('; ');
  return {
    name: p.name,
    from: p.from,
    type: p.type,
    ...(p.required === true ? { required: true } : {}),
    ...(p.transform !== undefined ? { transform: p.transform } : {}),
    ...(p.exclude !== undefined ? { exclude: p.exclude } : {}),
    ...(note !== '' ? { note } : {}),
  };
}

/** The column as the mapping file writes it: TimeGenerated from timestamp needs no type. */
function columnDocument(c: InferredColumn): Record<string, unknown> {
  if (c.name === 'TimeGenerated' && c.from === 'timestamp') return { from: 'timestamp' };
  return {
    from: c.from,
    type: c.type,
    ...(c.required === true ? { required: true } : {}),
    ...(c.transform !== undefined ? { transform: c.transform } : {}),
    ...(c.exclude !== undefined && c.exclude.length > 0 ? { exclude: c.exclude } : {}),
  };
}
