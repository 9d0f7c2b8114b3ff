// The mapping file's ASIM keys as zod schemas: a column's `asim` roles and a stream's `asim`
// section. Structure only; the names, types and values are checked against the catalogue in
// resolve-asim.ts.

import { z } from 'zod';
import { COLUMN_NAME_PATTERN } from '../azure-limits.js';

const fieldName = z.string().min(1).describe('An ASIM field name, e.g. TargetUsername (case-sensitive)');
const columnName = z.string().regex(new RegExp(COLUMN_NAME_PATTERN)).describe('A column of this stream');

export const columnAsimSchema = z
  .union([fieldName, z.array(fieldName).min(1), z.literal(false)])
  .describe(
    'The ASIM field(s) this column plays, e.g. ActorUserId or [TargetUserId, ActorUserId]; false: none. Default: the field of the same name, where a schema of the stream asim section has one',
  );

const constant = z.union([z.string(), z.number(), z.boolean()]);

const asimEvent = z
  .object({
    ifEmpty: z
      .record(fieldName, constant)
      .optional()
      .describe("Values used for this event only where the field's column is empty"),
  })
  .catchall(constant)
  .describe(
    'ASIM fields this event sets, e.g. { EventType: Logon, EventResult: Failure }; they win over columns',
  );

const asimField = z
  .union([
    columnName,
    z.literal(false),
    z.strictObject({
      column: columnName,
      lookup: z
        .record(z.string(), z.string())
        .optional()
        .describe('Column value → ASIM value, matched exactly'),
      otherwise: z
        .string()
        .optional()
        .describe('The ASIM value of a value lookup does not list; default: the value'),
    }),
  ])
  .describe('The column this field is read from in this schema (false: none), with an optional translation');

const asimStreamSchema = z
  .strictObject({
    events: z
      .record(z.string().min(1), asimEvent)
      .describe('The events of this schema, by the value of the event column, with the fields each sets'),
    fields: z
      .record(fieldName, asimField)
      .optional()
      .describe('Where this schema takes a field from, when that differs from the column roles'),
  })
  .describe('One ASIM schema the rows of this stream fit');

export const streamAsimSchema = z
  .strictObject({
    vendor: z
      .string()
      .min(1)
      .optional()
      .describe('EventVendor of every row; default solution.publisher, else otel-sentinel'),
    product: z
      .string()
      .min(1)
      .optional()
      .describe('EventProduct of every row; default solution.name, else the table name without _CL'),
    eventColumn: columnName
      .optional()
      .describe('The column holding the event name; default the column playing EventOriginalType'),
    schemas: z
      .record(z.string().min(1), asimStreamSchema)
      .describe(
        'Authentication, AuditEvent, UserManagement or WebSession → the events and fields of that schema',
      ),
  })
  .describe(
    'How the rows of this stream fit ASIM schemas, for the parsers otel-sentinel connector generates',
  );

export type ColumnAsimInput = z.infer<typeof columnAsimSchema>;
export type StreamAsimInput = z.infer<typeof streamAsimSchema>;
export type AsimSchemaInput = z.infer<typeof asimStreamSchema>;
export type AsimEventInput = z.infer<typeof asimEvent>;
export type AsimFieldInput = z.infer<typeof asimField>;
