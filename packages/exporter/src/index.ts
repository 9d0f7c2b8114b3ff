// Public API of @otel-sentinel/exporter.

export { SentinelLogExporter } from './sentinel-log-exporter.js';
export type {
  BatchResult,
  CredentialCheck,
  CredentialCheckOptions,
  MappedRow,
  UnmappedRecord,
} from './sentinel-log-exporter.js';
export { SentinelLogRecordProcessor } from './sentinel-log-record-processor.js';
export type { DeliveryPipeline } from './pipeline/delivery-pipeline.js';
export type { RowPipeline, SubmitOptions, Submission, RecoveryStatus } from './pipeline/row-pipeline.js';
export type { Durability } from './pipeline/pipeline-config.js';
export type { DeliveryStore, AdoptionReport, EndedOwner } from './store/store-types.js';
export { readSpool } from './store/read-spool.js';
export type { ReadSpoolOptions, SpoolContents, LeftInQueue } from './store/read-spool.js';
export { withoutSecurityEvents } from './without-security-events.js';
export type { LogRecordProcessorLike, WithoutSecurityEventsOptions } from './without-security-events.js';
export { createSentinelLogging } from './create-sentinel-logging.js';
export type { SentinelLogging, SentinelLoggingOptions } from './create-sentinel-logging.js';
export type { SentinelLogExporterOptions, SentinelLogRecordProcessorOptions } from './config.js';
// Every error is an OtelSentinelError; a bad option is a ConfigError (docs/errors.md).
export { ConfigError, OtelSentinelError } from '@otel-sentinel/mapping';
export { ExporterStoppedError, UndeliveredRowsError } from './errors.js';
export type { ExporterStats } from './self-metrics.js';
export { APP_TRACES_ROW_OVERHEAD, operationalRowBytes } from './operational-bytes.js';
export type {
  DeploymentCheck,
  DeploymentCheckContext,
  DeploymentCheckResult,
  DeploymentCheckStatus,
  DeploymentFinding,
  DeploymentFindingSeverity,
} from './deployment-check.js';
export type { RowBatch, StreamTarget, UndeliveredReason } from './row-batch.js';
export type { RetryOptions } from './delivery/retry-policy.js';
export { backoffDelayMs, parseRetryAfter } from './delivery/backoff.js';
export type { SpoolOptions } from './spool/spool-options.js';
export { replaySpool } from './spool/replay.js';
export type { RedirectedEntries, ReplayOptions, ReplayResult, SpooledBecause } from './spool/replay.js';
export type { SpoolEntry } from './spool/spool-entry.js';
export { replayToSentinel } from './replay-to-sentinel.js';
export type {
  ReplayFailure,
  ReplayStop,
  ReplayToSentinelOptions,
  ReplayToSentinelResult,
} from './replay-to-sentinel.js';
export { ReplayRouteError } from './spool/replay-route.js';
export type { TargetFields } from './spool/replay-route.js';
export { ReplayError } from './spool/replay.js';
export type { StreamReplayCounts } from './spool/replay.js';
export type { StoreStats, SpoolResult } from './store/store-types.js';
export { parseSpoolEntry, SpoolFormatError } from './spool/spool-entry.js';
export { SpoolClosedError, SpoolFullError, SpoolIoError } from './spool/spool-errors.js';
export { withTracingSuppressed } from './with-tracing-suppressed.js';
export { routeSecurityEvents, RoutingUnsupportedError } from './route-security-events.js';
export { probeStreams } from './startup-check.js';
export type { ProbeFinding, ProbeOptions, StartupCheckReport, StreamProbe } from './startup-check.js';
export type { StartupCheckResult } from './startup-check-run.js';
export { DEFAULT_AUTHORITY_HOST, FailureExplainer } from './delivery/failure-reporter.js';
export type { ExplainedFailure, FailureExplainerOptions } from './delivery/failure-reporter.js';
export { failureCauseOf } from './delivery/failure-cause.js';
export { explainFailure } from './delivery/explain-failure.js';
export type { FailureCause, FailureCauseName, FailureSite } from './delivery/failure-cause.js';
export type { StartupCheckStatus } from './self-metrics.js';
