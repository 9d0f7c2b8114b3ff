// Infers a starter mapping from sample events (`otel-sentinel init`): which keys are record fields,
// which are attributes, and the valid, typed column each becomes. Pure: the CLI does the I/O.

import { isCustomStreamName, isCustomTableName } from './azure-limits.js';
import { assignNames } from './infer/column-names.js';
import { foldColumns } from './infer/fold-columns.js';
import { InferError } from './infer/infer-error.js';
import { planColumns } from './infer/plan-columns.js';
import type { Settings } from './infer/plan-columns.js';
import { literal } from './infer/planned-column.js';
import { asimRoleOf } from './infer/asim-roles.js';
import type { Planned } from './infer/planned-column.js';
import { starterSolution } from './infer/starter-solution.js';
import { describeKind, isRecord, show } from './infer/values.js';
import type { ColumnType } from './types.js';
import { DEFAULT_SECURITY_ATTRIBUTE } from './types.js';

export { InferError } from './infer/infer-error.js';
export { parseSampleText } from './infer/sample-text.js';

/** Options of {@link inferMapping}; every field is optional. */
export interface InferOptions {
  /**
   * Destination custom table: a letter, then letters, digits or `_`, ending with `_CL`
   * (4–63 characters). Default `SecurityEvents_CL`. Example: `AppSecurityEvents_CL`.
   */
  table?: string | undefined;
  /**
   * DCR input stream: `Custom-` then letters, digits, `_`, `.` or `-`. Default `Custom-` plus the
   * table name without `_CL`. Example: `Custom-AppSecurityEvents`.
   */
  stream?: string | undefined;
  /**
   * The record attribute that flags security events; a sample key by this name is not mapped.
   * Default `security.event`. Example: `app.security`.
   */
  securityAttribute?: string | undefined;
}

/** One inferred column, in the order the mapping lists them. */
export interface InferredColumn {
  name: string;
  /** The source as the file writes it: keys are escaped, and `${` is written `$${`. */
  from: string | string[] | { const: unknown };
  type: ColumnType;
  required?: boolean;
  transform?: string;
  exclude?: string[];
  /** Why the column looks the way it does; rendered as a YAML comment. */
  note?: string;
  /** The ASIM field the column plays, when its source is one ASIM has a field for (`asim:`). */
  asim?: string;
}

export interface InferredMapping {
  /** The mapping as plain data, valid per the format in README.md. */
  document: Record<string, unknown>;
  columns: InferredColumn[];
  /** Lines for the CLI to print on stderr: what to change in the app and what to review. */
  notes: string[];
}

/**
 * A starter mapping from sample events: one catch-all stream to `options.table`
 * (default `SecurityEvents_CL`), TimeGenerated and EventName first, then a column per sample key
 * in sample order, and a `solution:` section for the connector with stand-in publisher values.
 * Throws `InferError` when there is no sample, a sample is not a JSON object, or an option is
 * invalid.
 */
export function inferMapping(samples: readonly unknown[], options: InferOptions = {}): InferredMapping {
  const settings = settingsOf(options);
  if (samples.length === 0) {
    throw new InferError(
      'no sample events: give at least one JSON object shaped like the events your app logs',
    );
  }
  const objects = samples.map((s, i) => {
    if (!isRecord(s))
      throw new InferError(`sample ${i + 1} is ${describeKind(s)}, not a JSON object (one event)`);
    return s;
  });
  const plan = planColumns(objects, settings);
  const excluded = [
    settings.securityAttribute,
    ...plan.columns.flatMap((c) =>
      c.transform !== undefined && c.attribute !== undefined ? [c.attribute] : [],
    ),
    ...plan.secrets,
  ];
  const planned = foldColumns(plan.columns, excluded, plan.notes);
  assignNames(planned);
  const columns = planned.map(toColumn);
  const document: Record<string, unknown> = {
    version: 1,
    securityAttribute: literal(settings.securityAttribute),
    endpoint: '${SENTINEL_DCE_ENDPOINT}',
    dcrImmutableId: '${SENTINEL_DCR_IMMUTABLE_ID}',
    streams: [
      {
        stream: settings.stream,
        table: settings.table,
        columns: Object.fromEntries(columns.map((c) => [c.name, columnDocument(c)])),
      },
    ],
    solution: starterSolution(settings.table),
  };
  const notes = [
    `Inferred ${columns.length} columns for ${settings.table} from ${objects.length} sample event${objects.length === 1 ? '' : 's'}.`,
    ...plan.notes,
  ];
  return { document, columns, notes };
}

function settingsOf(options: InferOptions): Settings {
  const table = options.table ?? 'SecurityEvents_CL';
  if (!isCustomTableName(table) || table.length < 4 || table.length > 63) {
    throw new InferError(
      `table ${show(table)} is not a custom table name: use 4–63 letters, digits or _, starting with a letter and ending with _CL (e.g. AppSecurityEvents_CL)`,
    );
  }
  const stream = options.stream ?? `Custom-${table.slice(0, -3)}`;
  if (!isCustomStreamName(stream)) {
    throw new InferError(
      `stream ${show(stream)} must be "Custom-" followed by letters, digits, _ . or - (e.g. Custom-AppSecurityEvents)`,
    );
  }
  const securityAttribute = options.securityAttribute ?? DEFAULT_SECURITY_ATTRIBUTE;
  if (securityAttribute === '')
    throw new InferError('securityAttribute is empty; name the attribute that flags security events');
  return { table, stream, securityAttribute };
}

function toColumn(p: Planned): InferredColumn {
  const note = p.notes.join('; ');
  const asim = asimRoleOf(p.from, p.type);
  return {
    name: p.name,
    from: p.from,
    type: p.type,
    ...(p.required === true ? { required: true } : {}),
    ...(p.transform !== undefined ? { transform: p.transform } : {}),
    ...(p.exclude !== undefined ? { exclude: p.exclude } : {}),
    ...(note !== '' ? { note } : {}),
    ...(asim !== undefined ? { asim } : {}),
  };
}

/** The column as the mapping file writes it: TimeGenerated from timestamp needs no type. */
function columnDocument(c: InferredColumn): Record<string, unknown> {
  if (c.name === 'TimeGenerated' && c.from === 'timestamp') return { from: 'timestamp' };
  return {
    from: c.from,
    type: c.type,
    ...(c.required === true ? { required: true } : {}),
    ...(c.transform !== undefined ? { transform: c.transform } : {}),
    ...(c.exclude !== undefined && c.exclude.length > 0 ? { exclude: c.exclude } : {}),
    ...(c.asim !== undefined ? { asim: c.asim } : {}),
  };
}
