// Reads the two resource types the emulator serves out of their Azure JSON: a workspace table
// (its name and columns) and a data collection rule (its stream declarations and data flows).
// Each problem is a `CatalogError` naming the file, the JSON path and what to change.

import { COLUMN_TYPES, CUSTOM_STREAM_PREFIX } from '@otel-sentinel/mapping';
import type { ColumnDef, ColumnType } from '../model.js';
import { CatalogError } from './catalog-error.js';
import { isRecord, jsonPath, type FoundResource } from './read-definitions.js';

export const TABLE_TYPE = 'microsoft.operationalinsights/workspaces/tables';
export const DCR_TYPE = 'microsoft.insights/datacollectionrules';

export type StreamColumnType = Exclude<ColumnType, 'guid'>;

export interface StreamColumn {
  readonly name: string;
  readonly type: StreamColumnType;
}

export interface ParsedTable {
  readonly name: string;
  readonly columns: readonly ColumnDef[];
  readonly file: string;
  readonly path: string;
}

/** One output of a data flow, per input stream: `streams × outputStream`. */
export interface ParsedFlow {
  readonly stream: string;
  /** The `Custom-` output stream without its prefix: the table the rows go to. */
  readonly outputTable: string;
  readonly transformKql: string;
  /** JSONPath of the data flow, for messages. */
  readonly path: string;
}

export interface ParsedDcr {
  /** The resource `name` as written: an ARM expression stays one. */
  readonly name: string;
  readonly file: string;
  readonly path: string;
  readonly streams: ReadonlyMap<string, readonly StreamColumn[]>;
  readonly flows: readonly ParsedFlow[];
}

const TABLE_COLUMN_TYPES: readonly ColumnType[] = COLUMN_TYPES;
const STREAM_COLUMN_TYPES: readonly StreamColumnType[] = COLUMN_TYPES.filter(
  (t): t is StreamColumnType => t !== 'guid',
);

/** A place in a file, and how to fail there. */
class Where {
  constructor(
    readonly file: string,
    readonly path: string,
  ) {}

  at(...segments: readonly (string | number)[]): Where {
    return new Where(this.file, jsonPath(this.path, ...segments));
  }

  fail(message: string): never {
    throw new CatalogError('E_DEFINITIONS', `${this.file}, ${this.path}: ${message}`);
  }
}

/** `[concat(…)]`, `[parameters('x')]`: evaluated by ARM at deployment, not by the emulator (`[[` escapes). */
export function isArmExpression(value: string): boolean {
  return value.startsWith('[') && !value.startsWith('[[') && value.endsWith(']');
}

/** A JSON value for a message: short, and `nothing` for a missing one. */
function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** A literal, non-empty string at `where`, or a failure saying what `what` should be. */
function literal(value: unknown, where: Where, what: string): string {
  if (typeof value !== 'string' || value === '') where.fail(`expected ${what}, found ${shown(value)}`);
  if (isArmExpression(value)) {
    where.fail(`${value} is an ARM expression, which the emulator does not evaluate: write ${what} itself`);
  }
  return value;
}

function record(value: unknown, where: Where, what: string): Readonly<Record<string, unknown>> {
  if (!isRecord(value)) where.fail(`expected ${what} (an object), found ${shown(value)}`);
  return value;
}

function list(value: unknown, where: Where, what: string): readonly unknown[] {
  if (!Array.isArray(value)) where.fail(`expected ${what} (an array), found ${shown(value)}`);
  return value;
}

function columns<T extends ColumnType>(
  value: unknown,
  where: Where,
  allowed: readonly T[],
  of: string,
): { name: string; type: T }[] {
  const out: { name: string; type: T }[] = [];
  const seen = new Set<string>();
  for (const [i, item] of list(value, where, `the columns of ${of}`).entries()) {
    const at = where.at(i);
    const column = record(item, at, 'a column { "name": …, "type": … }');
    const name = literal(column.name, at.at('name'), 'the column name');
    const typeAt: Where = at.at('type');
    const written = literal(column.type, typeAt, 'the column type');
    const type = allowed.find((t) => t === written.toLowerCase());
    if (type === undefined) {
      const guid =
        written.toLowerCase() === 'guid'
          ? '; a stream declares a guid as string (the table column may be guid)'
          : '';
      typeAt.fail(`unknown column type "${written}" for ${name}; ${of} takes ${allowed.join(', ')}${guid}`);
    }
    if (seen.has(name.toLowerCase())) at.at('name').fail(`${of} declares the column ${name} twice; keep one`);
    seen.add(name.toLowerCase());
    out.push({ name, type });
  }
  return out;
}

/** The table of a `Microsoft.OperationalInsights/workspaces/tables` resource. */
export function parseTable(found: FoundResource): ParsedTable {
  const where = new Where(found.file, found.path);
  const schema = record(
    record(found.value.properties, where.at('properties'), 'the table properties').schema,
    where.at('properties', 'schema'),
    'the table schema',
  );
  const name = tableName(found, schema, where);
  const cols = columns(
    schema.columns,
    where.at('properties', 'schema', 'columns'),
    TABLE_COLUMN_TYPES,
    `table ${name}`,
  );
  if (!cols.some((c) => c.name === 'TimeGenerated' && c.type === 'datetime')) {
    where
      .at('properties', 'schema', 'columns')
      .fail(
        `table ${name} has no TimeGenerated column of type datetime, which every custom table needs: add { "name": "TimeGenerated", "type": "datetime" }`,
      );
  }
  return { name, columns: cols, file: found.file, path: found.path };
}

/** `properties.schema.name`; else the resource name's last segment (`workspace/Table_CL`). */
function tableName(found: FoundResource, schema: Readonly<Record<string, unknown>>, where: Where): string {
  if (schema.name !== undefined)
    return literal(schema.name, where.at('properties', 'schema', 'name'), 'the table name');
  const resourceName = found.value.name;
  if (typeof resourceName === 'string' && resourceName !== '' && !isArmExpression(resourceName)) {
    return resourceName.slice(resourceName.lastIndexOf('/') + 1);
  }
  return where
    .at('properties', 'schema')
    .fail(
      'the table has no name the emulator can read: set properties.schema.name to it (e.g. "AppEvents_CL")',
    );
}

/** The stream declarations and data flows of a `Microsoft.Insights/dataCollectionRules` resource. */
export function parseDcr(found: FoundResource): ParsedDcr {
  const where = new Where(found.file, found.path);
  // Kept as written, ARM expression or not: it only names the DCR (and seeds its id).
  const { name } = found.value;
  const nameAt: Where = where.at('name');
  if (typeof name !== 'string' || name === '') nameAt.fail('the DCR has no name: give it one');
  const properties = record(found.value.properties, where.at('properties'), 'the DCR properties');
  const streams = new Map<string, readonly StreamColumn[]>();
  const declarations = where.at('properties', 'streamDeclarations');
  if (properties.streamDeclarations !== undefined) {
    for (const [stream, declaration] of Object.entries(
      record(properties.streamDeclarations, declarations, 'the stream declarations'),
    )) {
      const at = declarations.at(stream);
      streams.set(
        stream,
        columns(
          record(declaration, at, 'a stream declaration').columns,
          at.at('columns'),
          STREAM_COLUMN_TYPES,
          `stream ${stream}`,
        ),
      );
    }
  }
  const flowsAt = where.at('properties', 'dataFlows');
  const flows = list(properties.dataFlows, flowsAt, 'the data flows').flatMap((flow, i) =>
    parseFlow(flow, flowsAt.at(i), streams),
  );
  if (flows.length === 0) flowsAt.fail(`DCR ${name} has no data flows: add one per stream and table`);
  return { name, file: found.file, path: found.path, streams, flows };
}

function parseFlow(value: unknown, where: Where, streams: ReadonlyMap<string, unknown>): ParsedFlow[] {
  const flow = record(value, where, 'a data flow');
  const output = literal(
    flow.outputStream,
    where.at('outputStream'),
    'the output stream (Custom-<Table>_CL)',
  );
  if (/^microsoft-/i.test(output)) {
    where
      .at('outputStream')
      .fail(
        `${output} is a standard table, which the emulator does not emulate: it serves custom tables only (Custom-<Table>_CL); leave this DCR out of the definitions`,
      );
  }
  if (!output.startsWith(CUSTOM_STREAM_PREFIX) || output.length === CUSTOM_STREAM_PREFIX.length) {
    where
      .at('outputStream')
      .fail(`${output} is not an output stream the emulator knows: write Custom-<Table>_CL`);
  }
  const transformKql =
    flow.transformKql === undefined
      ? 'source'
      : literal(flow.transformKql, where.at('transformKql'), 'the KQL');
  const inputs = list(flow.streams, where.at('streams'), 'the input streams');
  return inputs.map((item, i) => {
    const stream = literal(item, where.at('streams', i), 'a stream name');
    if (!streams.has(stream)) {
      const declared = [...streams.keys()];
      const agent = /^microsoft-/i.test(stream)
        ? ' (Microsoft-* streams come from agents, not the Logs Ingestion API, and are not emulated)'
        : '';
      where
        .at('streams', i)
        .fail(
          `stream ${stream} is not declared in properties.streamDeclarations${agent}; ` +
            (declared.length > 0 ? `declared: ${declared.join(', ')}. ` : 'none are. ') +
            'Declare it there or fix the name',
        );
    }
    return { stream, outputTable: output.slice(CUSTOM_STREAM_PREFIX.length), transformKql, path: where.path };
  });
}
