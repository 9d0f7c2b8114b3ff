// The resolved mapping configuration that validation produces and compilation consumes.

import { MAX_FIELD_VALUE_BYTES, MAX_REQUEST_BYTES } from './azure-limits.js';
import type { SecretKind } from './redact.js';
import type { SolutionConfig } from './schema.js';
import type { SourceExpr } from './source-expr.js';
import type { AsimStreamSpec } from './asim/model.js';

export const COLUMN_TYPES = [
  'string',
  'int',
  'long',
  'real',
  'boolean',
  'datetime',
  'dynamic',
  'guid',
] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

/** Stream declaration types of a DCR: the column types without `guid`. */
export type StreamColumnType = Exclude<ColumnType, 'guid'>;

export type Scalar = string | number | boolean;

export type AttributeCondition =
  | { readonly kind: 'equals'; readonly value: Scalar }
  | { readonly kind: 'in'; readonly values: readonly Scalar[] }
  | { readonly kind: 'exists'; readonly exists: boolean };

export interface MatchConfig {
  readonly eventName?: readonly string[];
  readonly minSeverity?: number;
  readonly attributes?: Readonly<Record<string, AttributeCondition>>;
  readonly resource?: Readonly<Record<string, AttributeCondition>>;
}

export type TransformConfig =
  | { readonly kind: 'hmac-sha256'; readonly keyEnv: string }
  | { readonly kind: 'lowercase' | 'uppercase' | 'trim' | 'redact' }
  | { readonly kind: 'truncate'; readonly maxBytes: number }
  | {
      readonly kind: 'lookup';
      /** Value → replacement, matched exactly. */
      readonly map: Readonly<Record<string, string>>;
      /** The replacement of a value `map` does not list; absent: such a value passes unchanged. */
      readonly default?: string;
    };

/**
 * What becomes of a value that does not fit its column's type (a coercion failure other than a
 * missing value): `keep` empties the column and keeps the original in the stream's overflow
 * column, `empty` empties the column, `reject` rejects the record. A `default` still fills the
 * column for `keep` and `empty`. (Not `null`: YAML reads that as no value.)
 */
export const MISMATCH_POLICIES = ['keep', 'empty', 'reject'] as const;
export type MismatchPolicy = (typeof MISMATCH_POLICIES)[number];

/** `true`: all secret kinds; `false`: none; a list: only those. */
export type RedactSetting = boolean | readonly SecretKind[];

export interface ResolvedDefaults {
  readonly maxFieldBytes: number;
  readonly maxRowBytes: number;
  readonly redact: RedactSetting;
  readonly sanitize: boolean;
  readonly hashKeyEnv: string;
  readonly onMismatch: MismatchPolicy;
}

export interface ColumnConfig {
  readonly name: string;
  readonly source: SourceExpr;
  /** The source as written, for summaries and messages. */
  readonly sourceText: string;
  readonly type: ColumnType;
  /** True when the type was inferred rather than written. */
  readonly typeInferred: boolean;
  readonly required: boolean;
  readonly default?: unknown;
  readonly transforms: readonly TransformConfig[];
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
  readonly redact: RedactSetting;
  readonly sanitize: boolean;
  readonly maxBytes: number;
  /** What becomes of a value that does not fit `type` (see `MismatchPolicy`). */
  readonly onMismatch: MismatchPolicy;
  readonly description?: string;
  /** True for the `TimeGenerated` column added because the file had none. */
  readonly added: boolean;
  /**
   * The ASIM fields the column plays, as its `asim` key lists them; `[]` for `asim: false`.
   * Absent: the column plays the field of its own name, in each schema that has one.
   */
  readonly asim?: readonly string[];
}

export interface StreamConfig {
  readonly index: number;
  readonly stream: string;
  readonly table: string;
  readonly endpoint: string;
  readonly dcrImmutableId: string;
  readonly match?: MatchConfig;
  readonly columns: readonly ColumnConfig[];
  readonly maxRowBytes: number;
  /**
   * The dynamic column that keeps values which did not fit their column (`onMismatch: keep`):
   * `overflowColumn` as written, else a dynamic `AdditionalFields`; absent when there is none.
   */
  readonly overflowColumn?: string;
  readonly description?: string;
  /** The DCR data flow's `transformKql`, when the mapping gives one; absent means `source`. */
  readonly transformKql?: string;
  /** How the stream's rows fit ASIM schemas (its `asim` section, resolved); absent without one. */
  readonly asim?: AsimStreamSpec;
}

/** What a transform checker is told about the stream whose `transformKql` it checks. */
export interface TransformContext {
  readonly stream: string;
  readonly table: string;
  /** The stream declaration's columns (what the exporter sends; `guid` as `string`). */
  readonly streamColumns: readonly { readonly name: string; readonly type: StreamColumnType }[];
  /** The table's columns (what the transform's output must fit). */
  readonly tableColumns: readonly { readonly name: string; readonly type: ColumnType }[];
}

/**
 * Checks a stream's `transformKql` beyond its first word (the mapping package does not parse
 * KQL): returns one message per problem, empty when the transform is fine. `checkTransformKql`
 * of `@otel-sentinel/kql` is one.
 */
export type TransformChecker = (kql: string, context: TransformContext) => readonly string[];

/** Where records without an `eventName` take one from (`eventNameFrom`), parsed. */
export interface EventNameSource {
  readonly source: SourceExpr;
  /** The source as written, for summaries and messages. */
  readonly sourceText: string;
}

export interface MappingConfig {
  readonly version: 1;
  readonly securityAttribute: string;
  /**
   * For records without an `eventName` (log bridges emit none): the source whose non-empty string
   * value is their event name, for `match.eventName` and `from: eventName` columns.
   */
  readonly eventNameFrom?: EventNameSource;
  readonly defaults: ResolvedDefaults;
  readonly streams: readonly StreamConfig[];
  /** The file the mapping came from, when it came from one. */
  readonly file?: string;
  /** Values for the Sentinel solution package (`otel-sentinel connector`), as written. */
  readonly solution?: SolutionConfig;
}

export const DEFAULTS: ResolvedDefaults = {
  maxFieldBytes: MAX_FIELD_VALUE_BYTES,
  // The largest row that still fits a request alone, in its JSON array: [row].
  maxRowBytes: MAX_REQUEST_BYTES - 2,
  redact: true,
  sanitize: true,
  hashKeyEnv: 'OTEL_SENTINEL_HASH_KEY',
  onMismatch: 'keep',
};

export const DEFAULT_SECURITY_ATTRIBUTE = 'security.event';
