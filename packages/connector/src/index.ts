// Public API of @otel-sentinel/connector.

export { generateSolution } from './generate-solution.js';
export { OWASP_TABLE, usesOwaspTable } from './analytic-rules.js';
export type { AnalyticRuleFile } from './analytic-rules.js';
export type { GeneratedFile, GenerateOptions } from './generate-solution.js';
export {
  ARM_TEMPLATE_PATH,
  generateArmTemplate,
  MONITORING_METRICS_PUBLISHER,
  type ArmTemplateOptions,
} from './arm-template.js';
export { checkSolution } from './check-solution.js';
export type { CheckOptions, CheckProblem, CheckRule } from './check-solution.js';
export type { AsimParserCheck } from './check-asim-parsers.js';
export type { WorkbookCheck } from './check-workbooks.js';
export type { AnalyzerResult, AnalyzerTable, KqlAnalyzer } from './check-asim-parser-output.js';
export { generateAsimParsers } from './asim-solution.js';
export type { AsimParser, AsimParserOptions } from './asim-parsers.js';
export type { ParserKind, ParserParam } from './asim-parser-params.js';
export { OtelSentinelError } from '@otel-sentinel/mapping';
export { ConnectorError } from './errors.js';
export type { ConnectorErrorCode } from './errors.js';
export {
  connectorId,
  exampleFields,
  folderName,
  resolveSolutionInfo,
  SolutionInfoError,
  solutionInfoOf,
  SUPPORT_TIERS,
} from './solution-info.js';
export type {
  PartialSolutionInfo,
  SolutionField,
  SolutionInfo,
  SolutionIssue,
  SupportInfo,
  SupportTier,
} from './solution-info.js';
export { findDrift } from './drift/find-drift.js';
export type {
  DriftFinding,
  DriftOptions,
  DriftSeverity,
  TransformProjection,
  TransformProjector,
} from './drift/find-drift.js';
export { loadDeployment } from './drift/load-deployment.js';
export { DeploymentError, readDcr, readDeployment, readTable } from './drift/read-deployment.js';
export type {
  DeployedColumn,
  DeployedDcr,
  DeployedFlow,
  DeployedTable,
  Deployment,
} from './drift/deployment.js';
export { readLiveDeployment } from './drift/live-deployment.js';
export type { LiveReadOptions, LiveResource, LiveTarget } from './drift/live-deployment.js';
export { locateDrift } from './drift/locate-drift.js';
export type { LocateOptions } from './drift/locate-drift.js';
export { deploymentCheck } from './drift/deployment-check.js';
export type {
  DeploymentCheckContext,
  DeploymentCheckFunction,
  DeploymentCheckOptions,
  FilesCheckOptions,
  LiveCheckOptions,
} from './drift/deployment-check.js';
export { valueFate } from './drift/value-fate.js';
export type { ValueFate } from './drift/value-fate.js';
