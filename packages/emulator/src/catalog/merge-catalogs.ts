// Serves catalogs learned from several sources (mapping files and DCR/table JSON) as one: a table
// or DCR both describe must be described the same way.

import type { Catalog, ColumnDef, DataFlowDef, DcrDef, TableDef } from '../model.js';
import { CatalogError } from './catalog-error.js';
import { catalogOptionError } from './catalog-options.js';
import { describeDifference, sameColumns } from './compare-columns.js';

/** A catalog and what it was learned from, for messages (e.g. `--definitions out/`). */
export interface CatalogPart {
  readonly from: string;
  readonly catalog: Catalog;
}

interface DcrDraft {
  readonly immutableId: string;
  readonly streams: Map<string, { readonly columns: readonly ColumnDef[]; readonly from: string }>;
  readonly dataFlows: { readonly flow: DataFlowDef; readonly from: string }[];
  readonly allowedClients: Set<string>;
}

/**
 * One catalog with every table and DCR of `parts`. A table both define must have the same
 * columns (`E_TABLE_CONFLICT`); a DCR id both use is one DCR whose common streams must have the
 * same columns and whose common data flows the same transform (`E_STREAM_CONFLICT`); the tenant,
 * workspace and apps must agree (`ConfigError` `E_CATALOG_OPTION`).
 */
export function mergeCatalogs(parts: readonly CatalogPart[]): Catalog {
  const [first, ...rest] = parts;
  if (first === undefined) {
    throw catalogOptionError('parts', 'mergeCatalogs needs at least one catalog');
  }
  for (const part of rest) checkIdentity(first, part);
  const tables = new Map<string, { readonly table: TableDef; readonly from: string }>();
  const dcrs = new Map<string, DcrDraft>();
  for (const { from, catalog } of parts) {
    for (const table of catalog.tables.values()) addTable(tables, table, from);
    for (const dcr of catalog.dcrs.values()) addDcr(dcrs, dcr, from);
  }
  return {
    tenantId: first.catalog.tenantId,
    workspaceId: first.catalog.workspaceId,
    apps: first.catalog.apps,
    tables: new Map([...tables].map(([name, t]) => [name, t.table])),
    dcrs: new Map(
      [...dcrs].map(([id, d]): [string, DcrDef] => [
        id,
        {
          immutableId: id,
          streams: new Map([...d.streams].map(([name, s]) => [name, s.columns])),
          dataFlows: d.dataFlows.map((f) => f.flow),
          allowedClients: d.allowedClients,
        },
      ]),
    ),
  };
}

function checkIdentity(first: CatalogPart, other: CatalogPart): void {
  const a = first.catalog;
  const b = other.catalog;
  const apps = (c: Catalog): string => JSON.stringify(c.apps.map((x) => [x.clientId, x.clientSecret]));
  const differs =
    a.tenantId !== b.tenantId
      ? 'tenant'
      : a.workspaceId !== b.workspaceId
        ? 'workspace'
        : apps(a) !== apps(b)
          ? 'apps'
          : undefined;
  if (differs !== undefined) {
    throw catalogOptionError(
      differs === 'tenant' ? 'tenantId' : differs === 'workspace' ? 'workspaceId' : 'apps',
      `the catalogs of ${first.from} and ${other.from} have different ${differs}s; build them with the same tenantId, workspaceId and apps`,
    );
  }
}

function addTable(
  tables: Map<string, { readonly table: TableDef; readonly from: string }>,
  table: TableDef,
  from: string,
): void {
  const earlier = tables.get(table.name);
  if (earlier === undefined) {
    tables.set(table.name, { table, from });
  } else if (!sameColumns(earlier.table.columns, table.columns)) {
    throw new CatalogError(
      'E_TABLE_CONFLICT',
      `table ${table.name} is defined differently by ${earlier.from} and ${from}: ` +
        `${describeDifference(earlier.table.columns, table.columns)}. Make them agree, or serve only one of them`,
    );
  }
}

function addDcr(dcrs: Map<string, DcrDraft>, dcr: DcrDef, from: string): void {
  let draft = dcrs.get(dcr.immutableId);
  if (draft === undefined) {
    draft = { immutableId: dcr.immutableId, streams: new Map(), dataFlows: [], allowedClients: new Set() };
    dcrs.set(dcr.immutableId, draft);
  }
  for (const [stream, columns] of dcr.streams) {
    const earlier = draft.streams.get(stream);
    if (earlier === undefined) draft.streams.set(stream, { columns, from });
    else if (!sameColumns(earlier.columns, columns)) {
      throw new CatalogError(
        'E_STREAM_CONFLICT',
        `stream ${stream} of DCR ${dcr.immutableId} is declared differently by ${earlier.from} and ${from}: ` +
          `${describeDifference(earlier.columns, columns)}. Make them agree, or give the DCRs different immutable ids`,
      );
    }
  }
  for (const flow of dcr.dataFlows) {
    const earlier = draft.dataFlows.find(
      (f) => f.flow.stream === flow.stream && f.flow.outputTable === flow.outputTable,
    );
    if (earlier === undefined) draft.dataFlows.push({ flow, from });
    else if (earlier.flow.transformKql !== flow.transformKql) {
      throw new CatalogError(
        'E_STREAM_CONFLICT',
        `the data flow of ${flow.stream} into ${flow.outputTable} in DCR ${dcr.immutableId} has the transform ` +
          `"${earlier.flow.transformKql}" in ${earlier.from} but "${flow.transformKql}" in ${from}: ` +
          'make them agree, or give the DCRs different immutable ids',
      );
    }
  }
  for (const client of dcr.allowedClients) draft.allowedClients.add(client);
}
