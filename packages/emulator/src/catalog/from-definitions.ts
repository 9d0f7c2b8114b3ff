// Learns what the emulator serves from Azure resource JSON, as it would be deployed: the DCRs
// (stream declarations, data flows, transforms) and the custom tables of a solution package, a
// `Data Connectors/<X>_ccf` folder, DCR.json/table.json files or an ARM template.

import { createHash } from 'node:crypto';
import { checkTransformKql } from '@otel-sentinel/kql';
import type { Catalog, DataFlowDef, TableDef } from '../model.js';
import { CatalogError } from './catalog-error.js';
import {
  assembleCatalog,
  catalogOptionError,
  resolveIdentity,
  type CatalogIdentityOptions,
} from './catalog-options.js';
import { describeDifference, sameColumns } from './compare-columns.js';
import { DEFAULT_DCR_IMMUTABLE_ID } from './demo-identity.js';
import {
  DCR_TYPE,
  parseDcr,
  parseTable,
  TABLE_TYPE,
  type ParsedDcr,
  type ParsedTable,
} from './parse-resources.js';
import { findResources } from './read-definitions.js';

export interface DefinitionsOptions extends CatalogIdentityOptions {
  /**
   * Environment read for `SENTINEL_DCR_IMMUTABLE_ID` (the id of the only DCR, when set and not
   * empty). Default `process.env`. Example: `{ SENTINEL_DCR_IMMUTABLE_ID: 'dcr-0123…' }`.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * The immutable id of the only DCR, as Azure would assign it; wins over the environment.
   * Default `SENTINEL_DCR_IMMUTABLE_ID`, else `dcr-000…0` (32 zeros). With several DCRs, use
   * `dcrImmutableIds`. Example: `'dcr-0123456789abcdef0123456789abcdef'`.
   */
  readonly dcrImmutableId?: string;
  /**
   * Immutable id per DCR resource name (its `name`, as written in the JSON). Default, with several
   * DCRs: `dcr-` + 32 hex digits of the SHA-256 of the name, the same on every start.
   * Example: `{ ContosoAuditPushDCR: 'dcr-0123456789abcdef0123456789abcdef' }`.
   */
  readonly dcrImmutableIds?: Readonly<Record<string, string>>;
}

/** Where the immutable id of a DCR came from. */
export type DcrIdSource =
  'dcrImmutableIds' | 'dcrImmutableId' | 'SENTINEL_DCR_IMMUTABLE_ID' | 'default' | 'name hash';

/** A DCR found in the definitions and the immutable id the emulator serves it under. */
export interface DefinedDcr {
  /** The resource `name` as written (an ARM expression stays one: `[parameters('dcrName')]`). */
  readonly name: string;
  readonly file: string;
  readonly immutableId: string;
  readonly idSource: DcrIdSource;
  readonly dataFlows: readonly DataFlowDef[];
}

export interface DefinitionsCatalog {
  readonly catalog: Catalog;
  /** Every DCR, in the order found: for the start-up log and for clients to find their ids. */
  readonly dcrs: readonly DefinedDcr[];
}

const SAFE_ID = /^[\w.~-]+$/;

/**
 * The catalog of the DCRs and tables in `paths` (files, or folders searched for `*.json`).
 * Resources are found by `type`, never by file name; JSON without resources is skipped; resource
 * types other than DCRs and tables are ignored. Throws `CatalogError`: `E_DEFINITIONS` naming the
 * file, the JSON path and what to change; `ConfigError` `E_CATALOG_OPTION` for a malformed option.
 */
export function catalogFromDefinitions(
  paths: readonly string[],
  options: DefinitionsOptions = {},
): DefinitionsCatalog {
  const identity = resolveIdentity(options);
  const tables = new Map<string, ParsedTable>();
  const dcrs = new Map<string, ParsedDcr>();
  for (const found of findResources(paths)) {
    const type = found.type.toLowerCase();
    if (type === TABLE_TYPE) addTable(tables, parseTable(found));
    else if (type === DCR_TYPE) addDcr(dcrs, parseDcr(found));
  }
  if (dcrs.size === 0) {
    throw new CatalogError(
      'E_DEFINITIONS',
      `none of ${paths.join(', ') || '(no paths)'} defines a DCR (a resource of type Microsoft.Insights/dataCollectionRules): ` +
        'add its DCR.json, or the folder holding it, to the definitions',
    );
  }
  const served = assignIds([...dcrs.values()], options).map(({ dcr, immutableId, idSource }) => ({
    dcr,
    defined: { name: dcr.name, file: dcr.file, immutableId, idSource, dataFlows: dataFlowsOf(dcr, tables) },
  }));
  const catalog = assembleCatalog(
    identity,
    served.map(({ dcr, defined }) => ({
      immutableId: defined.immutableId,
      streams: dcr.streams,
      dataFlows: defined.dataFlows,
    })),
    [...tables.values()].map((t): TableDef => ({ name: t.name, columns: t.columns })),
  );
  const defined: readonly DefinedDcr[] = served.map((s) => s.defined);
  return { catalog, dcrs: defined };
}

function addTable(tables: Map<string, ParsedTable>, table: ParsedTable): void {
  const key = table.name.toLowerCase();
  const earlier = tables.get(key);
  if (earlier === undefined) {
    tables.set(key, table);
    return;
  }
  if (earlier.name === table.name && sameColumns(earlier.columns, table.columns)) return;
  const difference =
    earlier.name === table.name
      ? describeDifference(earlier.columns, table.columns)
      : `the names differ only in case (${earlier.name}, ${table.name})`;
  throw new CatalogError(
    'E_DEFINITIONS',
    `table ${table.name} is defined differently in ${earlier.file}, ${earlier.path} and ${table.file}, ${table.path}: ` +
      `${difference}. Keep one definition, or make them agree`,
  );
}

function addDcr(dcrs: Map<string, ParsedDcr>, dcr: ParsedDcr): void {
  const earlier = dcrs.get(dcr.name);
  if (earlier === undefined) {
    dcrs.set(dcr.name, dcr);
    return;
  }
  // The same DCR in two files (a solution's DCR.json and its ARM template) is one DCR.
  if (contentOf(earlier) === contentOf(dcr)) return;
  throw new CatalogError(
    'E_DEFINITIONS',
    `DCR ${dcr.name} is defined differently in ${earlier.file}, ${earlier.path} and ${dcr.file}, ${dcr.path} ` +
      '(stream declarations or data flows): give the DCRs different names, or keep one definition',
  );
}

function contentOf(dcr: ParsedDcr): string {
  return JSON.stringify({
    streams: [...dcr.streams],
    flows: dcr.flows.map((f) => [f.stream, f.outputTable, f.transformKql]),
  });
}

/** The data flows of `dcr`, each into a table of the definitions and with a transform that fits it. */
function dataFlowsOf(dcr: ParsedDcr, tables: ReadonlyMap<string, ParsedTable>): DataFlowDef[] {
  return dcr.flows.map((flow) => {
    const table = tables.get(flow.outputTable.toLowerCase());
    if (table === undefined) {
      throw new CatalogError(
        'E_DEFINITIONS',
        `${dcr.file}, ${flow.path}.outputStream: Custom-${flow.outputTable} writes to table ${flow.outputTable}, ` +
          'which none of the definitions defines: add its table JSON to the definitions (--definitions)',
      );
    }
    const messages = checkTransformKql(flow.transformKql, {
      stream: flow.stream,
      table: table.name,
      streamColumns: dcr.streams.get(flow.stream) ?? [],
      tableColumns: table.columns,
    });
    if (messages.length > 0) {
      throw new CatalogError(
        'E_DEFINITIONS',
        `${dcr.file}, ${flow.path}.transformKql: the transform of ${flow.stream} into ${table.name} cannot be served; ` +
          `fix the transformKql or the table:\n  ${messages.join('\n  ')}`,
      );
    }
    return { stream: flow.stream, transformKql: flow.transformKql, outputTable: table.name };
  });
}

interface AssignedId {
  readonly dcr: ParsedDcr;
  readonly immutableId: string;
  readonly idSource: DcrIdSource;
}

/** One immutable id per DCR: see `DefinitionsOptions.dcrImmutableId` and `dcrImmutableIds`. */
function assignIds(dcrs: readonly ParsedDcr[], options: DefinitionsOptions): AssignedId[] {
  const names = dcrs.map((d) => d.name);
  const fail = (option: string, message: string): never => {
    throw catalogOptionError(option, `${option}: ${message}`);
  };
  const checked = (id: string, option: string): string =>
    SAFE_ID.test(id)
      ? id
      : fail(
          option,
          `"${id}" cannot be a DCR immutable id; use dcr- and 32 hex digits, as Azure assigns them`,
        );
  for (const name of Object.keys(options.dcrImmutableIds ?? {})) {
    if (!names.includes(name))
      fail('dcrImmutableIds', `no DCR of the definitions is named ${name}; their names: ${names.join(', ')}`);
  }
  if (options.dcrImmutableId !== undefined && dcrs.length > 1) {
    fail(
      'dcrImmutableId',
      `the definitions hold ${dcrs.length} DCRs (${names.join(', ')}); give each its id with dcrImmutableIds instead`,
    );
  }
  const env = options.env ?? process.env;
  const fromEnv = env.SENTINEL_DCR_IMMUTABLE_ID === '' ? undefined : env.SENTINEL_DCR_IMMUTABLE_ID;
  const only = dcrs.length === 1;
  const byId = new Map<string, string>();
  return dcrs.map((dcr): AssignedId => {
    const chosen = options.dcrImmutableIds?.[dcr.name];
    let id: Omit<AssignedId, 'dcr'>;
    if (chosen !== undefined)
      id = { immutableId: checked(chosen, `dcrImmutableIds.${dcr.name}`), idSource: 'dcrImmutableIds' };
    else if (!only) id = { immutableId: hashedId(dcr.name), idSource: 'name hash' };
    else if (options.dcrImmutableId !== undefined)
      id = { immutableId: checked(options.dcrImmutableId, 'dcrImmutableId'), idSource: 'dcrImmutableId' };
    else if (fromEnv !== undefined)
      id = {
        immutableId: checked(fromEnv, 'SENTINEL_DCR_IMMUTABLE_ID'),
        idSource: 'SENTINEL_DCR_IMMUTABLE_ID',
      };
    else id = { immutableId: DEFAULT_DCR_IMMUTABLE_ID, idSource: 'default' };
    const other = byId.get(id.immutableId);
    if (other !== undefined)
      fail(
        'dcrImmutableIds',
        `DCRs ${other} and ${dcr.name} would both be ${id.immutableId}; give each its own id`,
      );
    byId.set(id.immutableId, dcr.name);
    return { dcr, ...id };
  });
}

/** `dcr-` + 32 hex digits from the name: stable across restarts, distinct across DCRs. */
export function hashedId(name: string): string {
  return `dcr-${createHash('sha256').update(name).digest('hex').slice(0, 32)}`;
}
