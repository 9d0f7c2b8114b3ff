// externaldata(col:type, …)[ "url", … ] with (format=…, ignoreFirstRecord=…): the rows of files
// the QuerySource holds by URL. Nothing is fetched from the network, ever.

import { compileExpr } from './expr.js';
import { fixedColumns } from './declared-types.js';
import type { QueryEnv } from './query-env.js';
import { child, listElements, nameOf, type SyntaxNode } from './syntax.js';
import { fixedRows, type Tabular } from './tabular.js';
import type { KqlType, Schema, Tuple } from './types.js';
import { castTo, fromJson, INVALID } from './values.js';

/** Reads one CSV field at `start`: its text and where the next one starts. */
function csvField(text: string, start: number, separator: string): { value: string; next: number } {
  if (text[start] !== '"') {
    let end = start;
    while (end < text.length && text[end] !== separator && text[end] !== '\n' && text[end] !== '\r') end++;
    return { value: text.slice(start, end), next: end };
  }
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const quote = text.indexOf('"', i);
    if (quote < 0) return { value: value + text.slice(i), next: text.length };
    value += text.slice(i, quote);
    if (text[quote + 1] !== '"') return { value, next: quote + 1 };
    value += '"';
    i = quote + 2;
  }
  return { value, next: i };
}

/** Records of CSV text (RFC 4180: quoted fields, "" inside quotes, CRLF or LF); blank lines are none. */
export function csvRecords(text: string, separator = ','): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  while (i < text.length) {
    const { value, next } = csvField(text, i, separator);
    record.push(value);
    i = next;
    if (text[i] === separator) {
      i++;
      continue;
    }
    if (text[i] === '\r' && text[i + 1] === '\n') i++;
    i++;
    if (!(record.length === 1 && record[0] === '')) records.push(record);
    record = [];
  }
  return records;
}

function textCell(text: string | undefined, type: KqlType): unknown {
  if (text === undefined) return type === 'string' ? '' : null;
  if (type === 'string') return text;
  if (type === 'dynamic') {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  if (text.trim() === '') return null;
  const v = castTo(text.trim(), 'string', type);
  return v === INVALID ? null : v;
}

/** The JSON values of `multijson` text: one array of objects, or objects one after another. */
function jsonValues(text: string): unknown[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  try {
    const whole = JSON.parse(trimmed) as unknown;
    return Array.isArray(whole) ? whole : [whole];
  } catch {
    const out: unknown[] = [];
    let depth = 0;
    let start = -1;
    let inString = false;
    for (let i = 0; i < trimmed.length; i++) {
      const c = trimmed[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{' && depth++ === 0) start = i;
      else if (c === '}' && --depth === 0) out.push(JSON.parse(trimmed.slice(start, i + 1)) as unknown);
    }
    return out;
  }
}

function objectRow(value: unknown, schema: Schema): Tuple {
  const o = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  return schema.map((c) => {
    const v = fromJson(o[c.name], c.type);
    return v === INVALID ? null : v;
  });
}

interface Options {
  readonly format: string;
  readonly ignoreFirstRecord: boolean;
}

function parseFile(text: string, schema: Schema, options: Options): Tuple[] {
  switch (options.format) {
    case 'csv':
    case 'tsv': {
      const records = csvRecords(text, options.format === 'csv' ? ',' : '\t');
      const kept = options.ignoreFirstRecord ? records.slice(1) : records;
      return kept.map((r) => schema.map((c, i) => textCell(r[i], c.type)));
    }
    case 'json': {
      const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
      const kept = options.ignoreFirstRecord ? lines.slice(1) : lines;
      return kept.map((l) => objectRow(JSON.parse(l) as unknown, schema));
    }
    default: {
      const values = jsonValues(text);
      return (options.ignoreFirstRecord ? values.slice(1) : values).map((v) => objectRow(v, schema));
    }
  }
}

const FORMATS: ReadonlySet<string> = new Set(['csv', 'tsv', 'json', 'multijson']);

function readOptions(node: SyntaxNode, env: QueryEnv): Options {
  let format = 'csv';
  let ignoreFirstRecord = false;
  const withClause = child(node, 'WithClause');
  const properties = withClause === undefined ? [] : listElements(child(withClause, 'Properties'));
  for (const property of properties) {
    const name = (nameOf(env.reporter.need(property, 'Name')) ?? '').toLowerCase();
    const value = compileExpr(env.reporter.need(property, 'Expression'), env.scope([])).constant?.value;
    if (name === 'format') format = String(value).toLowerCase();
    else if (name === 'ignorefirstrecord') ignoreFirstRecord = value === true;
    else
      throw env.reporter.unsupported(
        `externaldata: property '${env.reporter.snippet(property)}' is not supported (supported: format, ignoreFirstRecord)`,
        property,
      );
  }
  if (!FORMATS.has(format))
    throw env.reporter.unsupported(
      `externaldata: format '${format}' is not supported (supported: csv, tsv, json, multijson)`,
      node,
    );
  return { format, ignoreFirstRecord };
}

export function compileExternalData(node: SyntaxNode, env: QueryEnv): Tabular {
  const { reporter } = env;
  const schema = fixedColumns(reporter.need(node, 'Schema'), reporter);
  const options = readOptions(node, env);
  const rows: Tuple[] = [];
  for (const uriNode of listElements(child(node, 'URIs'))) {
    const url = compileExpr(uriNode, env.scope([])).constant?.value;
    if (typeof url !== 'string')
      throw reporter.unsupported(
        `externaldata: the URL must be a string literal, found '${reporter.snippet(uriNode)}'`,
        uriNode,
      );
    const text = env.workspace.source.externalData?.(url);
    if (text === undefined) {
      throw reporter.error(
        'E_KQL_SEMANTIC',
        `externaldata: no file for URL '${url}'; otel-sentinel's KQL engine never fetches URLs, so give the file's text through the query source's externalData(url)`,
        uriNode,
      );
    }
    rows.push(...parseFile(text, schema, options));
  }
  return fixedRows(schema, rows);
}
