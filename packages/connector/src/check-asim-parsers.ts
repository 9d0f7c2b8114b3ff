// The checklist for a solution's ASIM parsers (`Parsers/*.yaml`): the solution file lists exactly
// the files there; each parser's names agree; its parameters are its schema's standard ones; and,
// with an analyzer, its query analyses clean against the solution's tables and returns every
// mandatory field, alias and `*Type` companion with the schema's type.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AsimSchemaName } from '@otel-sentinel/mapping';
import { ASIM_SCHEMA_NAMES } from '@otel-sentinel/mapping';
import { readParserFile, sameDefault, type FileParam, type ParserFile } from './asim-parser-file.js';
import type { TableColumns } from './asim-parser-fields.js';
import { parserParams, type ParserKind, type ParserParam } from './asim-parser-params.js';
import { parserId, PARSERS_FOLDER } from './asim-parser-yaml.js';
import { isGuid } from './stable-id.js';
import type { SchemaFactsOf } from './asim-parsers.js';
import { checkParserOutput, type KqlAnalyzer } from './check-asim-parser-output.js';
import { listedFiles, reportUnlisted, type Listing } from './check-listing.js';

/**
 * The rules on ASIM parsers: `parsers` (the solution file lists exactly `Parsers/*.yaml`), `parser`
 * (names, schema, version, the packager's keys), `parser-params` (the schema's standard parameters),
 * `parser-query` (Microsoft's analyzer finds no error), `parser-fields` (mandatory fields, aliases,
 * companions, types).
 */
export type AsimParserCheck = 'parsers' | 'parser' | 'parser-params' | 'parser-query' | 'parser-fields';

export interface AsimParsersContext {
  readonly dir: string;
  /** `Data/Solution_<Name>.json`, relative to the folder. */
  readonly solutionFile: string;
  /** Its `Parsers` value, as parsed (undefined when absent). */
  readonly listed: unknown;
  /** The solution's tables with their columns (from its connector folders). */
  readonly tables: readonly TableColumns[];
  readonly factsOf: SchemaFactsOf;
  /** Microsoft's analyzer (`analyzeKql` of `@otel-sentinel/kql`); without it the queries are not checked. */
  readonly analyze?: KqlAnalyzer;
  readonly add: (file: string, rule: AsimParserCheck | 'required-file', message: string, fix: string) => void;
}

const FILE_NAME = /^[^/\\]+\.ya?ml$/;

const PARSERS_LISTING: Listing = {
  key: 'Parsers',
  folder: PARSERS_FOLDER,
  what: 'parser',
  form: '<file>.yaml',
  isFile: (name) => FILE_NAME.test(name),
};

/** The kind of an ASIM parser by its name's form, with the name's expected schema part. */
export function kindOfName(name: string, schema: string): ParserKind | undefined {
  if (name === `Im_${schema}Custom`) return 'custom-filtering';
  if (name === `ASim_${schema}Custom`) return 'custom-parameterless';
  if (new RegExp(`^vim${schema}[A-Za-z0-9]+$`).test(name)) return 'filtering';
  if (new RegExp(`^ASim${schema}[A-Za-z0-9]+$`).test(name)) return 'parameterless';
  return undefined;
}

function isSchema(name: string | undefined): name is AsimSchemaName {
  return name !== undefined && (ASIM_SCHEMA_NAMES as readonly string[]).includes(name);
}

export interface ParserUnderCheck {
  readonly path: string;
  readonly file: ParserFile;
  readonly name: string;
  readonly schema: AsimSchemaName;
  readonly kind: ParserKind;
}

type Problem = readonly [message: string, fix: string];

/** The packager's keys against the ParserName, and the schema version against the catalogue's. */
function packagerProblems(file: ParserFile, name: string, version: string, schema: string): Problem[] {
  const problems: Problem[] = [];
  if (file.schemaVersion !== version)
    problems.push([
      `Normalization.Version is ${JSON.stringify(file.schemaVersion ?? null)}, not ${schema}'s ${version}`,
      `set Normalization.Version: '${version}' (and EventSchemaVersion in the query)`,
    ]);
  if (!isGuid(file.id))
    problems.push([
      `id is ${JSON.stringify(file.id ?? null)}, not a GUID: Azure-Sentinel's solution parsers carry a GUID id`,
      `set id to a GUID, e.g. ${parserId(name)} (what otel-sentinel writes for ${name})`,
    ]);
  const keys = [
    ['FunctionName', file.functionName],
    ['FunctionAlias', file.functionAlias],
  ] as const;
  for (const [key, value] of keys)
    if (value !== name)
      problems.push([
        `${key} is ${JSON.stringify(value ?? null)}, not the ParserName ${name}: the solution packager deploys the function under FunctionName`,
        `set ${key}: ${name}`,
      ]);
  if (file.category === undefined)
    problems.push([
      'Category is missing; the solution packager reads it',
      'add Category: Microsoft Sentinel Parser',
    ]);
  if (file.functionQuery !== file.query)
    problems.push([
      'FunctionQuery differs from ParserQuery: the solution packager deploys FunctionQuery',
      'make FunctionQuery the same text as ParserQuery',
    ]);
  return problems;
}

/** The parser's identity: file and ParserName, schema, name form; the problem that stops the checks. */
function identity(file: ParserFile, base: string): { schema: AsimSchemaName; kind: ParserKind } | Problem {
  const name = file.parserName ?? '';
  if (name !== base)
    return [
      `ParserName is ${JSON.stringify(name)} but the file is ${base}.yaml`,
      `set ParserName: ${base}, or rename the file`,
    ];
  const schema = file.schema;
  if (!isSchema(schema))
    return [
      `Normalization.Schema ${JSON.stringify(schema ?? null)} is not one of ${ASIM_SCHEMA_NAMES.join(', ')}`,
      'set the ASIM schema the parser normalizes to',
    ];
  const kind = kindOfName(name, schema);
  if (kind === undefined)
    return [
      `${name} is not an ASIM parser name for ${schema} (vim${schema}<Vendor><Product>, ASim${schema}<Vendor><Product>, Im_${schema}Custom or ASim_${schema}Custom, letters and digits)`,
      'rename the parser and its file',
    ];
  return { schema, kind };
}

/** The names, schema and packager keys of one parser; the parser to check further, if it is one. */
function checkNames(ctx: AsimParsersContext, path: string, file: ParserFile): ParserUnderCheck | undefined {
  const base = path.slice(PARSERS_FOLDER.length + 1).replace(/\.ya?ml$/, '');
  const id = identity(file, base);
  if (Array.isArray(id)) {
    const [message, fix] = id as Problem;
    ctx.add(path, 'parser', message, fix);
    return undefined;
  }
  const { schema, kind } = id as { schema: AsimSchemaName; kind: ParserKind };
  for (const [message, fix] of packagerProblems(file, base, ctx.factsOf(schema).version, schema))
    ctx.add(path, 'parser', message, fix);
  return { path, file, name: base, schema, kind };
}

function paramText(p: FileParam | ParserParam): string {
  return `${p.name}:${p.type}=${p.default}`;
}

/** The parameters in order, with their types and defaults; `pack` may be left out by a source parser. */
function paramsProblem(
  found: readonly FileParam[],
  expected: readonly ParserParam[],
  packOptional: boolean,
): string | undefined {
  const want =
    packOptional && !found.some((f) => f.name === 'pack')
      ? expected.filter((p) => p.name !== 'pack')
      : expected;
  const same =
    found.length === want.length &&
    want.every((w, i) => {
      const f = found[i];
      return f !== undefined && f.name === w.name && f.type === w.type && sameDefault(f, w);
    });
  return same
    ? undefined
    : `parameters are (${found.map(paramText).join(', ')}); the schema's are (${want.map(paramText).join(', ')})`;
}

function checkParams(ctx: AsimParsersContext, p: ParserUnderCheck): void {
  const expected = parserParams(p.schema, p.kind);
  const packOptional = p.kind === 'filtering' || p.kind === 'parameterless';
  for (const [key, found] of [
    ['ParserParams', p.file.params],
    ['FunctionParams', p.file.functionParams],
  ] as const) {
    const problem = paramsProblem(found ?? [], expected, packOptional);
    if (problem !== undefined)
      ctx.add(
        p.path,
        'parser-params',
        `${key}: ${problem}`,
        `declare exactly ${p.schema}'s standard parameters for a ${p.kind} parser, in this order`,
      );
  }
}

/** Runs every parser check, reporting through `ctx.add`. */
export function checkAsimParsers(ctx: AsimParsersContext): void {
  const listed = listedFiles(ctx, PARSERS_LISTING, 'parsers');
  reportUnlisted(ctx, PARSERS_LISTING, 'parsers', listed);
  const parsers: ParserUnderCheck[] = [];
  for (const path of listed) {
    const full = join(ctx.dir, path);
    if (!existsSync(full)) {
      ctx.add(
        path,
        'required-file',
        `${path} is listed in ${ctx.solutionFile} but missing`,
        `create ${path} or remove it from the list`,
      );
      continue;
    }
    const reading = readParserFile(readFileSync(full, 'utf8'));
    if ('error' in reading) {
      ctx.add(path, 'parser', `${path} is not valid YAML: ${reading.error}`, 'fix the YAML syntax');
      continue;
    }
    // A parser in the packager's format only (no Normalization) is not an ASIM parser: not ours to judge.
    if (reading.file.parserName === undefined && reading.file.schema === undefined) continue;
    const p = checkNames(ctx, path, reading.file);
    if (p === undefined) continue;
    checkParams(ctx, p);
    parsers.push(p);
  }
  if (ctx.analyze !== undefined) for (const p of parsers) checkParserOutput(ctx, ctx.analyze, p, parsers);
}
