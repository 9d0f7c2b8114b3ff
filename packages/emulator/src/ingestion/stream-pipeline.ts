// What happens to the rows of one stream: keep the declared columns (typed), truncate long
// fields, run each data flow's transform, and batch the output per table. Compiled once per
// stream at start-up; per row it is straight-line code over arrays.

import { parseIsoDateTime, stringifyExactJson, ticksFromDate, TICKS_PER_DAY } from '@otel-sentinel/kql';
import type { ColumnType, Row, RowTransform, TableDef } from '../model.js';
import { isoDateTime } from '../store/column-codec.js';
import type { ErrorDetail } from './error-responses.js';
import type { ValueIssue } from './field-type.js';
import { checkValue, jsonKind } from './field-type.js';
import { ValueCounts } from './value-counts.js';

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
  /** TimeGenerated values replaced with the time received. */
  timeReplaced: number;
  /** Every value not stored as sent, per table (or stream), column and reason. */
  readonly values: ValueCounts;
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

/** The service keeps a TimeGenerated from 2 days before to 1 day after it received the row. */
const OLDEST_TICKS = 2n * TICKS_PER_DAY;
const NEWEST_TICKS = TICKS_PER_DAY;

/** The `code` of a strict-mode detail, per reason. */
const ISSUE_CODE: Readonly<Record<ValueIssue, string>> = {
  converted: 'MistypedField',
  'type-mismatch': 'MistypedField',
  'out-of-range': 'OutOfRangeField',
  truncated: 'TruncatedField',
  undeclared: 'UndeclaredField',
  'not-in-table': 'NotInTable',
  'time-replaced': 'TimeGeneratedReplaced',
};

/** What happens to the value; "the service" where Microsoft documents it, else "the emulator". */
const ISSUE_TEXT: Readonly<Record<ValueIssue, string>> = {
  converted: 'the emulator converts it',
  'type-mismatch': 'the emulator stores null (type mismatch)',
  'out-of-range': "the emulator stores null (out of the type's range)",
  truncated: 'the service truncates it',
  undeclared: 'the service drops it',
  'not-in-table': 'the service drops it',
  'time-replaced': 'the service replaces it with the time received',
};

/** What every row of one call shares: the stream, the run it adds to, and the time received. */
interface RunContext {
  readonly stream: CompiledStream;
  readonly run: StreamRun;
  readonly options: RunOptions;
  readonly receivedAt: Date;
  readonly received: string;
  readonly receivedTicks: bigint;
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
    timeReplaced: 0,
    values: new ValueCounts(),
    issues: [],
    issueCount: 0,
  };
  const ctx: RunContext = {
    stream,
    run,
    options,
    receivedAt,
    received: isoDateTime(receivedAt),
    receivedTicks: ticksFromDate(receivedAt),
  };
  for (let i = 0; i < items.length; i++) {
    const input = items[i];
    if (input === undefined) continue;
    const row = declaredRow(ctx, input, i);
    for (const flow of stream.flows) runFlow(ctx, flow, row, i);
  }
  return run;
}

/** The item's declared columns, typed and size-checked; its undeclared fields counted as dropped. */
function declaredRow(ctx: RunContext, input: Record<string, unknown>, i: number): Row {
  const { stream, run, options } = ctx;
  const { names, types, declared } = stream;
  const row: Row = {};
  for (let c = 0; c < names.length; c++) {
    const name = names[c];
    const type = types[c];
    if (name === undefined || type === undefined || !Object.hasOwn(input, name)) continue;
    let value = input[name];
    if (value !== null && value !== undefined) {
      const checked = checkValue(type, value);
      if (checked.issue !== undefined) {
        run.mistyped++;
        note(
          run,
          stream.name,
          name,
          checked.issue,
          options,
          i,
          `declared ${type} but is a JSON ${jsonKind(value)}`,
        );
      }
      value = checked.value;
    }
    if (options.checkSizes)
      value = truncated(value, options.maxFieldBytes, run, stream.name, name, options, i);
    row[name] = value;
  }
  for (const key in input) {
    if (declared.has(key)) continue;
    run.dropped++;
    note(run, stream.name, key, 'undeclared', options, i, `is not declared in stream '${stream.name}'`);
  }
  return row;
}

/** One data flow's transform over the row, its TimeGenerated settled, into its table's batch. */
function runFlow(ctx: RunContext, flow: CompiledFlow, row: Row, i: number): void {
  const { run, options } = ctx;
  const flows = ctx.stream.flows;
  const out = flow.transform(flows.length > 1 ? { ...row } : row, ctx.receivedAt);
  if (out === undefined) {
    run.filtered++;
    return;
  }
  if (flow.hasTimeGenerated) settleTimeGenerated(ctx, flow, out, i);
  for (const key in out) {
    if (flow.tableColumns.has(key)) continue;
    note(
      run,
      flow.table.name,
      key,
      'not-in-table',
      options,
      i,
      `is a transform output column that table ${flow.table.name} does not have`,
    );
  }
  run.batches.get(flow.table.name)?.push(out);
  run.rows++;
}

/**
 * The service fills a missing TimeGenerated, and replaces one out of its window, with the time it
 * received the row (learn.microsoft.com, "Standard columns in Azure Monitor Logs").
 */
function settleTimeGenerated(ctx: RunContext, flow: CompiledFlow, out: Row, i: number): void {
  const t = out.TimeGenerated;
  if (t === undefined || t === null) out.TimeGenerated = ctx.received;
  else if (outOfWindow(t, ctx.receivedTicks)) {
    out.TimeGenerated = ctx.received;
    ctx.run.timeReplaced++;
    note(
      ctx.run,
      flow.table.name,
      'TimeGenerated',
      'time-replaced',
      ctx.options,
      i,
      'is more than 2 days old or 1 day ahead',
    );
  }
}

function outOfWindow(value: unknown, receivedTicks: bigint): boolean {
  const ticks = typeof value === 'string' ? parseIsoDateTime(value) : undefined;
  if (ticks === undefined) return false;
  return ticks < receivedTicks - OLDEST_TICKS || ticks > receivedTicks + NEWEST_TICKS;
}

/** Counts one value not stored as sent and, in strict mode, lists it. */
function note(
  run: StreamRun,
  table: string,
  column: string,
  reason: ValueIssue,
  options: RunOptions,
  item: number,
  what: string,
): void {
  run.values.add(table, column, reason);
  if (!options.strict) return;
  run.issueCount++;
  if (run.issues.length >= MAX_DETAILS) return;
  run.issues.push({
    code: ISSUE_CODE[reason],
    target: `[${item}].${column}`,
    message: `item [${item}] field '${column}' ${what}; ${ISSUE_TEXT[reason]}`,
  });
}

/** A string (or a dynamic value's JSON) over the limit, cut on a code-point boundary. */
function truncated(
  value: unknown,
  maxBytes: number,
  run: StreamRun,
  stream: string,
  column: string,
  options: RunOptions,
  item: number,
): unknown {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'object' && value !== null) text = stringifyExactJson(value) ?? '';
  else return value;
  if (text.length * 3 <= maxBytes || Buffer.byteLength(text, 'utf8') <= maxBytes) return value;
  run.truncated++;
  note(run, stream, column, 'truncated', options, item, `is over ${maxBytes} bytes`);
  return truncateUtf8(text, maxBytes);
}

/** The longest prefix of `text` of at most `maxBytes` UTF-8 bytes that ends on a code point. */
export function truncateUtf8(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  let end = maxBytes;
  // Step back over continuation bytes (10xxxxxx) to the start of the cut code point.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString('utf8');
}
