// The columns a DCR transform outputs, told by Microsoft's own KQL analyzer (through
// `@otel-sentinel/kql`'s `analyzeKql`): the projector `findDrift` needs to see drops and renames.

import type { DeployedColumn, TransformProjection, TransformProjector } from '@otel-sentinel/connector';
import { COLUMN_TYPES } from '@otel-sentinel/mapping';
import type { ColumnType } from '@otel-sentinel/mapping';
import type { analyzeKql } from '@otel-sentinel/kql';

type Analyze = typeof analyzeKql;

/** Kusto's names for the types the mapping writes otherwise. */
const KUSTO_TYPES: Readonly<Record<string, string>> = { bool: 'boolean', double: 'real' };

function columnType(type: string): ColumnType {
  // A type the mapping does not know is read as dynamic: the analyzer accepts any use of it.
  return COLUMN_TYPES.find((t) => t === type) ?? 'dynamic';
}

/** A projector on `analyze`; load it with `await import('@otel-sentinel/kql')`. */
export function transformProjector(analyze: Analyze): TransformProjector {
  return (kql: string, input: readonly DeployedColumn[]): TransformProjection => {
    const columns = input.map((c) => ({ name: c.name, type: columnType(c.type) }));
    const analysis = analyze(kql, [{ name: 'source', columns }]);
    const error = analysis.diagnostics.find((d) => d.severity === 'Error');
    if (error !== undefined)
      return {
        error: `${error.message} (line ${error.position.line}, column ${error.position.column} of the KQL)`,
        offset: error.position.offset,
      };
    return { columns: analysis.columns.map((c) => ({ name: c.name, type: KUSTO_TYPES[c.type] ?? c.type })) };
  };
}
