// Public API of @otel-sentinel/kql: Microsoft's Kusto parser wrapped, the interpreter that applies
// DCR transforms and runs Log Analytics queries, transform checking, and Microsoft's analysis.

// Checking, parsing and analysing KQL (validate, connector, check).
export { checkTransformKql } from './check-transform.js';
export { parseKql, preloadKql } from './kusto.js';
export type { KqlSyntax, SyntaxNode } from './syntax.js';
export { analyzeKql } from './kusto-analyze.js';
export type { AnalysisTable, KqlAnalysis, KqlDiagnostic } from './kusto-analyze.js';

// Running KQL: DCR transforms on rows, queries on tables (the emulator).
export { compileTransform } from './transform.js';
export type { IssueListener, ReportingRowTransform, TransformIssue, TransformOptions } from './transform.js';
export { runQuery } from './query.js';
export type { QuerySource, StoredFunction } from './query.js';
export type { ColumnDef, ColumnType, QueryTable, Row, RowTransform } from './model.js';

// Errors.
export { KqlQueryError, UnsupportedKqlError } from './errors.js';
export type { KqlErrorCode, KqlPosition } from './errors.js';

// Kusto's value conventions, for the emulator's ingestion, store and query API to read and write
// values as the interpreter holds them: datetimes in 100 ns ticks, longs exact, JSON with exact
// 64-bit integers.
export {
  formatDateTime,
  parseDateTime,
  parseIsoDateTime,
  ticksFromDate,
  TICKS_PER_DAY,
  TICKS_PER_HOUR,
  TICKS_PER_MINUTE,
  TICKS_PER_SECOND,
} from './datetime.js';
export { canonicalLong, fromJson } from './values.js';
export type { KqlType } from './types.js';
export { parseExactJson, stringifyExactJson } from './exact-json.js';
