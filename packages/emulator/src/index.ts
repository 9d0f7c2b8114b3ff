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
// Every error is an OtelSentinelError; a bad option of startEmulator is a ConfigError (docs/errors.md).
export { ConfigError, OtelSentinelError } from '@otel-sentinel/mapping';
export { CatalogError } from './catalog/catalog-error.js';
export { WorkspaceError } from './workspace/workspace-error.js';
export type { WorkspaceErrorCode } from './workspace/workspace-error.js';
export type { WorkspaceOptions } from './workspace/workspace-options.js';
export type { CatalogErrorCode } from './catalog/catalog-error.js';
export { DEFAULT_DCR_IMMUTABLE_ID } from './catalog/demo-identity.js';
export { FaultInjector } from './faults/fault-injector.js';
// startEmulator throws it for a DCR transform it cannot apply, so callers can catch it from here.
export { UnsupportedKqlError } from '@otel-sentinel/kql';
// ColumnDef, ColumnType, QueryTable and Row are @otel-sentinel/kql's, named here because the
// catalog's tables and RunningEmulator.query are written in them.
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
export { recordedQuerySource, storeQuerySource } from './emulator.js';
export { openStore } from './store/sqlite-store.js';
export { DetectionError } from './detections/detection-error.js';
export type { DetectionErrorCode } from './detections/detection-error.js';
export type { DetectionOptions, DetectionsOptions } from './detections/detections-options.js';
export type {
  Alert,
  Detections,
  Entity,
  Incident,
  IncidentDetail,
  IncidentEvent,
  RuleSummary,
  RunOutcome,
  RunRecord,
  Severity,
} from './detections/detection-types.js';
export type { AutomationTargetSummary, EmulatorAutomation } from './automation/automation.js';
export type { AutomationTarget } from './automation/automation-options.js';
export type { Delivery, DeliveryAttempt, DeliveryState, DeliveryWithPayload } from './automation/delivery.js';
export { AutomationError } from './automation/automation-error.js';
export type { AutomationErrorCode } from './automation/automation-error.js';
export type {
  CostSummary,
  EmulatorCost,
  OperationalCost,
  Projection,
  TableCost,
  TableCostDay,
} from './cost/cost-view.js';
export type { CostOptions } from './cost/cost-options.js';
export { OperationalReportError } from './cost/operational-report.js';
export type { OperationalReport } from './cost/operational-report.js';
export type { OperationalDay, OperationalSource } from './cost/operational-volumes.js';
export type { ProjectionWindow } from './cost/projection.js';
