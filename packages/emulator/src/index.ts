// Public API of @otel-sentinel/emulator.

export { defaultDataDir, startEmulator } from './emulator.js';
export type { EmulatorOptions, RunningEmulator } from './emulator.js';
export { catalogFromMappings } from './catalog/from-mappings.js';
export type { CatalogOptions } from './catalog/from-mappings.js';
export type { CatalogIdentityOptions } from './catalog/catalog-options.js';
export { catalogFromDefinitions } from './catalog/from-definitions.js';
export type {
  DcrIdSource,
  DefinedDcr,
  DefinitionsCatalog,
  DefinitionsOptions,
} from './catalog/from-definitions.js';
export { mergeCatalogs } from './catalog/merge-catalogs.js';
export type { CatalogPart } from './catalog/merge-catalogs.js';
export { CatalogError } from './catalog/catalog-error.js';
export type { CatalogErrorCode } from './catalog/catalog-error.js';
export { DEFAULT_DCR_IMMUTABLE_ID } from './catalog/demo-identity.js';
export { checkTransformKql } from './kql/check-transform.js';
export { FaultInjector } from './faults/fault-injector.js';
export { UnsupportedKqlError } from './model.js';
export type {
  AppRegistration,
  Catalog,
  ColumnDef,
  ColumnType,
  DataFlowDef,
  DcrDef,
  FaultKind,
  FaultRule,
  QueryTable,
  Row,
  TableDef,
} from './model.js';
export { storeQuerySource } from './emulator.js';
export { openStore } from './store/sqlite-store.js';
export { runQuery } from './kql/query.js';
export type { QuerySource } from './kql/query.js';
export { parseKql } from './kql/kusto.js';
export type { KqlSyntax, SyntaxNode } from './kql/syntax.js';
export { analyzeKql } from './kql/kusto-analyze.js';
export type { AnalysisTable, KqlAnalysis, KqlDiagnostic } from './kql/kusto-analyze.js';
export { KqlQueryError } from './kql/errors.js';
export type { KqlErrorCode, KqlPosition } from './kql/errors.js';
