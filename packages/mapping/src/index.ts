// Public API of @otel-sentinel/mapping.

export type {
  AnyValueLike,
  AttributesLike,
  HrTimeLike,
  InstrumentationScopeLike,
  LogRecordLike,
  ResourceLike,
  SpanContextLike,
} from './log-record.js';

export { OtelSentinelError } from './errors/otel-sentinel-error.js';
export type { OtelSentinelErrorOptions } from './errors/otel-sentinel-error.js';
export { ConfigError } from './errors/config-error.js';

export {
  formatPath,
  formatProblem,
  hasErrors,
  MappingCompileError,
  MappingValidationError,
} from './problems.js';
export type { MappingProblem, PathSegment, ProblemSeverity } from './problems.js';

export { DEPLOYMENT_PLACEHOLDERS, loadMapping, loadMappingFile, parseMapping } from './load-mapping.js';
export type { LoadOptions, ParseOptions } from './load-mapping.js';
export { mappingLocations } from './mapping-locations.js';
export type { LocationOptions, MappingLocations, MappingPosition } from './mapping-locations.js';
export { validateMapping } from './validate.js';
export type { ValidateOptions, ValidationResult } from './validate.js';
export { PRESET_NAMES, presetFile, presetTables } from './presets.js';
export type { PresetName } from './presets.js';

export { compileMapping } from './compile-mapping.js';
export { securityFlag } from './security-flag.js';
export type {
  CompiledMapping,
  CompiledStream,
  CompileOptions,
  MapOutcome,
  MappingStats,
  RejectCode,
  RejectReason,
  Row,
  RowResult,
  StreamStats,
} from './compile-mapping.js';
export type { NullReason } from './coerce.js';
export type { ColumnMismatch, ColumnMismatchStats, MismatchAction, MismatchReason } from './mismatch.js';
export { exactInteger, isRawJson, parseJsonExact } from './exact-json.js';
export type { RawJson } from './exact-json.js';

export { streamDeclaration, tableSchema } from './table-schema.js';
export type { StreamDeclaration, TableColumn, TableSchema } from './table-schema.js';

export { mappingJsonSchema, mappingSchema, SEVERITY_NAMES } from './schema.js';
export type { MappingInput, SolutionConfig } from './schema.js';
export {
  columnNameProblem,
  CUSTOM_STREAM_PREFIX,
  CUSTOM_TABLE_SUFFIX,
  MAX_DCR_BYTES_PER_MINUTE,
  MAX_DCR_REQUESTS_PER_MINUTE,
  MAX_FIELD_VALUE_BYTES,
  MAX_REQUEST_BYTES,
  MAX_TABLE_COLUMNS,
  RESERVED_COLUMN_NAMES,
} from './azure-limits.js';
export type { ColumnNameProblem } from './azure-limits.js';
export type { Bag, RecordField, SourceExpr } from './source-expr.js';
export { COLUMN_TYPES, DEFAULT_SECURITY_ATTRIBUTE, MISMATCH_POLICIES } from './types.js';
export type {
  AttributeCondition,
  ColumnConfig,
  ColumnType,
  EventNameSource,
  MappingConfig,
  MatchConfig,
  MismatchPolicy,
  RedactSetting,
  ResolvedDefaults,
  Scalar,
  StreamColumnType,
  StreamConfig,
  TransformChecker,
  TransformConfig,
  TransformContext,
} from './types.js';
export { ASIM_SCHEMA_NAMES } from './asim/model.js';
export {
  ASIM_SCHEMA_VERSIONS,
  asimAliases,
  asimField,
  asimMandatoryFields,
  asimSchema,
  isAsimSchemaName,
} from './asim/schemas.js';
export type { AsimFieldClass, AsimFieldInfo, AsimKqlType, AsimSchemaInfo } from './asim/schemas.js';
export {
  ASIM_DISABLED_PARAMETER,
  ASIM_FILTERING_PARAMETERS,
  ASIM_PACK_PARAMETER,
} from './asim/parser-parameters.js';
export type { AsimParserParameter } from './asim/parser-parameters.js';
export { AUTHENTICATION_RESULT_DETAILS } from './asim/authentication-fields.js';
export { AUDIT_OBJECT_TYPES } from './asim/audit-event-fields.js';
export type {
  AsimEventSpec,
  AsimFieldSpec,
  AsimSchemaName,
  AsimSchemaSpec,
  AsimStreamSpec,
} from './asim/model.js';

export { createRedactor, SECRET_KINDS } from './redact.js';
export type { RedactionCounts, Redactor, SecretKind } from './redact.js';
export { isSensitiveKey } from './sensitive-keys.js';
export { setAttribute } from './own-key.js';
export { sanitizeString } from './sanitize.js';
export { truncateUtf8, utf8ByteLength } from './truncate.js';
export { hrTimeToIso, parseDateTime } from './datetime.js';

export { OtlpJsonError, readOtlpJsonLine, readOtlpJsonRequest, readOtlpJsonText } from './otlp-json.js';
export * as otlpJsonReading from './otlp-json-reading.js';

export { InferError, inferMapping, parseSampleText } from './infer-mapping.js';
export type { InferOptions, InferredColumn, InferredMapping } from './infer-mapping.js';
export { renderMappingYaml } from './render-mapping-yaml.js';
export { renderPresetMapping } from './render-preset-mapping.js';
export type { PresetRenderOptions } from './render-preset-mapping.js';
export type { RenderOptions } from './render-mapping-yaml.js';
export { UnknownSecretKindError } from './redact.js';
export { createSalvager } from './salvage.js';
export type { SalvageOptions } from './salvage.js';
