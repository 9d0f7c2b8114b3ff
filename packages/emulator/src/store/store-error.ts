// Why the store refused an operation; `code` is stable, the message says what to change.
import { OtelSentinelError } from '@otel-sentinel/mapping';

export type StoreErrorCode =
  /** `insert`, `scan` or `count` of a table `ensureTable` never created. */
  | 'E_UNKNOWN_TABLE'
  /** `volumePerDay` named a column the table does not have. */
  | 'E_UNKNOWN_COLUMN'
  /** A table or column name the store cannot hold (empty, NUL, reserved, clashing in case). */
  | 'E_NAME'
  /** `ensureTable` gave an existing column another type. */
  | 'E_COLUMN_TYPE'
  /** The store was closed. */
  | 'E_CLOSED';

export class StoreError extends OtelSentinelError {
  declare readonly code: StoreErrorCode;
}
