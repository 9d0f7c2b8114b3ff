// The catalog the emulator starts with, from mapping files, DCR and table JSON, or both, and the
// start-up lines saying which DCR is served under which immutable id.

import type { Catalog, DataFlowDef } from '../model.js';
import { catalogFromDefinitions, type DcrIdSource } from './from-definitions.js';
import { catalogFromMappings } from './from-mappings.js';
import { mergeCatalogs, type CatalogPart } from './merge-catalogs.js';

export interface CatalogSources {
  readonly mappings?: readonly string[];
  readonly definitions?: readonly string[];
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly dcrImmutableIds?: Readonly<Record<string, string>>;
}

export interface LoadedCatalog {
  readonly catalog: Catalog;
  /** One line per DCR: its name and file (definitions), immutable id and streams. */
  readonly lines: readonly string[];
}

const ID_SOURCE: Readonly<Record<DcrIdSource, string>> = {
  dcrImmutableIds: 'set by dcrImmutableIds',
  dcrImmutableId: 'set by dcrImmutableId',
  SENTINEL_DCR_IMMUTABLE_ID: 'from SENTINEL_DCR_IMMUTABLE_ID',
  default: 'the default; set SENTINEL_DCR_IMMUTABLE_ID to choose another',
  'name hash': 'derived from its name',
};

/**
 * Loads `sources.mappings` and `sources.definitions` and merges them when both are given. With
 * neither, the catalog is empty (no DCRs, no tables). Throws `CatalogError`.
 */
export function loadCatalog(sources: CatalogSources): LoadedCatalog {
  const env = sources.env !== undefined ? { env: sources.env } : {};
  const mappings = sources.mappings ?? [];
  const definitions = sources.definitions ?? [];
  const parts: CatalogPart[] = [];
  const lines: string[] = [];
  if (mappings.length > 0 || definitions.length === 0) {
    const catalog = catalogFromMappings(mappings, env);
    parts.push({ from: `the mappings (${mappings.join(', ')})`, catalog });
    for (const dcr of catalog.dcrs.values()) {
      lines.push(`DCR ${dcr.immutableId} (mapping ${mappings.join(', ')}), streams ${flows(dcr.dataFlows)}`);
    }
  }
  if (definitions.length > 0) {
    const defined = catalogFromDefinitions(definitions, {
      ...env,
      ...(sources.dcrImmutableIds !== undefined ? { dcrImmutableIds: sources.dcrImmutableIds } : {}),
    });
    parts.push({ from: `the definitions (${definitions.join(', ')})`, catalog: defined.catalog });
    for (const dcr of defined.dcrs) {
      lines.push(
        `DCR ${dcr.name} (${dcr.file}) → ${dcr.immutableId} (${ID_SOURCE[dcr.idSource]}), streams ${flows(dcr.dataFlows)}`,
      );
    }
  }
  const [only] = parts;
  const catalog = parts.length === 1 && only !== undefined ? only.catalog : mergeCatalogs(parts);
  return { catalog, lines };
}

function flows(dataFlows: readonly DataFlowDef[]): string {
  return dataFlows.map((f) => `${f.stream} → ${f.outputTable}`).join(', ');
}
