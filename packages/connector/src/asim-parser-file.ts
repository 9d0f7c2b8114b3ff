// Reading a parser YAML of a solution's `Parsers/` folder back: the ASIM keys and the packager's
// keys, tolerant of anything missing (the checks say what is wrong).

import { parse } from 'yaml';
import { arr, obj, text } from './solution-checker.js';
import type { ParserParam } from './asim-parser-params.js';

/** A parameter as a file lists it: every part as text, `''` when absent. */
export interface FileParam {
  readonly name: string;
  readonly type: string;
  readonly default: string;
}

export interface ParserFile {
  readonly parserName: string | undefined;
  readonly schema: string | undefined;
  readonly schemaVersion: string | undefined;
  readonly params: readonly FileParam[] | undefined;
  readonly query: string | undefined;
  readonly id: string | undefined;
  readonly functionName: string | undefined;
  readonly functionAlias: string | undefined;
  readonly functionParams: readonly FileParam[] | undefined;
  readonly functionQuery: string | undefined;
  readonly category: string | undefined;
  /** The file line (1-based) where the query's first line is, when the file has `ParserQuery: |`. */
  readonly queryLine: number | undefined;
}

function scalar(v: unknown): string {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}

function params(v: unknown): FileParam[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return arr(v).map((p) => {
    const o = obj(p);
    return { name: scalar(o.Name), type: scalar(o.Type), default: scalar(o.Default) };
  });
}

/** The parsed file, or the YAML error's text. */
export function readParserFile(content: string): { file: ParserFile } | { error: string } {
  let doc: unknown;
  try {
    doc = parse(content);
  } catch (error: unknown) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
  const d = obj(doc);
  const norm = obj(d.Normalization);
  const lines = content.split('\n');
  const at = lines.findIndex((l) => /^ParserQuery:\s*\|/.test(l));
  return {
    file: {
      parserName: text(d.ParserName),
      schema: text(norm.Schema),
      schemaVersion: norm.Version === undefined ? undefined : scalar(norm.Version),
      params: params(d.ParserParams),
      query: text(d.ParserQuery),
      id: d.id === undefined ? undefined : scalar(d.id),
      functionName: text(d.FunctionName),
      functionAlias: text(d.FunctionAlias),
      functionParams: params(d.FunctionParams),
      functionQuery: text(d.FunctionQuery),
      category: text(d.Category),
      queryLine: at >= 0 ? at + 2 : undefined,
    },
  };
}

/** A default as compared: a YAML string's value is the KQL default without its quotes. */
export function sameDefault(file: FileParam, expected: ParserParam): boolean {
  const want = expected.type === 'string' ? expected.default.replace(/^'(.*)'$/, '$1') : expected.default;
  const norm = (s: string): string => s.replace(/\s+/g, '').toLowerCase();
  return norm(file.default) === norm(want);
}
