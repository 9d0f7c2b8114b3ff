// Azure Monitor's documented limits on custom tables, DCR streams and ingested values: the one
// place the mapping validator, `infer`, the connector's checks and the emulator take them from.

/**
 * Most columns a Log Analytics table holds.
 * Source: learn.microsoft.com/azure/azure-monitor/fundamentals/service-limits#log-analytics-workspaces
 * ("Maximum columns in a table: 500").
 */
export const MAX_TABLE_COLUMNS = 500;

/**
 * Fewest and most characters in a column name.
 * Source: learn.microsoft.com/azure/azure-monitor/logs/create-custom-table ("between 2 and 45
 * characters") and the workspace limits ("Maximum characters for column name: 45").
 */
export const COLUMN_NAME_MIN_LENGTH = 2;
export const COLUMN_NAME_MAX_LENGTH = 45;

/**
 * What a column name may contain: a letter, then ASCII letters, digits or `_` (its length is
 * checked apart, against the two bounds above). A string, so the JSON Schema can carry it.
 * Source: learn.microsoft.com/azure/azure-monitor/logs/create-custom-table.
 */
export const COLUMN_NAME_PATTERN = '^[A-Za-z][A-Za-z0-9_]*$';
const COLUMN_NAME_RE = new RegExp(COLUMN_NAME_PATTERN);

/**
 * Names Azure Monitor keeps for its own columns, compared case-insensitively.
 * Source: learn.microsoft.com/azure/azure-monitor/logs/create-custom-table (reserved column names).
 */
export const RESERVED_COLUMN_NAMES = [
  'id',
  'BilledSize',
  'IsBillable',
  'InvalidTimeGenerated',
  'TenantId',
  'Title',
  'Type',
  'UniqueId',
  '_ItemId',
  '_ResourceGroup',
  '_ResourceId',
  '_SubscriptionId',
  '_TimeReceived',
] as const;
const RESERVED = new Set<string>(RESERVED_COLUMN_NAMES.map((n) => n.toLowerCase()));

/**
 * The prefix of every DCR stream the Logs Ingestion API accepts, and of a data flow's
 * `outputStream` to a custom table (`Custom-<Table>_CL`).
 * Source: learn.microsoft.com/azure/azure-monitor/data-collection/data-collection-rule-structure.
 */
export const CUSTOM_STREAM_PREFIX = 'Custom-';

/**
 * The suffix of every custom table name.
 * Source: learn.microsoft.com/azure/azure-monitor/logs/create-custom-table.
 */
export const CUSTOM_TABLE_SUFFIX = '_CL';

/**
 * Largest field value the Logs Ingestion API keeps; longer values are truncated by the service.
 * Source: learn.microsoft.com/azure/azure-monitor/fundamentals/service-limits#logs-ingestion-api.
 */
export const MAX_FIELD_VALUE_BYTES = 65_536;

/**
 * Largest Logs Ingestion API call, compressed or not; a larger one gets 413
 * `ContentLengthLimitExceeded` ("Maximum allowed content length: 1048576 bytes (1 MB).").
 * Source: learn.microsoft.com/azure/azure-monitor/fundamentals/service-limits#logs-ingestion-api.
 */
export const MAX_REQUEST_BYTES = 1_048_576;

/**
 * Requests per minute one DCR takes through the Logs Ingestion API before it answers 429.
 * Source: learn.microsoft.com/azure/azure-monitor/fundamentals/service-limits#logs-ingestion-api.
 */
export const MAX_DCR_REQUESTS_PER_MINUTE = 12_000;

/**
 * Bytes per minute one DCR takes (2 GB, compressed or not) before it answers 429.
 * Source: learn.microsoft.com/azure/azure-monitor/fundamentals/service-limits#logs-ingestion-api.
 */
export const MAX_DCR_BYTES_PER_MINUTE = 2_000_000_000;

/** Why a column name breaks Azure's naming rule, or undefined when it is a valid name. */
export type ColumnNameProblem = 'length' | 'characters' | 'reserved';

/**
 * Checks a column name against Azure's rules, in the order a user fixes them: its length, its
 * characters, then the reserved names.
 */
export function columnNameProblem(name: string): ColumnNameProblem | undefined {
  if (name.length < COLUMN_NAME_MIN_LENGTH || name.length > COLUMN_NAME_MAX_LENGTH) return 'length';
  if (!COLUMN_NAME_RE.test(name)) return 'characters';
  if (isReservedColumnName(name)) return 'reserved';
  return undefined;
}

/** Whether Azure Monitor keeps `name` for a column of its own (any letter case). */
export function isReservedColumnName(name: string): boolean {
  return RESERVED.has(name.toLowerCase());
}

const STREAM_NAME_RE = /^Custom-[A-Za-z0-9_.-]+$/;
const TABLE_NAME_RE = /^[A-Za-z][A-Za-z0-9_]*_CL$/;

/** Whether `name` is a DCR stream the Logs Ingestion API can take: `Custom-` then letters, digits, `_ . -`. */
export function isCustomStreamName(name: string): boolean {
  return STREAM_NAME_RE.test(name);
}

/** Whether `name` is a custom table name: a letter, then letters, digits or `_`, ending in `_CL`. */
export function isCustomTableName(name: string): boolean {
  return TABLE_NAME_RE.test(name);
}
