// Why a catalog could not be built from mapping files or DCR and table JSON: thrown at start-up,
// never at request time.

import { OtelSentinelError } from '@otel-sentinel/mapping';
import type { MappingProblem } from '@otel-sentinel/mapping';

export type CatalogErrorCode =
  /** A mapping file has errors; `problems` lists them all. */
  | 'E_MAPPING_INVALID'
  /** One table is declared with different types for a column by two streams. */
  | 'E_TABLE_CONFLICT'
  /**
   * One DCR stream is declared with different columns by two mappings (or by the mappings and the
   * definitions), or one data flow is given two transforms.
   */
  | 'E_STREAM_CONFLICT'
  /** DCR or table JSON cannot be served: the message names the file, the JSON path and the fix. */
  | 'E_DEFINITIONS'
  /** `withDataFlow` named a stream (or DCR) the catalog does not have, or an ambiguous one. */
  | 'E_UNKNOWN_STREAM'
  /** `withDataFlow` named an output table the catalog does not have. */
  | 'E_UNKNOWN_TABLE';

export class CatalogError extends OtelSentinelError {
  declare readonly code: CatalogErrorCode;
  /** Every problem of an invalid mapping (errors, warnings and notes); empty otherwise. */
  readonly problems: readonly MappingProblem[];

  constructor(code: CatalogErrorCode, message: string, problems: readonly MappingProblem[] = []) {
    super(code, message);
    this.problems = problems;
  }
}
