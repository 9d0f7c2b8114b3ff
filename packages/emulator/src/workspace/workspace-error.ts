// Why the emulator cannot offer a workspace function or an externaldata file: thrown at start-up
// (or by the management API for one saved search), never while a query runs.

import { OtelSentinelError } from '@otel-sentinel/mapping';

export type WorkspaceErrorCode =
  /** An ASIM parser YAML file cannot be read as a function: the message names the file and the key. */
  | 'E_PARSER_FILE'
  /** A saved search in ARM JSON cannot be read as a function: the message names the file and JSON path. */
  | 'E_SAVED_SEARCH'
  /** Two sources define one function name differently: the message names both. */
  | 'E_FUNCTION_CONFLICT';

export class WorkspaceError extends OtelSentinelError {
  declare readonly code: WorkspaceErrorCode;
}
