// Start-up work for the ingestion endpoint: every DCR stream with its compiled data flows, and
// every output table ensured in the store. A flow to an unknown table stops start-up.

import type { DcrDef } from '../model.js';
import type { IngestionDeps } from './ingestion-options.js';
import { ingestionConfigError } from './ingestion-options.js';
import type { CompiledStream } from './stream-pipeline.js';
import { compileStream } from './stream-pipeline.js';

export interface CompiledDcr {
  /** The catalog's own object: `allowedClients` is read from it on every request. */
  readonly dcr: DcrDef;
  readonly streams: ReadonlyMap<string, CompiledStream>;
}

export function compileCatalog(deps: IngestionDeps): Map<string, CompiledDcr> {
  const out = new Map<string, CompiledDcr>();
  for (const dcr of deps.catalog.dcrs.values()) {
    for (const flow of dcr.dataFlows) {
      if (!dcr.streams.has(flow.stream)) {
        throw ingestionConfigError(
          'catalog',
          `DCR ${dcr.immutableId} has a data flow from ${flow.stream}, which it does not declare`,
        );
      }
    }
    const streams = new Map<string, CompiledStream>();
    for (const [name, columns] of dcr.streams) {
      const flows = dcr.dataFlows
        .filter((f) => f.stream === name)
        .map((f) => {
          const table = deps.catalog.tables.get(f.outputTable);
          if (!table) {
            throw ingestionConfigError(
              'catalog',
              `DCR ${dcr.immutableId} sends ${name} to ${f.outputTable}, which is not a table of the catalog`,
            );
          }
          deps.store.ensureTable(table);
          return { transform: deps.transforms(dcr, f), table };
        });
      if (flows.length === 0) {
        throw ingestionConfigError('catalog', `stream ${name} of DCR ${dcr.immutableId} has no data flow`);
      }
      streams.set(name, compileStream(name, columns, flows));
    }
    out.set(dcr.immutableId, { dcr, streams });
  }
  return out;
}
