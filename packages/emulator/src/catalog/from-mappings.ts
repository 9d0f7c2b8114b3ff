// Learns what the emulator serves from mapping files: one DCR per immutable id, its stream
// declarations and data flows, the custom tables they write to, and who may ingest.

import {
  formatProblem,
  hasErrors,
  loadMappingFile,
  streamDeclaration,
  tableSchema,
} from '@otel-sentinel/mapping';
import type { MappingProblem, StreamConfig } from '@otel-sentinel/mapping';
import { checkTransformKql } from '@otel-sentinel/kql';
import type { Catalog, ColumnDef, DataFlowDef, TableDef } from '../model.js';
import { CatalogError } from './catalog-error.js';
import { assembleCatalog, resolveIdentity, type CatalogIdentityOptions } from './catalog-options.js';
import { describeDifference, sameColumns } from './compare-columns.js';
import { DEFAULT_DCR_IMMUTABLE_ID, DEFAULT_ENDPOINT } from './demo-identity.js';

export interface CatalogOptions extends CatalogIdentityOptions {
  /**
   * Environment for `${VAR}` in the mapping files. Default `process.env`. When
   * `SENTINEL_DCE_ENDPOINT` or `SENTINEL_DCR_IMMUTABLE_ID` is unset or empty here, `endpoint` and
   * `dcrImmutableId` below stand in, so a mapping written for production loads unchanged.
   * Example: `{ SENTINEL_DCR_IMMUTABLE_ID: 'dcr-0123456789abcdef0123456789abcdef' }`.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** `SENTINEL_DCE_ENDPOINT` when the environment leaves it unset. Default `https://127.0.0.1:4443`. */
  readonly endpoint?: string;
  /** `SENTINEL_DCR_IMMUTABLE_ID` when the environment leaves it unset. Default `dcr-000…0` (32 zeros). */
  readonly dcrImmutableId?: string;
  /**
   * `transformKql` per stream name, for tests of transforms; it wins over the stream's own
   * `transformKql` in the mapping. Default: the mapping's, else `source` (the exporter already
   * sends `TimeGenerated`). Example: `{ 'Custom-AppAuthEvents': 'source | where EventName != "x"' }`.
   */
  readonly transforms?: Readonly<Record<string, string>>;
}

interface DcrDraft {
  readonly streams: Map<string, readonly ColumnDef[]>;
  /** Where each stream was first declared, for conflict messages. */
  readonly declaredBy: Map<string, string>;
  readonly dataFlows: DataFlowDef[];
}

interface TableDraft {
  readonly name: string;
  readonly columns: ColumnDef[];
  /** Lower-cased column name → the column and where it was declared. */
  readonly byName: Map<string, { readonly column: ColumnDef; readonly by: string }>;
}

/**
 * The catalog of every stream of `files`. Each data flow's transform is `options.transforms`'s
 * for the stream, else the stream's `transformKql`, else `source`; a mapping's `transformKql` is
 * checked by `checkTransformKql` as the mapping loads. Throws `CatalogError` with every problem of
 * every invalid mapping (`E_MAPPING_INVALID`, at file:line:col), or for a table or stream two
 * mappings declare differently.
 */
export function catalogFromMappings(files: readonly string[], options: CatalogOptions = {}): Catalog {
  const identity = resolveIdentity(options);
  const env = mappingEnv(options);
  const dcrs = new Map<string, DcrDraft>();
  const tables = new Map<string, TableDraft>();
  const problems: MappingProblem[] = [];
  for (const file of files) {
    const result = loadMappingFile(file, { env, checkTransform: checkTransformKql });
    if (!result.config || hasErrors(result.problems)) {
      problems.push(...result.problems);
      continue;
    }
    for (const stream of result.config.streams) {
      const by = `${file} (stream ${stream.stream})`;
      addStream(dcrs, stream, by, options.transforms?.[stream.stream] ?? stream.transformKql ?? 'source');
      addTable(tables, stream, by);
    }
  }
  if (problems.length > 0) throw invalidMappings(problems);

  return assembleCatalog(
    identity,
    [...dcrs].map(([immutableId, d]) => ({ immutableId, streams: d.streams, dataFlows: d.dataFlows })),
    [...tables.values()].map((t): TableDef => ({ name: t.name, columns: t.columns })),
  );
}

function mappingEnv(options: CatalogOptions): Record<string, string | undefined> {
  const base = options.env ?? process.env;
  const set = (v: string | undefined): string | undefined => (v === undefined || v === '' ? undefined : v);
  return {
    ...base,
    SENTINEL_DCE_ENDPOINT: set(base.SENTINEL_DCE_ENDPOINT) ?? options.endpoint ?? DEFAULT_ENDPOINT,
    SENTINEL_DCR_IMMUTABLE_ID:
      set(base.SENTINEL_DCR_IMMUTABLE_ID) ?? options.dcrImmutableId ?? DEFAULT_DCR_IMMUTABLE_ID,
  };
}

function addStream(
  dcrs: Map<string, DcrDraft>,
  stream: StreamConfig,
  by: string,
  transformKql: string,
): void {
  let dcr = dcrs.get(stream.dcrImmutableId);
  if (!dcr) {
    dcr = { streams: new Map(), declaredBy: new Map(), dataFlows: [] };
    dcrs.set(stream.dcrImmutableId, dcr);
  }
  const columns: readonly ColumnDef[] = streamDeclaration(stream).columns;
  const earlier = dcr.streams.get(stream.stream);
  if (earlier === undefined) {
    dcr.streams.set(stream.stream, columns);
    dcr.declaredBy.set(stream.stream, by);
  } else if (!sameColumns(earlier, columns)) {
    throw new CatalogError(
      'E_STREAM_CONFLICT',
      `stream ${stream.stream} of DCR ${stream.dcrImmutableId} is declared differently by ${dcr.declaredBy.get(stream.stream) ?? '?'} ` +
        `and ${by}: ${describeDifference(earlier, columns)}. Give the streams the same columns, or different names or DCRs.`,
    );
  }
  if (!dcr.dataFlows.some((f) => f.stream === stream.stream && f.outputTable === stream.table)) {
    dcr.dataFlows.push({ stream: stream.stream, transformKql, outputTable: stream.table });
  }
}

function addTable(tables: Map<string, TableDraft>, stream: StreamConfig, by: string): void {
  const schema = tableSchema(stream);
  const key = schema.name.toLowerCase();
  let table = tables.get(key);
  if (!table) {
    table = { name: schema.name, columns: [], byName: new Map() };
    tables.set(key, table);
  } else if (table.name !== schema.name) {
    throw new CatalogError(
      'E_TABLE_CONFLICT',
      `tables ${table.name} and ${schema.name} (${by}) differ only in case; table names are compared without case here, so use one spelling`,
    );
  }
  for (const c of schema.columns) {
    const earlier = table.byName.get(c.name.toLowerCase());
    if (!earlier) {
      const column: ColumnDef = { name: c.name, type: c.type };
      table.columns.push(column);
      table.byName.set(c.name.toLowerCase(), { column, by });
    } else if (earlier.column.name !== c.name || earlier.column.type !== c.type) {
      throw new CatalogError(
        'E_TABLE_CONFLICT',
        `table ${schema.name}: column ${earlier.column.name} is ${earlier.column.type} in ${earlier.by} but ` +
          `${c.name} is ${c.type} in ${by}. A table has one type per column (and names differing only in case clash); make them agree.`,
      );
    }
  }
}

function invalidMappings(problems: readonly MappingProblem[]): CatalogError {
  const errors = problems.filter((p) => p.severity === 'error');
  const files = [...new Set(errors.map((p) => p.file))];
  return new CatalogError(
    'E_MAPPING_INVALID',
    `the emulator cannot serve ${files.join(', ')}: ${errors.length} problem(s) to fix\n  ${errors.map(formatProblem).join('\n  ')}`,
    problems,
  );
}
