// ASIM parser YAML as workspace functions: `ParserName`, `ParserParams` (each `Name`, `Type`,
// optional `Default`) and `ParserQuery`, the format of Azure-Sentinel's `Parsers/ASim*/Parsers`
// and of otel-sentinel's generated `Parsers/*.yaml`. The solution packager's keys
// (`FunctionAlias`, `FunctionParams`, `FunctionQuery`) are read when the ASIM ones are absent.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, sep } from 'node:path';
import type { StoredFunction } from '@otel-sentinel/kql';
import { isMap, isSeq, parseDocument, type Document, type LineCounter as LC } from 'yaml';
import { LineCounter } from 'yaml';
import { WorkspaceError } from './workspace-error.js';

/** A function and the file it was read from (for conflict messages). */
export interface SourcedFunction extends StoredFunction {
  readonly from: string;
}

const YAML_FILE = /\.ya?ml$/i;

/**
 * The functions of ASIM parser YAML at `paths`: files, or folders searched (recursively) for
 * YAML files; with `underParsers`, only those inside a folder named `Parsers` (where a solution
 * folder holds its parsers). A YAML file named directly must be a parser; one found in a folder
 * without `ParserName` or `FunctionAlias` is skipped.
 */
export function functionsFromParserYaml(paths: readonly string[], underParsers = false): SourcedFunction[] {
  const out: SourcedFunction[] = [];
  for (const path of paths) {
    if (isFolder(path)) {
      for (const file of yamlFiles(path, underParsers)) {
        const fn = readParser(file, false);
        if (fn !== undefined) out.push(fn);
      }
    } else {
      const fn = readParser(path, true);
      if (fn !== undefined) out.push(fn);
    }
  }
  return out;
}

/** YAML files of `root`; with `underParsers`, only under a `Parsers` folder (or `root` is one). */
function yamlFiles(root: string, underParsers: boolean): string[] {
  const inParsers = !underParsers || basename(root).toLowerCase() === 'parsers';
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && YAML_FILE.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .filter(
      (f) =>
        inParsers ||
        f
          .slice(root.length)
          .split(sep)
          .some((s) => s.toLowerCase() === 'parsers'),
    )
    .sort();
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    throw new WorkspaceError(
      'E_PARSER_FILE',
      `${path}: no such file or folder; give ASIM parser YAML files, or a solution folder holding Parsers/`,
    );
  }
}

function readParser(file: string, required: boolean): SourcedFunction | undefined {
  const lines = new LineCounter();
  const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: lines, prettyErrors: false });
  const first = doc.errors[0];
  if (first !== undefined) {
    const at = lines.linePos(first.pos[0]);
    throw parserError(file, at, `is not valid YAML (${first.code}); fix the file or leave it out`);
  }
  const name = text(doc, 'ParserName') ?? text(doc, 'FunctionAlias');
  if (name === undefined) {
    if (!required) return undefined;
    throw parserError(file, undefined, 'has no ParserName (nor FunctionAlias): it is not an ASIM parser');
  }
  const body = text(doc, 'ParserQuery') ?? text(doc, 'FunctionQuery');
  if (body === undefined)
    throw parserError(
      file,
      undefined,
      `(${name}) has no ParserQuery: add the function's KQL under ParserQuery: |`,
    );
  const parameters = parametersOf(doc, file, lines);
  return { name, body, from: file, ...(parameters !== '' ? { parameters } : {}) };
}

function text(doc: Document, key: string): string | undefined {
  const value: unknown = doc.get(key);
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** `ParserParams` as ARM's functionParameters text: `name:type=default, …`; `T:(…)` for a table. */
function parametersOf(doc: Document, file: string, lines: LC): string {
  const node = doc.get('ParserParams', true) ?? doc.get('FunctionParams', true);
  if (node === undefined || node === null) return '';
  if (!isSeq(node))
    throw parserError(file, posOf(node, lines), 'ParserParams must be a list of { Name, Type, Default }');
  return node.items
    .map((item) => {
      if (!isMap(item))
        throw parserError(
          file,
          posOf(item, lines),
          'each ParserParams entry must be { Name, Type, Default }',
        );
      const name = item.get('Name');
      const type = item.get('Type');
      if (typeof name !== 'string' || typeof type !== 'string')
        throw parserError(file, posOf(item, lines), 'a ParserParams entry needs a Name and a Type (strings)');
      const value: unknown = item.get('Default');
      return value === undefined || value === null
        ? `${name}:${type}`
        : `${name}:${type}=${kqlDefault(type, value)}`;
    })
    .join(', ');
}

/**
 * A default as KQL text. YAML strips its own quotes (`Default: '*'` reads `*`), so a string
 * parameter's default is quoted again unless it already is a KQL string literal.
 */
function kqlDefault(type: string, value: unknown): string {
  const written = typeof value === 'string' ? value : String(value);
  if (type.trim().toLowerCase() !== 'string' || /^(['"]).*\1$/s.test(written)) return written;
  return `'${written.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function posOf(node: unknown, lines: LC): { line: number; col: number } | undefined {
  const range = (node as { range?: readonly number[] } | null)?.range;
  return range?.[0] === undefined ? undefined : lines.linePos(range[0]);
}

function parserError(
  file: string,
  at: { line: number; col: number } | undefined,
  message: string,
): WorkspaceError {
  const where = at === undefined ? file : `${file}:${at.line}:${at.col}`;
  return new WorkspaceError('E_PARSER_FILE', `${where}: ${message}`);
}
