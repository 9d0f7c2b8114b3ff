// Parses the `from` expressions of a mapping column once, at load time, into a small tree that
// the compiler turns into straight-line getters. Nothing here runs per record.
import { OtelSentinelError } from './errors/otel-sentinel-error.js';

export type RecordField =
  | 'timestamp'
  | 'observedTimestamp'
  | 'severityText'
  | 'severityNumber'
  | 'body'
  | 'eventName'
  | 'traceId'
  | 'spanId'
  | 'scope.name'
  | 'scope.version';

export type Bag = 'attributes' | 'resource';

export type SourceExpr =
  | { readonly kind: 'field'; readonly field: RecordField }
  | { readonly kind: 'key'; readonly bag: Bag | 'body'; readonly key: string }
  | { readonly kind: 'bag'; readonly bag: Bag }
  | { readonly kind: 'const'; readonly value: unknown }
  /** The record's stable id: its `log.record.uid`, else a hash of the whole record (row-id.ts). */
  | { readonly kind: 'rowId' }
  | { readonly kind: 'coalesce'; readonly sources: readonly SourceExpr[] };

export const RECORD_FIELDS: readonly RecordField[] = [
  'timestamp',
  'observedTimestamp',
  'severityText',
  'severityNumber',
  'body',
  'eventName',
  'traceId',
  'spanId',
  'scope.name',
  'scope.version',
];

/** The source that is not a record field but derived from the whole record. */
export const ROW_ID = 'rowId';

/** Every source written as a bare word, for messages. */
const BARE_SOURCES: readonly string[] = [...RECORD_FIELDS, ROW_ID];

/** A column's `from` is not a source; the validator turns it into a problem at the column. */
export class SourceSyntaxError extends OtelSentinelError {
  declare readonly code: 'E_UNKNOWN_SOURCE' | 'E_SOURCE_SYNTAX';
}

const KEYED = /^(attributes|resource|body)\s*\[\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*\]$/;

/** Common slips and the source the user most likely meant. */
const ALIASES: Readonly<Record<string, string>> = {
  time: 'timestamp',
  timeunixnano: 'timestamp',
  hrtime: 'timestamp',
  observedtime: 'observedTimestamp',
  observedtimeunixnano: 'observedTimestamp',
  hrtimeobserved: 'observedTimestamp',
  severity: 'severityText or severityNumber',
  level: 'severityText',
  message: 'body',
  msg: 'body',
  event: 'eventName',
  'event.name': 'eventName',
  eventname: 'eventName',
  name: 'eventName',
  traceid: 'traceId',
  spanid: 'spanId',
  'trace.id': 'traceId',
  'span.id': 'spanId',
  scope: 'scope.name',
  'instrumentationscope.name': 'scope.name',
  attribute: 'attributes',
  attrs: 'attributes',
  id: 'rowId',
  uid: 'rowId',
  row_id: 'rowId',
  'row.id': 'rowId',
  recordid: 'rowId',
  'record.id': 'rowId',
  'log.record.uid': "rowId (it uses log.record.uid when the record has one) or attributes['log.record.uid']",
};

function unescape(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}

/** Parses one source string; throws `SourceSyntaxError` with a suggestion when it is not one. */
export function parseSourceText(text: string): SourceExpr {
  const t = text.trim();
  for (const field of RECORD_FIELDS) if (t === field) return { kind: 'field', field };
  if (t === ROW_ID) return { kind: 'rowId' };
  if (t === 'attributes' || t === 'resource') return { kind: 'bag', bag: t };
  const m = KEYED.exec(t);
  if (m) {
    const key = unescape(m[2] ?? m[3] ?? '');
    if (key === '') throw new SourceSyntaxError('E_SOURCE_SYNTAX', `empty key in source "${text}"`);
    return { kind: 'key', bag: m[1] as Bag | 'body', key };
  }
  throw new SourceSyntaxError('E_UNKNOWN_SOURCE', unknownSourceMessage(t));
}

function unknownSourceMessage(t: string): string {
  const base = `unknown source "${t}"`;
  const dotted = /^(attributes|resource|body)\.(.+)$/.exec(t);
  if (dotted)
    return `${base}; did you mean ${dotted[1]}['${dotted[2]}']? (attribute keys go in quotes and brackets)`;
  const unquoted = /^(attributes|resource|body)\s*\[\s*([^'"\]]+)\s*\]$/.exec(t);
  if (unquoted) return `${base}; put the key in quotes: ${unquoted[1]}['${unquoted[2]}']`;
  const sameLetters = BARE_SOURCES.find((f) => f.toLowerCase() === t.toLowerCase());
  if (sameLetters !== undefined) return `${base}; sources are case-sensitive: did you mean ${sameLetters}?`;
  const alias = ALIASES[t.toLowerCase()];
  if (alias !== undefined) return `${base}; did you mean ${alias}?`;
  return `${base}; use one of ${BARE_SOURCES.join(', ')}, attributes['key'], resource['key'], body['key'], attributes, resource, { const: value }, or a list of those`;
}

/** Parses a `from` value as written in the file: a string, `{ const }`, or a list of those. */
export function parseSource(from: unknown): SourceExpr {
  if (typeof from === 'string') return parseSourceText(from);
  if (Array.isArray(from)) {
    const sources = from.map((f: unknown) => {
      if (Array.isArray(f))
        throw new SourceSyntaxError('E_SOURCE_SYNTAX', 'a list of sources cannot contain another list');
      const source = parseSource(f);
      if (source.kind === 'rowId')
        throw new SourceSyntaxError(
          'E_SOURCE_SYNTAX',
          'rowId cannot be part of a list of sources: it always has a value, and it already prefers the record\'s own log.record.uid; use "from: rowId" alone',
        );
      return source;
    });
    if (sources.length === 0)
      throw new SourceSyntaxError('E_SOURCE_SYNTAX', 'a list of sources needs at least one entry');
    return sources.length === 1 && sources[0] !== undefined ? sources[0] : { kind: 'coalesce', sources };
  }
  if (typeof from === 'object' && from !== null && 'const' in from) {
    return { kind: 'const', value: from.const };
  }
  throw new SourceSyntaxError(
    'E_SOURCE_SYNTAX',
    'a source is a string, { const: value }, or a list of those',
  );
}

/** The text form of a source, for summaries. */
export function sourceToText(s: SourceExpr): string {
  switch (s.kind) {
    case 'field':
      return s.field;
    case 'key':
      return `${s.bag}['${s.key.replace(/'/g, "\\'")}']`;
    case 'bag':
      return s.bag;
    case 'const':
      return `const ${JSON.stringify(s.value)}`;
    case 'rowId':
      return ROW_ID;
    case 'coalesce':
      return s.sources.map(sourceToText).join(' ?? ');
  }
}
