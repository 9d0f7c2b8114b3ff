// The checklist's rules on a DCR's data flows: each goes to a table of the connector, from
// declared streams whose columns fit the table (as they are, or through a checked transform).

import { COLUMN_TYPES, CUSTOM_STREAM_PREFIX } from '@otel-sentinel/mapping';
import type { ColumnType, StreamColumnType } from '@otel-sentinel/mapping';
import { arr, columns, obj, text } from './solution-checker.js';
import type { Checker, Column, Obj } from './solution-checker.js';

const SOURCE_FIRST = /^(?:\s|\/\/[^\n]*(?:\n|$))*source(?!\w)/;

/** Checks every data flow of a DCR against its stream declarations and the connector's tables. */
export function checkDataFlows(
  c: Checker,
  dcrFile: string,
  dataFlows: unknown,
  decls: Obj,
  tables: ReadonlyMap<string, readonly Column[]>,
): void {
  for (const flow of arr(dataFlows)) {
    const f = obj(flow);
    const out = text(f.outputStream) ?? '';
    const table = out.startsWith(CUSTOM_STREAM_PREFIX) ? out.slice(CUSTOM_STREAM_PREFIX.length) : undefined;
    const tableCols = table === undefined ? undefined : tables.get(table);
    if (table === undefined || tableCols === undefined) {
      c.add(
        dcrFile,
        'output-stream',
        `outputStream "${out}" is not Custom-<table> for a table in the connector's table files`,
        `set it to one of ${[...tables.keys()].map((t) => `"Custom-${t}"`).join(', ')}`,
      );
      continue;
    }
    const transform = text(f.transformKql) ?? 'source';
    for (const s of arr(f.streams))
      checkFlowStream(c, dcrFile, text(s) ?? '', decls, transform, table, tableCols);
  }
}

/** One input stream of a flow: declared, and fitting the table through the flow's transform. */
function checkFlowStream(
  c: Checker,
  dcrFile: string,
  name: string,
  decls: Obj,
  transform: string,
  table: string,
  tableCols: readonly Column[],
): void {
  const decl = decls[name];
  if (decl === undefined) {
    c.add(
      dcrFile,
      'stream-name',
      `data flow stream "${name}" is not declared in streamDeclarations`,
      'declare it or fix the name',
    );
    return;
  }
  // Only a pass-through transform requires the declaration to equal the table.
  if (transform.trim() === 'source')
    checkColumnsMatch(c, dcrFile, name, columns(obj(decl).columns), table, tableCols);
  else checkTransform(c, dcrFile, transform, name, columns(obj(decl).columns), table, tableCols);
}

function checkTransform(
  c: Checker,
  file: string,
  kql: string,
  stream: string,
  declared: readonly Column[],
  table: string,
  tableCols: readonly Column[],
): void {
  const fix = `fix the transformKql of the data flow from ${stream}`;
  if (!SOURCE_FIRST.test(kql)) {
    c.add(file, 'transform', `the transform of ${stream} does not read "source" first`, fix);
    return;
  }
  const check = c.options.checkTransform;
  if (check === undefined) return;
  let messages: readonly string[];
  try {
    messages = check(kql, {
      stream,
      table,
      // Columns of unknown types are reported by the column-type rule, not passed on.
      streamColumns: declared.filter(hasStreamType),
      tableColumns: tableCols.filter(hasColumnType),
    });
  } catch (error: unknown) {
    messages = [`the transform checker failed: ${error instanceof Error ? error.message : String(error)}`];
  }
  for (const message of messages) c.add(file, 'transform', `${stream}: ${message}`, fix);
}

const TYPES = new Set<string>(COLUMN_TYPES);

interface Typed<T extends string> {
  readonly name: string;
  readonly type: T;
}
export function isColumnType(type: string): type is ColumnType {
  return TYPES.has(type);
}
export function isStreamType(type: string): type is StreamColumnType {
  return type !== 'guid' && TYPES.has(type);
}
function hasColumnType(col: Column): col is Typed<ColumnType> {
  return isColumnType(col.type);
}
function hasStreamType(col: Column): col is Typed<StreamColumnType> {
  return isStreamType(col.type);
}

function checkColumnsMatch(
  c: Checker,
  file: string,
  stream: string,
  declared: readonly Column[],
  table: string,
  tableCols: readonly Column[],
): void {
  const want = new Map(tableCols.map((col) => [col.name, col.type === 'guid' ? 'string' : col.type]));
  const got = new Map(declared.map((col) => [col.name, col.type]));
  for (const [name, type] of want) {
    const g = got.get(name);
    if (g === undefined)
      c.add(
        file,
        'stream-columns',
        `stream "${stream}" lacks column "${name}" of table ${table}`,
        `declare { "name": "${name}", "type": "${type}" }`,
      );
    else if (g !== type)
      c.add(
        file,
        'stream-columns',
        `stream "${stream}" declares "${name}" as ${g}, table ${table} has ${type}`,
        `declare it as "${type}" (guid columns are declared as string)`,
      );
  }
  for (const name of got.keys())
    if (!want.has(name))
      c.add(
        file,
        'stream-columns',
        `stream "${stream}" declares "${name}", which table ${table} does not have`,
        'add the column to the table or drop it from the stream',
      );
}
