// What happens to the rows of one stream: keep the declared columns (typed), truncate long
// fields, run each data flow's transform, and batch the output per table. Compiled once per
// stream at start-up; per row it is straight-line code over arrays.

import { truncateUtf8, utf8ByteLength } from '@otel-sentinel/mapping';
import type { ColumnType, Row, RowTransform, TableDef } from '../model.js';
import { isoDateTime } from '../store/column-codec.js';
import type { ErrorDetail } from './error-responses.js';
import { convertTo, hasType, jsonKind } from './field-type.js';

/** Strict mode lists at most this many problems in one response (and counts the rest). */
const MAX_DETAILS = 100;

export interface CompiledFlow {
  readonly transform: RowTransform;
  readonly table: TableDef;
  readonly tableColumns: ReadonlySet<string>;
  readonly hasTimeGenerated: boolean;
}

export interface CompiledStream {
  readonly name: string;
  readonly names: readonly string[];
  readonly types: readonly ColumnType[];
  readonly declared: ReadonlySet<string>;
  readonly flows: readonly CompiledFlow[];
}

export interface StreamRun {
  /** Output rows per table. */
  readonly batches: Map<string, Row[]>;
  /** Output rows in all. */
  rows: number;
  /** Input rows a transform's `where` removed. */
  filtered: number;
  dropped: number;
  mistyped: number;
  truncated: number;
  /** Strict mode: the first problems, and how many there were. */
  readonly issues: ErrorDetail[];
  issueCount: number;
}

export interface RunOptions {
  readonly maxFieldBytes: number;
  /** False when the whole body is within `maxFieldBytes`, so no field can be over it. */
  readonly checkSizes: boolean;
  readonly strict: boolean;
}

export function compileStream(
  name: string,
  columns: readonly { readonly name: string; readonly type: ColumnType }[],
  flows: readonly { readonly transform: RowTransform; readonly table: TableDef }[],
): CompiledStream {
  return {
    name,
    names: columns.map((c) => c.name),
    types: columns.map((c) => c.type),
    declared: new Set(columns.map((c) => c.name)),
    flows: flows.map((f) => ({
      transform: f.transform,
      table: f.table,
      tableColumns: new Set(f.table.columns.map((c) => c.name)),
      hasTimeGenerated: f.table.columns.some((c) => c.name === 'TimeGenerated'),
    })),
  };
}

export function runStream(
  stream: CompiledStream,
  items: readonly Record<string, unknown>[],
  receivedAt: Date,
  options: RunOptions,
): StreamRun {
  const run: StreamRun = {
    batches: new Map(stream.flows.map((f) => [f.table.name, []])),
    rows: 0,
    filtered: 0,
    dropped: 0,
    mistyped: 0,
    truncated: 0,
    issues: [],
    issueCount: 0,
  };
  const { names, types, declared, flows } = stream;
  const received = isoDateTime(receivedAt);
  for (let i = 0; i < items.length; i++) {
    const input = items[i];
    if (input === undefined) continue;
    const row: Row = {};
    for (let c = 0; c < names.length; c++) {
      const name = names[c];
      const type = types[c];
      if (name === undefined || type === undefined || !Object.hasOwn(input, name)) continue;
      let value = input[name];
      if (value !== null && !hasType(type, value)) {
        const converted = convertTo(type, value);
        run.mistyped++;
        if (options.strict) {
          issue(run, {
            code: 'MistypedField',
            target: `[${i}].${name}`,
            message: `item [${i}] field '${name}' is declared ${type} but is a JSON ${jsonKind(value)}; the emulator ${converted === null ? 'stores null' : `converts it to ${type}`}`,
          });
        }
        value = converted;
      }
      if (options.checkSizes) value = truncated(value, options.maxFieldBytes, run);
      row[name] = value;
    }
    for (const key in input) {
      if (declared.has(key)) continue;
      run.dropped++;
      if (options.strict) {
        issue(run, {
          code: 'UndeclaredField',
          target: `[${i}].${key}`,
          message: `item [${i}] field '${key}' is not declared in stream '${stream.name}'; the service drops it`,
        });
      }
    }
    for (const flow of flows) {
      const out = flow.transform(flows.length > 1 ? { ...row } : row, receivedAt);
      if (out === undefined) {
        run.filtered++;
        continue;
      }
      // The service fills a missing TimeGenerated with the time it received the row.
      if (flow.hasTimeGenerated && (out.TimeGenerated === undefined || out.TimeGenerated === null)) {
        out.TimeGenerated = received;
      }
      if (options.strict) notInTable(run, flow, out, i);
      run.batches.get(flow.table.name)?.push(out);
      run.rows++;
    }
  }
  return run;
}

/** A string (or a dynamic value's JSON) over the limit, cut on a code-point boundary. */
function truncated(value: unknown, maxBytes: number, run: StreamRun): unknown {
  if (typeof value === 'string') {
    const cut = truncateUtf8(value, maxBytes);
    if (cut.length !== value.length) run.truncated++;
    return cut;
  }
  if (typeof value === 'object' && value !== null) {
    const text = JSON.stringify(value);
    if (text.length * 3 <= maxBytes || utf8ByteLength(text) <= maxBytes) return value;
    run.truncated++;
    return truncateUtf8(text, maxBytes);
  }
  return value;
}

function notInTable(run: StreamRun, flow: CompiledFlow, out: Row, i: number): void {
  for (const key in out) {
    if (flow.tableColumns.has(key)) continue;
    issue(run, {
      code: 'NotInTable',
      target: `[${i}].${key}`,
      message: `item [${i}]: the transform's output column '${key}' is not a column of table ${flow.table.name}; the service drops it`,
    });
  }
}

function issue(run: StreamRun, detail: ErrorDetail): void {
  run.issueCount++;
  if (run.issues.length < MAX_DETAILS) run.issues.push(detail);
}
