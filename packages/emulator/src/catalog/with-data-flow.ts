// Replaces the data flow of one stream, e.g. to give a test a transform other than `source`.

import type { Catalog, DcrDef } from '../model.js';
import { CatalogError } from './catalog-error.js';

export interface DataFlowChange {
  /** The input stream, e.g. `Custom-AppAuthEvents`. */
  readonly stream: string;
  /** The new transform, e.g. `source | extend TimeGenerated = now()`. */
  readonly transformKql: string;
  /** The DCR; needed only when several DCRs declare the stream. */
  readonly dcrImmutableId?: string;
  /** The output table; default the stream's current one (needed when it has several). */
  readonly outputTable?: string;
}

/**
 * A copy of `catalog` where `change.stream` flows through `change.transformKql` into one table.
 * The original is left as it was. Throws `CatalogError` for an unknown or ambiguous stream or table.
 */
export function withDataFlow(catalog: Catalog, change: DataFlowChange): Catalog {
  const dcr = findDcr(catalog, change);
  let outputTable = change.outputTable;
  if (outputTable === undefined) {
    const current = [
      ...new Set(dcr.dataFlows.filter((f) => f.stream === change.stream).map((f) => f.outputTable)),
    ];
    if (current.length !== 1 || current[0] === undefined) {
      throw new CatalogError(
        'E_UNKNOWN_TABLE',
        `stream ${change.stream} flows into ${current.length} tables (${current.join(', ')}); name the outputTable`,
      );
    }
    outputTable = current[0];
  }
  if (!catalog.tables.has(outputTable)) {
    throw new CatalogError(
      'E_UNKNOWN_TABLE',
      `outputTable ${outputTable} is not a table of the catalog; known: ${[...catalog.tables.keys()].join(', ')}`,
    );
  }
  const replaced: DcrDef = {
    ...dcr,
    dataFlows: [
      ...dcr.dataFlows.filter((f) => f.stream !== change.stream),
      { stream: change.stream, transformKql: change.transformKql, outputTable },
    ],
  };
  return { ...catalog, dcrs: new Map([...catalog.dcrs, [dcr.immutableId, replaced]]) };
}

function findDcr(catalog: Catalog, change: DataFlowChange): DcrDef {
  const candidates = [...catalog.dcrs.values()].filter(
    (d) =>
      d.streams.has(change.stream) &&
      (change.dcrImmutableId === undefined || d.immutableId === change.dcrImmutableId),
  );
  const [only] = candidates;
  if (only === undefined) {
    const where = change.dcrImmutableId === undefined ? 'any DCR' : `DCR ${change.dcrImmutableId}`;
    throw new CatalogError(
      'E_UNKNOWN_STREAM',
      `stream ${change.stream} is not declared by ${where} of the catalog`,
    );
  }
  if (candidates.length > 1) {
    throw new CatalogError(
      'E_UNKNOWN_STREAM',
      `stream ${change.stream} is declared by ${candidates.length} DCRs (${candidates.map((d) => d.immutableId).join(', ')}); name the dcrImmutableId`,
    );
  }
  return only;
}
