// The deep checks of an ASIM parser, with Microsoft's analyzer: the query analyses without errors
// against the solution's tables, and the columns it returns hold every field its schema requires
// (mandatory fields, aliases of present fields, `*Type` companions) with the schema's types.

import { COLUMN_TYPES } from '@otel-sentinel/mapping';
import type { ColumnType } from '@otel-sentinel/mapping';
import { paramsText, parserParams } from './asim-parser-params.js';
import type { AsimParsersContext, ParserUnderCheck } from './check-asim-parsers.js';

/** A table as the analyzer is told about it. */
export interface AnalyzerTable {
  /** e.g. `AppAuthEvents_CL`. */
  readonly name: string;
  /** Its declared columns and the ones every table has (`Type`, `TenantId`, `_ResourceId`). */
  readonly columns: readonly { readonly name: string; readonly type: ColumnType }[];
}

/** What the analyzer returns (the shape of `@otel-sentinel/kql`'s `KqlAnalysis`). */
export interface AnalyzerResult {
  /** What the analyzer reports; only `Error` fails a check. */
  readonly diagnostics: readonly {
    readonly severity: string;
    readonly code: string;
    readonly message: string;
    readonly position: { readonly line: number; readonly column: number };
  }[];
  /** The columns the query returns, with Kusto type names. */
  readonly columns: readonly { readonly name: string; readonly type: string }[];
}

/** Analyses KQL as the service would in a database holding `tables` (`analyzeKql` of `@otel-sentinel/kql`). */
export type KqlAnalyzer = (text: string, tables: readonly AnalyzerTable[]) => AnalyzerResult;

/** Columns every Log Analytics table has besides the declared ones. */
const SYSTEM_COLUMNS = [
  { name: 'Type', type: 'string' },
  { name: 'TenantId', type: 'string' },
  { name: '_ResourceId', type: 'string' },
] as const;

function isColumnType(t: string): t is ColumnType {
  return (COLUMN_TYPES as readonly string[]).includes(t);
}

function analyzerTables(ctx: AsimParsersContext): AnalyzerTable[] {
  return ctx.tables.map((t) => {
    const columns = t.columns.map((c) => ({ name: c.name, type: isColumnType(c.type) ? c.type : 'string' }));
    const names = new Set(columns.map((c) => c.name));
    return { name: t.name, columns: [...columns, ...SYSTEM_COLUMNS.filter((c) => !names.has(c.name))] };
  });
}

function letFunction(p: ParserUnderCheck): string {
  return `let ${p.name} = (${paramsText(parserParams(p.schema, p.kind))}) {\n${p.file.query ?? ''}\n};\n`;
}

/** The text analysed: the parsers the query calls as `let` functions, then the parser, called. */
function analysisText(
  p: ParserUnderCheck,
  all: readonly ParserUnderCheck[],
): { text: string; offset: number } {
  const query = p.file.query ?? '';
  const called = all.filter((o) => o !== p && new RegExp(`\\b${o.name}\\s*\\(`).test(query));
  const before = called.map(letFunction).join('');
  const self = letFunction(p);
  // The query's first line is the line after `let <name> = (…) {`.
  const offset = before.split('\n').length;
  return { text: `${before}${self}${p.name}()`, offset };
}

function fileLocation(p: ParserUnderCheck, line: number, column: number, offset: number): string {
  const queryLine = line - offset;
  if (p.file.queryLine === undefined) return `${p.path} (ParserQuery line ${queryLine}, column ${column})`;
  // The block scalar is indented by two spaces.
  return `${p.path}:${p.file.queryLine + queryLine - 1}:${column + 2}`;
}

function sameType(schemaType: string, found: string): boolean {
  return schemaType === found || (schemaType === 'bool' && found === 'boolean');
}

function fieldProblems(
  ctx: AsimParsersContext,
  p: ParserUnderCheck,
  columns: AnalyzerResult['columns'],
): string[] {
  const facts = ctx.factsOf(p.schema);
  const out = new Map(columns.map((c) => [c.name, c.type]));
  const problems: string[] = [];
  for (const f of facts.fields) {
    const found = out.get(f.name);
    if (found !== undefined) {
      if (!sameType(f.type, found)) problems.push(`${f.name} is ${found}; ${p.schema} types it ${f.type}`);
      continue;
    }
    if (f.class === 'Mandatory')
      problems.push(`the output has no ${f.name} (${f.type}), a Mandatory field of ${p.schema}`);
    else if (f.class === 'Alias' && f.aliasOf !== undefined && out.has(f.aliasOf))
      problems.push(`the output has ${f.aliasOf} but not its alias ${f.name}`);
    else if (f.class === 'Conditional' && f.parent !== undefined && out.has(f.parent))
      problems.push(`the output has ${f.parent} but not ${f.name}, which ${p.schema} requires with it`);
  }
  return problems;
}

/** Analyses one parser and checks the columns it returns. */
export function checkParserOutput(
  ctx: AsimParsersContext,
  analyze: KqlAnalyzer,
  p: ParserUnderCheck,
  all: readonly ParserUnderCheck[],
): void {
  const { text, offset } = analysisText(p, all);
  const result = analyze(text, analyzerTables(ctx));
  const errors = result.diagnostics.filter((d) => d.severity === 'Error');
  for (const d of errors)
    ctx.add(
      p.path,
      'parser-query',
      `${fileLocation(p, d.position.line, d.position.column, offset)}: ${d.code} ${d.message}`,
      `fix the query; it must analyse clean against the solution's tables (${ctx.tables.map((t) => t.name).join(', ') || 'none found'})`,
    );
  if (errors.length > 0) return;
  for (const problem of fieldProblems(ctx, p, result.columns))
    ctx.add(
      p.path,
      'parser-fields',
      `${p.name}: ${problem}`,
      `extend the field in the query with ${p.schema}'s type (see https://aka.ms/ASim${p.schema}Doc)`,
    );
}
