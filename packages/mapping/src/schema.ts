// The structure of a mapping file as a zod schema: the one source of truth for both the
// validator and the published JSON Schema (scripts/write-json-schema.mjs). Rules that need more
// than structure (source expressions, names, routing order) live in semantics/.

import { z } from 'zod';
import { COLUMN_TYPES, MISMATCH_POLICIES } from './types.js';
import { SECRET_KINDS } from './redact.js';
import { PRESET_NAMES } from './presets.js';
import { columnAsimSchema, streamAsimSchema } from './asim/asim-input.js';
import {
  COLUMN_NAME_MAX_LENGTH,
  COLUMN_NAME_MIN_LENGTH,
  COLUMN_NAME_PATTERN,
  CUSTOM_STREAM_PREFIX,
  CUSTOM_TABLE_SUFFIX,
  MAX_FIELD_VALUE_BYTES,
  MAX_REQUEST_BYTES,
} from './azure-limits.js';

export const SEVERITY_NAMES = [
  'TRACE',
  'TRACE2',
  'TRACE3',
  'TRACE4',
  'DEBUG',
  'DEBUG2',
  'DEBUG3',
  'DEBUG4',
  'INFO',
  'INFO2',
  'INFO3',
  'INFO4',
  'WARN',
  'WARN2',
  'WARN3',
  'WARN4',
  'ERROR',
  'ERROR2',
  'ERROR3',
  'ERROR4',
  'FATAL',
  'FATAL2',
  'FATAL3',
  'FATAL4',
] as const;

const envName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
  .describe('An environment variable name');

const onMismatch = z
  .enum(MISMATCH_POLICIES)
  .describe(
    'A value that does not fit the column type: keep (default) empties the column and keeps the original, with the column name and the reason, in the stream overflow column; empty empties the column; reject rejects the record. Each is counted and reported',
  );

const scalar = z.union([z.string(), z.number(), z.boolean()]);

const redactSetting = z
  .union([z.boolean(), z.array(z.enum(SECRET_KINDS as unknown as [string, ...string[]])).min(1)])
  .describe('true: look for every kind of secret; false: none; a list: only those kinds');

const defaultsSchema = z
  .strictObject({
    maxFieldBytes: z
      .int()
      .min(16)
      .max(MAX_FIELD_VALUE_BYTES)
      .optional()
      .describe('Most UTF-8 bytes a column value may take; longer values are truncated (default 65536)'),
    maxRowBytes: z
      .int()
      .min(1024)
      .max(MAX_REQUEST_BYTES - 2) // the row alone in a JSON array: [row]
      .optional()
      .describe('Most bytes one serialised row may take; larger rows are rejected (default 1048574)'),
    redact: redactSetting.optional(),
    sanitize: z.boolean().optional().describe('Escape control and bidi characters in strings (default true)'),
    hashKeyEnv: envName
      .optional()
      .describe('Environment variable with the hmac-sha256 key (default OTEL_SENTINEL_HASH_KEY)'),
    onMismatch: onMismatch.optional(),
  })
  .describe('Safety and limit defaults');

const constSource = z.strictObject({ const: z.unknown().describe('A constant value') });
const singleSource = z.union([
  z
    .string()
    .min(1)
    .describe(
      "timestamp, observedTimestamp, severityText, severityNumber, body, eventName, traceId, spanId, scope.name, scope.version, rowId (a stable id per record, for removing duplicates), attributes['k'], resource['k'], body['k'], attributes or resource",
    ),
  constSource,
]);
const source = z
  .union([singleSource, z.array(singleSource).min(1).describe('The first source whose value is not empty')])
  .describe('Where the column value comes from');

const transformName = z.enum(['hmac-sha256', 'lowercase', 'uppercase', 'trim', 'redact']);
const lookupTransform = z
  .strictObject({
    lookup: z
      .record(z.string(), z.string())
      .describe('Value → replacement; a value matches a key exactly (case-sensitive)'),
    default: z
      .string()
      .optional()
      .describe('Replacement for a value the lookup does not list; without it such a value passes unchanged'),
  })
  .describe('Replaces a string found in lookup by its replacement');
const transform = z.union([
  transformName,
  z.strictObject({ 'hmac-sha256': z.strictObject({ keyEnv: envName }) }),
  z.strictObject({
    truncate: z.int().min(1).max(MAX_FIELD_VALUE_BYTES).describe('Most UTF-8 bytes to keep'),
  }),
  lookupTransform,
]);

export const columnSchema = z
  .strictObject({
    from: source.optional(),
    type: z.enum(COLUMN_TYPES).optional().describe('Column type; inferred from the source when omitted'),
    required: z
      .boolean()
      .optional()
      .describe('Reject the record when the value is missing or cannot be coerced'),
    default: z.unknown().optional().describe('Value used when the source is missing or cannot be coerced'),
    onMismatch: onMismatch.optional(),
    transform: z.union([transform, z.array(transform).min(1)]).optional(),
    include: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('For attributes/resource bags: keys to keep'),
    exclude: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('For attributes/resource bags: keys to drop'),
    redact: redactSetting.optional(),
    sanitize: z.boolean().optional(),
    maxBytes: z.int().min(16).max(MAX_FIELD_VALUE_BYTES).optional(),
    description: z.string().optional(),
    asim: columnAsimSchema.optional(),
  })
  .describe('A column of the table');

const attributeCondition = z.union([
  scalar,
  z.strictObject({ equals: scalar }),
  z.strictObject({ in: z.array(scalar).min(1) }),
  z.strictObject({ exists: z.boolean() }),
]);

export const matchSchema = z
  .strictObject({
    eventName: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
      .optional()
      .describe('Event-name globs (* and ?); any of them'),
    minSeverity: z
      .union([z.enum(SEVERITY_NAMES), z.int().min(1).max(24)])
      .optional()
      .describe('Lowest severity taken'),
    attributes: z.record(z.string().min(1), attributeCondition).optional(),
    resource: z.record(z.string().min(1), attributeCondition).optional(),
  })
  .describe('Which security records this stream takes; all given keys must hold');

export const streamSchema = z.strictObject({
  stream: z
    .string()
    .regex(new RegExp(`^${CUSTOM_STREAM_PREFIX}`))
    .describe('DCR input stream; starts with Custom-'),
  table: z
    .string()
    .regex(new RegExp(`${CUSTOM_TABLE_SUFFIX}$`))
    .describe('Destination custom table; ends with _CL'),
  description: z.string().optional(),
  endpoint: z.string().optional().describe('Overrides the top-level endpoint for this stream'),
  dcrImmutableId: z.string().optional().describe('Overrides the top-level dcrImmutableId for this stream'),
  match: matchSchema.optional(),
  defaults: defaultsSchema.optional(),
  transformKql: z
    .string()
    .min(1)
    .optional()
    .describe(
      'DCR transform for this stream, KQL starting with source; default source (rows pass unchanged)',
    ),
  overflowColumn: z
    .string()
    .regex(new RegExp(COLUMN_NAME_PATTERN))
    .optional()
    .describe(
      'The dynamic column of this stream that keeps values which did not fit their column (onMismatch: keep), under the key otel_sentinel.mismatch; default AdditionalFields when it is a dynamic column',
    ),
  columns: z
    .record(
      z
        .string()
        .regex(new RegExp(COLUMN_NAME_PATTERN))
        .min(COLUMN_NAME_MIN_LENGTH)
        .max(COLUMN_NAME_MAX_LENGTH),
      z.union([z.string().min(1), columnSchema]),
    )
    .describe('Column name → column (a string is shorthand for { from: <string> })'),
  asim: streamAsimSchema.optional(),
});

/** Values of the Sentinel solution package `otel-sentinel connector` generates from this mapping. */
export const solutionSchema = z
  .strictObject({
    name: z.string().min(1).describe('Solution name; its folder name is this without spaces'),
    publisher: z.string().min(1).describe('Publisher shown in Sentinel'),
    publisherId: z
      .string()
      .regex(/^[a-z][a-z0-9]*$/)
      .describe('Marketplace publisher id: lower-case letters and digits'),
    offerId: z
      .string()
      .regex(/^[a-z][a-z0-9-]*$/)
      .describe('Marketplace offer id: lower-case letters, digits and -'),
    version: z
      .string()
      .regex(/^\d+\.\d+\.\d+$/)
      .describe('Solution version, semver (1.0.0)'),
    description: z.string().min(1).describe('What the solution does (Markdown)'),
    logo: z.string().optional().describe('SVG of the logo'),
    support: z
      .strictObject({
        name: z.string().min(1).optional(),
        email: z.string().min(1).optional(),
        link: z.string().min(1).optional(),
        tier: z.enum(['Microsoft', 'Partner', 'Community']).optional(),
      })
      .optional(),
  })
  .partial()
  .describe('Sentinel solution package values (otel-sentinel connector); flags can supply or override each');

export const mappingSchema = z
  .strictObject({
    $schema: z.string().optional(),
    version: z.literal(1).describe('Mapping format version'),
    extends: z
      .enum(PRESET_NAMES)
      .optional()
      .describe(
        "A shipped preset to start from: its streams (unless this file gives streams, which replace them) and defaults (this file's fields win); everything else comes from this file",
      ),
    securityAttribute: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Attribute that flags a security record (boolean true or the string "true"), as a flat key or nested in map attributes (security.event matches { "security.event": true } and { security: { event: true } }); default security.event',
      ),
    eventNameFrom: source
      .optional()
      .describe(
        "Where records without an eventName (pino, winston and other log bridges) take one, for match.eventName and from: eventName columns, e.g. attributes['event']; a record's own eventName wins; only non-empty strings count",
      ),
    endpoint: z.string().optional().describe('Logs Ingestion endpoint (DCE or DCR logsIngestion URI), https'),
    dcrImmutableId: z.string().optional().describe('DCR immutable id (dcr-<32 hex>)'),
    defaults: defaultsSchema.optional(),
    solution: solutionSchema.optional(),
    streams: z
      .array(streamSchema)
      .min(1)
      .optional()
      .describe(
        'Streams, tried in order; the first whose match holds takes the record. Required unless extends names a preset',
      ),
  })
  .describe('otel-sentinel mapping: OpenTelemetry security log records to Microsoft Sentinel custom tables');

export type MappingInput = z.input<typeof mappingSchema>;
export type SolutionConfig = z.infer<typeof solutionSchema>;
export type StreamInput = z.infer<typeof streamSchema>;
export type ColumnInput = z.infer<typeof columnSchema>;
export type MatchInput = z.infer<typeof matchSchema>;
export type DefaultsInput = z.infer<typeof defaultsSchema>;
export type TransformInput = z.infer<typeof transform>;

/** The JSON Schema of the mapping file, derived from the zod schema above. */
export function mappingJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(mappingSchema, { target: 'draft-2020-12', unrepresentable: 'any' });
  return {
    ...schema,
    $id: 'urn:otel-sentinel:mapping:1',
    title: 'otel-sentinel mapping file',
    // A file gives its streams, or takes them from a preset (validate.ts checks the same).
    anyOf: [{ required: ['streams'] }, { required: ['extends'] }],
  };
}
