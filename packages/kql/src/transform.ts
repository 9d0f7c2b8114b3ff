// Compiles a DCR `transformKql` once into a function from an incoming stream row to a table row
// (or undefined when a `where` drops it), as the Logs Ingestion service applies it.

import type { ColumnDef, Row, RowTransform } from './model.js';
import { ticksFromDate } from './datetime.js';
import { KqlQueryError, UnsupportedKqlError } from './errors.js';
import { parseKql } from './kusto.js';
import { splitPipeline } from './pipeline.js';
import { compileRowOperator, ROW_OPERATORS, type RowStage } from './row-operators.js';
import { operatorKeyword, Reporter } from './syntax.js';
import {
  indexOfColumn,
  kqlTypeOf,
  type EvalContext,
  type KqlType,
  type Schema,
  type Tuple,
} from './types.js';
import { castTo, fromJson, INVALID, jsonHasType, toJsonValue } from './values.js';

/** Something the real service would silently do to a field, reported in `--strict` mode. */
export interface TransformIssue {
  readonly column: string;
  /** `not-declared`: dropped, not in the stream declaration or the table; `mistyped`: converted or nulled. */
  readonly problem: 'not-declared' | 'mistyped';
  readonly detail: string;
}

export type IssueListener = (issue: TransformIssue) => void;

/** A `RowTransform` that can also report what it dropped or converted. */
export type ReportingRowTransform = (row: Row, receivedAt: Date, onIssue?: IssueListener) => Row | undefined;

export interface TransformOptions {
  /** Receives every issue of every row, unless a call passes its own listener. Default: none. */
  readonly onIssue?: IssueListener;
}

interface OutputColumn {
  readonly name: string;
  readonly index: number;
  readonly from: KqlType;
  readonly to: KqlType;
}

function describe(value: unknown): string {
  const text = typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
  const shown = text.length > 40 ? `${text.slice(0, 37)}...` : text;
  return `${Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value} ${shown}`;
}

/**
 * Parses `kql` and compiles each of its operators against the stream schema `input`: the stages
 * and the schema they output. Throws `KqlQueryError` (with the line and column in the KQL) for a
 * parse error, an unsupported operator or function, or an unknown column.
 */
export function compileStages(kql: string, input: Schema): { stages: RowStage[]; schema: Schema } {
  const reporter = new Reporter(kql);
  const pipeline = splitPipeline(parseKql(kql), reporter);
  const firstLet = pipeline.lets[0];
  if (firstLet !== undefined) {
    throw reporter.unsupported(
      `let statements are not supported in DCR transforms (found '${reporter.snippet(firstLet)}')`,
      firstLet,
    );
  }
  if (pipeline.source !== 'source') {
    throw reporter.unsupported(`A transform reads 'source', not '${pipeline.source}'`, pipeline.sourceNode);
  }
  let schema = input;
  const stages = pipeline.operators.map((node) => {
    const stage = compileRowOperator(node, { schema, reporter, mode: 'transform' });
    if (stage === undefined) {
      throw reporter.unsupported(
        `Operator '${operatorKeyword(node)}' is not supported in DCR transforms ` +
          `(supported: ${ROW_OPERATORS.join(', ')})`,
        node,
      );
    }
    schema = stage.schema;
    return stage;
  });
  return { stages, schema };
}

/** `compileStages`, with a KQL error turned into `UnsupportedKqlError` naming the transform. */
function compileForTransform(kql: string, input: Schema): { stages: RowStage[]; schema: Schema } {
  try {
    return compileStages(kql, input);
  } catch (error: unknown) {
    if (error instanceof KqlQueryError) {
      throw new UnsupportedKqlError(
        `Cannot apply transformKql "${kql.replace(/\s+/g, ' ').trim()}": ${error.message}`,
      );
    }
    throw error;
  }
}

/** Reads a request row into a tuple of the stream's columns, each as its declared type. */
function readInput(row: Row, input: Schema, onIssue: IssueListener | undefined): Tuple {
  const tuple: Tuple = new Array<unknown>(input.length);
  for (let i = 0; i < input.length; i++) {
    const column = input[i];
    if (column === undefined) continue;
    const raw = row[column.name];
    const value = fromJson(raw, column.type);
    tuple[i] = value === INVALID ? null : value;
    if (onIssue !== undefined && !jsonHasType(raw, column.type)) {
      const outcome = value === INVALID ? 'stored as null' : 'converted';
      onIssue({
        column: column.name,
        problem: 'mistyped',
        detail: `declared ${column.type}, got ${describe(raw)}; ${outcome}`,
      });
    }
  }
  return tuple;
}

function reportUndeclared(row: Row, declared: ReadonlySet<string>, onIssue: IssueListener): void {
  for (const name of Object.keys(row)) {
    if (!declared.has(name)) {
      onIssue({ column: name, problem: 'not-declared', detail: 'not in the stream declaration; dropped' });
    }
  }
}

/** The table row: each output column converted to the table's type. */
function writeOutput(
  tuple: Tuple,
  columns: readonly OutputColumn[],
  onIssue: IssueListener | undefined,
): Row {
  const out: Row = {};
  for (const column of columns) {
    const value = tuple[column.index] ?? null;
    const typed = column.from === column.to ? value : castTo(value, column.from, column.to);
    if (typed === INVALID) {
      out[column.name] = null;
      onIssue?.({
        column: column.name,
        problem: 'mistyped',
        detail: `the transform gives ${column.from}, the table column is ${column.to}; stored as null`,
      });
    } else {
      out[column.name] = toJsonValue(typed, column.to);
    }
  }
  return out;
}

/** Reports the transform's non-empty values in columns the table lacks (the service drops them). */
function reportDropped(
  tuple: Tuple,
  extra: readonly { readonly name: string; readonly index: number }[],
  onIssue: IssueListener,
): void {
  for (const column of extra) {
    const value = tuple[column.index];
    if (value !== null && value !== undefined && value !== '') {
      onIssue({ column: column.name, problem: 'not-declared', detail: 'not a column of the table; dropped' });
    }
  }
}

/** The transform's output columns the table has (with their conversion), and those it lacks. */
function outputColumns(
  schema: Schema,
  output: readonly ColumnDef[],
): { columns: OutputColumn[]; extra: { name: string; index: number }[] } {
  const tableColumns = new Set(output.map((c) => c.name));
  const columns: OutputColumn[] = [];
  for (const column of output) {
    const index = indexOfColumn(schema, column.name);
    const from = schema[index]?.type;
    if (from !== undefined) columns.push({ name: column.name, index, from, to: kqlTypeOf(column.type) });
  }
  const extra = schema.map((c, index) => ({ name: c.name, index })).filter((c) => !tableColumns.has(c.name));
  return { columns, extra };
}

/**
 * Compiles `kql` for rows of the stream declaration `input` going into a table with columns
 * `output`. Throws `UnsupportedKqlError` (naming the operator or function and its line and column)
 * for anything the emulator cannot apply faithfully, so a DCR never silently passes rows through.
 *
 * The returned function: drops fields not in `input` (as the service does), reads each field as
 * its declared type, runs the transform, keeps only the columns of `output` and gives each the
 * table's type (datetimes as `2026-11-23T08:15:30.1234567Z`, dynamic as JSON). Its optional third
 * argument (or `options.onIssue`) hears about every dropped or mistyped field.
 */
export function compileTransform(
  kql: string,
  input: readonly ColumnDef[],
  output: readonly ColumnDef[],
  options: TransformOptions = {},
): ReportingRowTransform {
  const inputSchema: Schema = input.map((c) => ({ name: c.name, type: kqlTypeOf(c.type) }));
  const { stages, schema } = compileForTransform(kql, inputSchema);
  const declared = new Set(input.map((c) => c.name));
  const { columns, extra } = outputColumns(schema, output);
  const defaultListener = options.onIssue;

  let lastTime = Number.NaN;
  let ctx: EvalContext = { now: 0n };

  const transform: ReportingRowTransform = (row, receivedAt, onIssue = defaultListener) => {
    const time = receivedAt.getTime();
    if (time !== lastTime) {
      lastTime = time;
      ctx = { now: ticksFromDate(receivedAt) };
    }
    let tuple = readInput(row, inputSchema, onIssue);
    if (onIssue !== undefined) reportUndeclared(row, declared, onIssue);
    for (const stage of stages) {
      const next = stage.apply(tuple, ctx);
      if (next === undefined) return undefined;
      tuple = next;
    }
    const out = writeOutput(tuple, columns, onIssue);
    if (onIssue !== undefined) reportDropped(tuple, extra, onIssue);
    return out;
  };
  return transform satisfies RowTransform;
}
