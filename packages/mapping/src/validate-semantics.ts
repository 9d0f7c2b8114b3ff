// The rules a schema cannot express: column names, source expressions, type fit, transforms,
// routing order, endpoints. Builds the resolved `MappingConfig` from structurally valid input.

import { checkDefault } from './coerce.js';
import { KNOWN_INT_ATTRIBUTES, likelyMismatch } from './likely-type.js';
import type { PathSegment } from './problems.js';
import { z } from 'zod';
import type { ColumnInput, DefaultsInput, MatchInput, TransformInput } from './schema.js';
import { columnSchema, matchSchema, SEVERITY_NAMES, streamSchema } from './schema.js';
import {
  COLUMN_NAME_MAX_LENGTH,
  COLUMN_NAME_MIN_LENGTH,
  columnNameProblem,
  isCustomStreamName,
  isCustomTableName,
  MAX_FIELD_VALUE_BYTES,
  MAX_TABLE_COLUMNS,
  RESERVED_COLUMN_NAMES,
} from './azure-limits.js';
import { parseSource, SourceSyntaxError, sourceToText } from './source-expr.js';
import type { SourceExpr } from './source-expr.js';
import type { RawProblem } from './structure-issues.js';
import { MAX_SECURITY_PATH_PARTS } from './security-flag.js';
import { DEFAULTS } from './types.js';
import type {
  AttributeCondition,
  ColumnConfig,
  ColumnType,
  EventNameSource,
  MatchConfig,
  ResolvedDefaults,
  Scalar,
  StreamConfig,
  TransformConfig,
} from './types.js';

const DCR_ID_RE = /^dcr-[0-9a-f]{32}$/;

export class Problems {
  readonly list: RawProblem[] = [];
  error(
    code: string,
    path: readonly PathSegment[],
    message: string,
    target: 'key' | 'value' = 'value',
  ): void {
    this.list.push({ code, path, message, target, severity: 'error' });
  }
  warn(code: string, path: readonly PathSegment[], message: string, target: 'key' | 'value' = 'value'): void {
    this.list.push({ code, path, message, target, severity: 'warning' });
  }
  info(code: string, path: readonly PathSegment[], message: string): void {
    this.list.push({ code, path, message, target: 'value', severity: 'info' });
  }
}

export interface SemanticContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly problems: Problems;
  readonly securityAttribute: string;
  readonly defaults: ResolvedDefaults;
  readonly endpoint: string | undefined;
  readonly dcrImmutableId: string | undefined;
  /** The preset the streams come from (`extends`), when the file gives none of its own. */
  readonly streamsFrom?: string;
}

export function resolveDefaults(base: ResolvedDefaults, d: DefaultsInput | undefined): ResolvedDefaults {
  if (!d) return base;
  return {
    maxFieldBytes: d.maxFieldBytes ?? base.maxFieldBytes,
    maxRowBytes: d.maxRowBytes ?? base.maxRowBytes,
    redact: (d.redact as ResolvedDefaults['redact'] | undefined) ?? base.redact,
    sanitize: d.sanitize ?? base.sanitize,
    hashKeyEnv: d.hashKeyEnv ?? base.hashKeyEnv,
    onMismatch: d.onMismatch ?? base.onMismatch,
  };
}

export { DEFAULTS };

export function checkEndpoint(value: string, path: readonly PathSegment[], problems: Problems): void {
  if (value === '') {
    problems.error(
      'E_ENDPOINT',
      path,
      'endpoint is empty; set it to the DCE or DCR logs-ingestion URI (https://…)',
    );
    return;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.error(
      'E_ENDPOINT',
      path,
      `endpoint "${value}" is not a URL; expected https://<dce>.<region>.ingest.monitor.azure.com`,
    );
    return;
  }
  if (url.protocol !== 'https:') {
    problems.error(
      'E_ENDPOINT',
      path,
      `endpoint must use https (the Azure clients refuse ${url.protocol.replace(':', '')}); got "${value}"`,
    );
  } else if (url.pathname !== '/' && url.pathname !== '') {
    problems.warn(
      'W_ENDPOINT_PATH',
      path,
      `endpoint "${value}" has a path; the Logs Ingestion endpoint is only scheme and host, the client adds /dataCollectionRules/…`,
    );
  }
}

export function checkDcrId(value: string, path: readonly PathSegment[], problems: Problems): void {
  if (value === '')
    problems.error('E_DCR_ID', path, 'dcrImmutableId is empty; set it to the DCR immutable id (dcr-…)');
  else if (!DCR_ID_RE.test(value))
    problems.warn(
      'W_DCR_ID',
      path,
      `"${value}" does not look like a DCR immutable id (dcr- followed by 32 lower-case hex digits)`,
    );
}

function inferType(s: SourceExpr): ColumnType {
  switch (s.kind) {
    case 'field':
      if (s.field === 'timestamp' || s.field === 'observedTimestamp') return 'datetime';
      if (s.field === 'severityNumber') return 'int';
      return 'string';
    case 'key':
      return s.bag === 'attributes' && KNOWN_INT_ATTRIBUTES.has(s.key) ? 'int' : 'string';
    case 'bag':
      return 'dynamic';
    case 'rowId':
      return 'string';
    case 'const': {
      const v = s.value;
      if (typeof v === 'boolean') return 'boolean';
      if (typeof v === 'number') {
        if (!Number.isInteger(v)) return 'real';
        return v >= -2147483648 && v <= 2147483647 ? 'int' : 'long';
      }
      if (v !== null && typeof v === 'object') return 'dynamic';
      return 'string';
    }
    case 'coalesce':
      return s.sources[0] ? inferType(s.sources[0]) : 'string';
  }
}

function containsBag(s: SourceExpr): boolean {
  return s.kind === 'bag' || (s.kind === 'coalesce' && s.sources.some(containsBag));
}

const STRING_ONLY = new Set(['hmac-sha256', 'lowercase', 'uppercase', 'trim', 'truncate', 'lookup']);

function resolveTransforms(
  input: ColumnInput['transform'],
  ctx: SemanticContext,
  type: ColumnType,
  path: readonly PathSegment[],
): TransformConfig[] {
  if (input === undefined) return [];
  const list: readonly TransformInput[] = Array.isArray(input) ? input : [input];
  const out: TransformConfig[] = [];
  list.forEach((t, i) => {
    const tPath = Array.isArray(input) ? [...path, i] : path;
    let cfg: TransformConfig;
    if (typeof t === 'string') {
      cfg = t === 'hmac-sha256' ? { kind: 'hmac-sha256', keyEnv: ctx.defaults.hashKeyEnv } : { kind: t };
    } else if ('truncate' in t) {
      cfg = { kind: 'truncate', maxBytes: t.truncate };
    } else if ('lookup' in t) {
      cfg = resolveLookup(t.lookup, t.default, ctx, tPath);
    } else {
      cfg = { kind: 'hmac-sha256', keyEnv: t['hmac-sha256'].keyEnv };
    }
    if (STRING_ONLY.has(cfg.kind) && type !== 'string') {
      ctx.problems.error(
        'E_TRANSFORM_TYPE',
        tPath,
        `transform ${cfg.kind} works on string columns; this column is ${type}`,
      );
    }
    if (cfg.kind === 'redact' && type !== 'string' && type !== 'dynamic') {
      ctx.problems.error(
        'E_TRANSFORM_TYPE',
        tPath,
        `transform redact works on string and dynamic columns; this column is ${type}`,
      );
    }
    if (cfg.kind === 'hmac-sha256') {
      const key = ctx.env[cfg.keyEnv];
      if (key === undefined || key === '') {
        ctx.problems.warn(
          'W_HASH_KEY_UNSET',
          tPath,
          `hmac-sha256 needs a key in the environment variable ${cfg.keyEnv}, which is not set here; the exporter refuses to start without it (use 32+ random bytes)`,
        );
      }
    }
    out.push(cfg);
  });
  return out;
}

function resolveLookup(
  table: Readonly<Record<string, string>>,
  otherwise: string | undefined,
  ctx: SemanticContext,
  path: readonly PathSegment[],
): TransformConfig {
  // Built with defineProperty semantics, so a key such as __proto__ stays an ordinary entry.
  const map = Object.fromEntries(Object.entries(table));
  if (Object.keys(map).length === 0)
    ctx.problems.error(
      'E_INVALID_VALUE',
      [...path, 'lookup'],
      'lookup has no entries; list each value and its replacement, e.g. { lookup: { INFO: Informational, WARN: Medium } }',
    );
  return otherwise === undefined ? { kind: 'lookup', map } : { kind: 'lookup', map, default: otherwise };
}

/**
 * Resolves `eventNameFrom`: any source that can hold a string, except the event name itself
 * (it is what is being derived), whole bags and rowId (neither names an event).
 */
export function resolveEventNameFrom(raw: unknown, problems: Problems): EventNameSource | undefined {
  const path = ['eventNameFrom'];
  let source: SourceExpr;
  try {
    source = parseSource(raw);
  } catch (e) {
    if (e instanceof SourceSyntaxError) {
      problems.error(e.code, path, e.message);
      return undefined;
    }
    throw e;
  }
  const parts = source.kind === 'coalesce' ? source.sources : [source];
  for (const part of parts) {
    const why =
      part.kind === 'field' && part.field === 'eventName'
        ? 'eventName is what eventNameFrom derives; name the field your log library writes the event name to'
        : part.kind === 'bag'
          ? `${part.bag} is a whole bag, not an event name; pick one key, e.g. ${part.bag}['event']`
          : part.kind === 'rowId'
            ? 'rowId identifies a record, not an event'
            : undefined;
    if (why !== undefined) {
      problems.error('E_EVENT_NAME_SOURCE', path, `eventNameFrom cannot read ${sourceToText(part)}: ${why}`);
      return undefined;
    }
  }
  return { source, sourceText: sourceToText(source) };
}

/** Checks that a `securityAttribute` has few enough dot-separated parts to be read nested. */
export function checkSecurityAttribute(value: string, problems: Problems): void {
  if (value.split('.').length > MAX_SECURITY_PATH_PARTS)
    problems.error(
      'E_SECURITY_ATTRIBUTE',
      ['securityAttribute'],
      `securityAttribute "${value}" has more than ${MAX_SECURITY_PATH_PARTS} dot-separated parts; use a shorter name such as security.event`,
    );
}

function resolveColumn(
  name: string,
  raw: string | ColumnInput,
  ctx: SemanticContext,
  streamDefaults: ResolvedDefaults,
  path: readonly PathSegment[],
): ColumnConfig | undefined {
  const col: ColumnInput = typeof raw === 'string' ? { from: raw } : raw;
  const fromPath = typeof raw === 'string' ? path : [...path, 'from'];
  let source: SourceExpr;
  if (col.from === undefined) {
    if (name !== 'TimeGenerated') {
      ctx.problems.error(
        'E_MISSING_KEY',
        path,
        `column ${name} needs "from": where its value comes from (e.g. from: "attributes['user.id']")`,
      );
      return undefined;
    }
    source = { kind: 'field', field: 'timestamp' };
  } else {
    try {
      source = parseSource(col.from);
    } catch (e) {
      if (e instanceof SourceSyntaxError) {
        ctx.problems.error(e.code, fromPath, e.message);
        return undefined;
      }
      throw e;
    }
  }
  const inferred = col.type === undefined;
  const type: ColumnType = col.type ?? inferType(source);
  if (name === 'TimeGenerated' && type !== 'datetime') {
    ctx.problems.error(
      'E_TIMEGENERATED_TYPE',
      [...path, 'type'],
      `TimeGenerated must be a datetime, not ${type}`,
    );
  }
  if (source.kind === 'rowId' && type !== 'string') {
    ctx.problems.error(
      'E_ROW_ID_TYPE',
      [...path, 'type'],
      `column ${name} reads rowId, which is a string (the record's log.record.uid, or 32 hex digits); use type: string or leave type out, not ${type}`,
    );
  }
  if (containsBag(source) && type === 'string') {
    ctx.problems.warn(
      'W_BAG_AS_STRING',
      fromPath,
      `column ${name} is a string fed from a whole attribute bag: it becomes JSON text that queries cannot index and may carry data you did not mean to send; use type: dynamic, or pick keys with attributes['k']`,
    );
  }
  if ((col.include !== undefined || col.exclude !== undefined) && !containsBag(source)) {
    const which = col.include !== undefined ? 'include' : 'exclude';
    ctx.problems.error(
      'E_INCLUDE_WITHOUT_BAG',
      [...path, which],
      `"${which}" only applies to whole-bag sources (attributes, resource); column ${name} reads ${sourceToText(source)}`,
    );
  }
  const transforms = resolveTransforms(col.transform, ctx, type, [...path, 'transform']);
  if (col.default !== undefined) {
    const why = checkDefault(col.default, type);
    if (why !== undefined)
      ctx.problems.error(
        'E_DEFAULT_TYPE',
        [...path, 'default'],
        `default ${JSON.stringify(col.default)} does not fit type ${type}: ${why}`,
      );
    if (col.required === true)
      ctx.problems.warn(
        'W_REQUIRED_WITH_DEFAULT',
        [...path, 'required'],
        `column ${name} has a default, so required never rejects a record`,
      );
  }
  if (!inferred) {
    const likely = likelyMismatch(source, type);
    if (likely !== undefined)
      ctx.problems.warn(
        'W_TYPE_MISMATCH',
        [...path, 'type'],
        `column ${name} is ${type}, but ${likely}: such values do not fit it (onMismatch says what becomes of them); use type: string or dynamic unless every value fits ${type}`,
      );
  }
  const base: ColumnConfig = {
    name,
    source,
    sourceText: sourceToText(source),
    type,
    typeInferred: inferred,
    required: col.required ?? false,
    onMismatch: col.onMismatch ?? streamDefaults.onMismatch,
    transforms,
    redact: (col.redact as ColumnConfig['redact'] | undefined) ?? streamDefaults.redact,
    sanitize: col.sanitize ?? streamDefaults.sanitize,
    maxBytes: Math.min(
      col.maxBytes ?? streamDefaults.maxFieldBytes,
      streamDefaults.maxFieldBytes,
      MAX_FIELD_VALUE_BYTES,
    ),
    added: false,
  };
  return {
    ...base,
    ...(col.default !== undefined ? { default: col.default } : {}),
    ...(col.include !== undefined ? { include: col.include } : {}),
    ...(col.exclude !== undefined ? { exclude: col.exclude } : {}),
    ...(col.description !== undefined ? { description: col.description } : {}),
  };
}

function checkColumnName(name: string, path: readonly PathSegment[], problems: Problems): boolean {
  const rule = `column names are ${COLUMN_NAME_MIN_LENGTH}–${COLUMN_NAME_MAX_LENGTH} characters: a letter, then letters, digits or _`;
  switch (columnNameProblem(name)) {
    case undefined:
      return true;
    case 'length':
      problems.error(
        'E_COLUMN_NAME',
        path,
        `column name "${name}" has ${name.length} characters; ${rule}`,
        'key',
      );
      return false;
    case 'characters':
      problems.error('E_COLUMN_NAME', path, `column name "${name}" is not allowed; ${rule}`, 'key');
      return false;
    case 'reserved':
      problems.error(
        'E_RESERVED_COLUMN',
        path,
        `column name "${name}" is reserved by Azure Monitor (${RESERVED_COLUMN_NAMES.join(', ')}); choose another, e.g. Event${name.charAt(0).toUpperCase()}${name.slice(1)}`,
        'key',
      );
      return false;
  }
}

function severityNumber(v: string | number): number {
  if (typeof v === 'number') return v;
  const i = (SEVERITY_NAMES as readonly string[]).indexOf(v);
  return i + 1;
}

function resolveCondition(v: unknown): AttributeCondition {
  if (typeof v === 'object' && v !== null) {
    if ('equals' in v) return { kind: 'equals', value: (v as { equals: Scalar }).equals };
    if ('in' in v) return { kind: 'in', values: (v as { in: Scalar[] }).in };
    return { kind: 'exists', exists: (v as { exists: boolean }).exists };
  }
  return { kind: 'equals', value: v as Scalar };
}

function resolveMatch(m: MatchInput, path: readonly PathSegment[], ctx: SemanticContext): MatchConfig {
  const out: {
    eventName?: readonly string[];
    minSeverity?: number;
    attributes?: Record<string, AttributeCondition>;
    resource?: Record<string, AttributeCondition>;
  } = {};
  if (m.eventName !== undefined) {
    out.eventName = Array.isArray(m.eventName) ? m.eventName : [m.eventName];
    for (const g of out.eventName) {
      if (g.includes(':'))
        ctx.problems.warn(
          'W_EVENT_NAME_PARAMS',
          [...path, 'eventName'],
          `event name glob "${g}" has a ":"; OpenTelemetry event names carry no parameters (put them in attributes)`,
        );
    }
  }
  if (m.minSeverity !== undefined) out.minSeverity = severityNumber(m.minSeverity);
  if (m.attributes !== undefined) {
    out.attributes = Object.fromEntries(
      Object.entries(m.attributes).map(([k, v]) => [k, resolveCondition(v)]),
    );
    if (ctx.securityAttribute in m.attributes)
      ctx.problems.warn(
        'W_MATCH_SECURITY_ATTRIBUTE',
        [...path, 'attributes', ctx.securityAttribute],
        `matching on the security attribute ${ctx.securityAttribute} is redundant: only security records reach the streams`,
        'key',
      );
  }
  if (m.resource !== undefined)
    out.resource = Object.fromEntries(Object.entries(m.resource).map(([k, v]) => [k, resolveCondition(v)]));
  if (Object.keys(out).length === 0)
    ctx.problems.warn(
      'W_EMPTY_MATCH',
      path,
      'match has no conditions, so this stream is a catch-all; remove match to say so',
    );
  return out;
}

/** A stream whose own keys are well-formed; its columns, match and defaults are checked one by one. */
const streamShell = streamSchema.extend({
  stream: z.string(),
  table: z.string(),
  columns: z.record(z.string(), z.unknown()),
  match: z.unknown().optional(),
  defaults: z.unknown().optional(),
});
type StreamShell = z.infer<typeof streamShell>;
const columnOrShorthand = z.union([z.string().min(1), columnSchema]);
const defaultsOnly = streamSchema.shape.defaults;

export function parseStreamShell(raw: unknown): StreamShell | undefined {
  const r = streamShell.safeParse(raw);
  return r.success ? r.data : undefined;
}

export function resolveStream(s: StreamShell, index: number, ctx: SemanticContext): StreamConfig | undefined {
  const path: PathSegment[] = ['streams', index];
  const p = ctx.problems;
  if (!isCustomStreamName(s.stream))
    p.error(
      'E_STREAM_NAME',
      [...path, 'stream'],
      `stream "${s.stream}" must be "Custom-" followed by letters, digits, _ . or -`,
    );
  if (!isCustomTableName(s.table))
    p.error(
      'E_TABLE_NAME',
      [...path, 'table'],
      `table "${s.table}" must start with a letter, use only letters, digits and _, and end with _CL`,
    );
  const endpoint = s.endpoint ?? ctx.endpoint;
  if (endpoint === undefined) missingTarget('endpoint', '${SENTINEL_DCE_ENDPOINT}', path, ctx);
  else checkEndpoint(endpoint, s.endpoint !== undefined ? [...path, 'endpoint'] : ['endpoint'], p);
  const dcr = s.dcrImmutableId ?? ctx.dcrImmutableId;
  if (dcr === undefined) missingTarget('dcrImmutableId', '${SENTINEL_DCR_IMMUTABLE_ID}', path, ctx);
  else if (s.dcrImmutableId !== undefined) checkDcrId(dcr, [...path, 'dcrImmutableId'], p);

  const parsedDefaults = defaultsOnly.safeParse(s.defaults);
  const defaults = resolveDefaults(ctx.defaults, parsedDefaults.success ? parsedDefaults.data : undefined);
  const names = Object.keys(s.columns);
  const columns: ColumnConfig[] = [];
  let ok = true;
  const seen = new Map<string, string>();
  for (const name of names) {
    const cPath = [...path, 'columns', name];
    if (!checkColumnName(name, cPath, p)) {
      ok = false;
      continue;
    }
    const lower = name.toLowerCase();
    const other = seen.get(lower);
    if (other !== undefined)
      p.warn(
        'W_COLUMN_CASE',
        cPath,
        `columns ${other} and ${name} differ only in case; Log Analytics may treat them as the same column`,
        'key',
      );
    seen.set(lower, name);
    const parsed = columnOrShorthand.safeParse(s.columns[name]);
    if (!parsed.success) {
      ok = false; // its structural problems are already reported
      continue;
    }
    const col = resolveColumn(name, parsed.data, ctx, defaults, cPath);
    if (col) columns.push(col);
    else ok = false;
  }
  if (!names.includes('TimeGenerated')) {
    columns.unshift({
      name: 'TimeGenerated',
      source: { kind: 'field', field: 'timestamp' },
      sourceText: 'timestamp',
      type: 'datetime',
      typeInferred: true,
      required: false,
      transforms: [],
      redact: false,
      sanitize: false,
      maxBytes: defaults.maxFieldBytes,
      onMismatch: defaults.onMismatch,
      added: true,
    });
    p.info(
      'I_TIMEGENERATED_ADDED',
      [...path, 'columns'],
      `${s.table} has no TimeGenerated column; it is added from the record time (timestamp)`,
    );
  }
  if (columns.length > MAX_TABLE_COLUMNS || names.length > MAX_TABLE_COLUMNS) {
    p.error(
      'E_TOO_MANY_COLUMNS',
      [...path, 'columns'],
      `${s.table} has ${Math.max(columns.length, names.length)} columns; a table holds at most ${MAX_TABLE_COLUMNS}`,
    );
    ok = false;
  }
  if (s.transformKql !== undefined && !startsWithSource(s.transformKql)) {
    p.error(
      'E_TRANSFORM',
      [...path, 'transformKql'],
      'a DCR transform reads the incoming rows as "source": start it with source, e.g. "source | where EventSeverity != \'Informational\'"',
    );
    ok = false;
  }
  const overflowColumn = resolveOverflow(s.overflowColumn, columns, path, p);
  let match: MatchConfig | undefined;
  if (s.match !== undefined) {
    const parsed = matchSchema.safeParse(s.match);
    if (parsed.success) match = resolveMatch(parsed.data, [...path, 'match'], ctx);
    else ok = false;
  }
  if (!ok || endpoint === undefined || dcr === undefined) return undefined;
  return {
    index,
    stream: s.stream,
    table: s.table,
    endpoint,
    dcrImmutableId: dcr,
    columns,
    maxRowBytes: defaults.maxRowBytes,
    ...(overflowColumn !== undefined ? { overflowColumn } : {}),
    ...(match !== undefined ? { match } : {}),
    ...(s.description !== undefined ? { description: s.description } : {}),
    ...(s.transformKql !== undefined ? { transformKql: s.transformKql } : {}),
  };
}

/** The conventional overflow column of Sentinel tables (ASIM, the owasp preset, `init`). */
const DEFAULT_OVERFLOW = 'AdditionalFields';

/**
 * The column that keeps values which did not fit (`onMismatch: keep`): `overflowColumn` when it
 * names a dynamic column (an error otherwise), else a dynamic `AdditionalFields`. Without one, a
 * stream whose columns could keep a value says that such values are emptied instead.
 */
function resolveOverflow(
  named: string | undefined,
  columns: readonly ColumnConfig[],
  path: readonly PathSegment[],
  p: Problems,
): string | undefined {
  if (named !== undefined) {
    const c = columns.find((col) => col.name === named);
    if (c?.type === 'dynamic') return named;
    p.error(
      'E_OVERFLOW_COLUMN',
      [...path, 'overflowColumn'],
      c === undefined
        ? `overflowColumn ${named} is not a column of this stream; add it, e.g. ${named}: { from: attributes, type: dynamic }`
        : `overflowColumn ${named} is ${c.type}; it must be a dynamic column`,
    );
    return undefined;
  }
  if (columns.some((c) => c.name === DEFAULT_OVERFLOW && c.type === 'dynamic')) return DEFAULT_OVERFLOW;
  const keeping = columns.find((c) => c.onMismatch === 'keep' && canMismatch(c));
  if (keeping !== undefined)
    p.info(
      'I_NO_OVERFLOW_COLUMN',
      [...path, 'columns'],
      `a value that does not fit its column (such as ${keeping.name}, ${keeping.type}) is emptied and reported, not kept: this stream has no overflow column; add ${DEFAULT_OVERFLOW}: { from: attributes, type: dynamic } or name a dynamic column with overflowColumn to keep such values`,
    );
  return undefined;
}

/** Columns whose values can fail to fit: not strings or dynamic, nor the record's own time. */
function canMismatch(c: ColumnConfig): boolean {
  if (c.type === 'string' || c.type === 'dynamic') return false;
  return !(
    c.source.kind === 'field' &&
    (c.source.field === 'timestamp' || c.source.field === 'observedTimestamp')
  );
}

/**
 * A stream with no endpoint or DCR id. Streams from a preset take them from the top level of the
 * user's file, so that is where the problem points (once: equal problems are merged).
 */
function missingTarget(
  key: 'endpoint' | 'dcrImmutableId',
  example: string,
  path: readonly PathSegment[],
  ctx: SemanticContext,
): void {
  if (ctx.streamsFrom !== undefined)
    ctx.problems.error(
      'E_MISSING_KEY',
      [key],
      `no ${key}: the ${ctx.streamsFrom} preset's streams use the top-level ${key}; add "${key}: ${example}" to this file`,
      'key',
    );
  else
    ctx.problems.error('E_MISSING_KEY', path, `no ${key}: set "${key}" at the top level or on this stream`);
}

/** `source` is the first word once whitespace and `//` comments are skipped. */
function startsWithSource(kql: string): boolean {
  return /^(?:\s|\/\/[^\n]*(?:\n|$))*source(?![\w])/.test(kql);
}

/** Checks that span streams: routing order, duplicates, tables written by several streams. */
export function checkStreamSet(
  streams: readonly {
    readonly stream: string;
    readonly match?: unknown;
    readonly dcrImmutableId?: string | undefined;
  }[],
  problems: Problems,
): void {
  const catchAll = streams.findIndex((s) => s.match === undefined);
  if (catchAll === -1) {
    problems.warn(
      'W_NO_CATCH_ALL',
      ['streams'],
      'every stream has a match, so a security record that fits none is unrouted (counted and reported, not sent); add a last stream without match to catch the rest',
    );
  } else if (catchAll < streams.length - 1) {
    problems.warn(
      'W_UNREACHABLE_STREAM',
      ['streams', catchAll + 1],
      `stream ${catchAll} has no match and takes every record, so the streams after it never receive any; move the catch-all last`,
    );
  }
  const byKey = new Map<string, number>();
  streams.forEach((s, i) => {
    const key = `${s.dcrImmutableId ?? '<top>'}|${s.stream}`;
    const prev = byKey.get(key);
    if (prev !== undefined)
      problems.error(
        'E_DUPLICATE_STREAM',
        ['streams', i, 'stream'],
        `stream ${s.stream} is already declared by streams[${prev}] for the same DCR`,
      );
    else byKey.set(key, i);
  });
}
