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
import type { AppRegistration, Catalog, ColumnDef, DataFlowDef, DcrDef, TableDef } from '../model.js';
import { CatalogError } from './catalog-error.js';
import {
  DEFAULT_DCR_IMMUTABLE_ID,
  DEFAULT_ENDPOINT,
  DEMO_APP,
  DEMO_TENANT_ID,
  DEMO_WORKSPACE_ID,
} from './demo-identity.js';

export interface CatalogOptions {
  /**
   * Environment for `${VAR}` in the mapping files. Default `process.env`. When
   * `SENTINEL_DCE_ENDPOINT` or `SENTINEL_DCR_IMMUTABLE_ID` is unset or empty here, `endpoint` and
   * `dcrImmutableId` below stand in, so a mapping written for production loads unchanged.
   * Example: `{ SENTINEL_DCR_IMMUTABLE_ID: 'dcr-0123456789abcdef0123456789abcdef' }`.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The tenant tokens are issued in (a GUID). Default `DEMO_TENANT_ID`. */
  readonly tenantId?: string;
  /** The workspace the query API serves (a GUID). Default `DEMO_WORKSPACE_ID`. */
  readonly workspaceId?: string;
  /** App registrations that may get tokens. Default one: `DEMO_APP`. */
  readonly apps?: readonly AppRegistration[];
  /**
   * Client ids allowed to ingest into every DCR (the Monitoring Metrics Publisher role).
   * Default: every app. Example: `[]` to make every upload a 403.
   */
  readonly allowedClients?: readonly string[];
  /** `SENTINEL_DCE_ENDPOINT` when the environment leaves it unset. Default `https://127.0.0.1:4443`. */
  readonly endpoint?: string;
  /** `SENTINEL_DCR_IMMUTABLE_ID` when the environment leaves it unset. Default `dcr-000…0` (32 zeros). */
  readonly dcrImmutableId?: string;
  /**
   * `transformKql` per stream name, for tests of transforms. Default `source` for every stream:
   * the exporter already sends `TimeGenerated`. Example: `{ 'Custom-AppAuthEvents': 'source | where EventName != "x"' }`.
   */
  readonly transforms?: Readonly<Record<string, string>>;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
 * The catalog of every stream of `files`. Throws `CatalogError` with every problem of every
 * invalid mapping (`E_MAPPING_INVALID`), or for a table or stream two mappings declare differently.
 */
export function catalogFromMappings(files: readonly string[], options: CatalogOptions = {}): Catalog {
  const apps = options.apps ?? [DEMO_APP];
  const tenantId = options.tenantId ?? DEMO_TENANT_ID;
  const workspaceId = options.workspaceId ?? DEMO_WORKSPACE_ID;
  const allowed = options.allowedClients ?? apps.map((a) => a.clientId);
  checkOptions(tenantId, workspaceId, apps, allowed);

  const env = mappingEnv(options);
  const dcrs = new Map<string, DcrDraft>();
  const tables = new Map<string, TableDraft>();
  const problems: MappingProblem[] = [];
  for (const file of files) {
    const result = loadMappingFile(file, { env });
    if (!result.config || hasErrors(result.problems)) {
      problems.push(...result.problems);
      continue;
    }
    for (const stream of result.config.streams) {
      const by = `${file} (stream ${stream.stream})`;
      addStream(dcrs, stream, by, options.transforms?.[stream.stream] ?? 'source');
      addTable(tables, stream, by);
    }
  }
  if (problems.length > 0) throw invalidMappings(problems);

  return {
    tenantId,
    workspaceId,
    apps,
    dcrs: new Map(
      [...dcrs].map(([immutableId, d]): [string, DcrDef] => [
        immutableId,
        { immutableId, streams: d.streams, dataFlows: d.dataFlows, allowedClients: new Set(allowed) },
      ]),
    ),
    tables: new Map(
      [...tables.values()].map((t): [string, TableDef] => [t.name, { name: t.name, columns: t.columns }]),
    ),
  };
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

function checkOptions(
  tenantId: string,
  workspaceId: string,
  apps: readonly AppRegistration[],
  allowed: readonly string[],
): void {
  const fail = (message: string): never => {
    throw new CatalogError('E_CATALOG_OPTION', message);
  };
  if (!GUID.test(tenantId)) fail(`tenantId: "${tenantId}" is not a GUID; use one like ${DEMO_TENANT_ID}`);
  if (!GUID.test(workspaceId))
    fail(`workspaceId: "${workspaceId}" is not a GUID; use one like ${DEMO_WORKSPACE_ID}`);
  const ids = new Set<string>();
  for (const [i, app] of apps.entries()) {
    if (app.clientId === '') fail(`apps[${i}].clientId is empty`);
    if (app.clientSecret === '') fail(`apps[${i}].clientSecret is empty`);
    if (ids.has(app.clientId)) fail(`apps[${i}].clientId "${app.clientId}" is registered twice`);
    ids.add(app.clientId);
  }
  for (const id of allowed) {
    if (!ids.has(id)) fail(`allowedClients: "${id}" is not the client id of any of the apps`);
  }
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

function sameColumns(a: readonly ColumnDef[], b: readonly ColumnDef[]): boolean {
  if (a.length !== b.length) return false;
  const types = new Map(a.map((c) => [c.name, c.type]));
  return b.every((c) => types.get(c.name) === c.type);
}

function describeDifference(a: readonly ColumnDef[], b: readonly ColumnDef[]): string {
  const left = new Map(a.map((c) => [c.name, c.type]));
  const right = new Map(b.map((c) => [c.name, c.type]));
  const diffs: string[] = [];
  for (const [name, type] of left) {
    const other = right.get(name);
    if (other === undefined) diffs.push(`${name} only in the first`);
    else if (other !== type) diffs.push(`${name} is ${type} vs ${other}`);
  }
  for (const name of right.keys()) if (!left.has(name)) diffs.push(`${name} only in the second`);
  return diffs.join('; ');
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
