// Kusto scalar types, how each is held while a query or transform runs, and table schemas.

import type { ColumnType } from './model.js';

/**
 * Kusto type names, as Log Analytics reports them in `columns[].type`.
 *
 * Values at run time: string → string (never null: Kusto has no null string, missing is '');
 * guid → string | null; int, long, real → number | null; bool → boolean | null;
 * datetime, timespan → bigint ticks (100 ns; datetimes since the Unix epoch) | null;
 * dynamic → any JSON value.
 */
export type KqlType =
  'string' | 'int' | 'long' | 'real' | 'bool' | 'datetime' | 'timespan' | 'dynamic' | 'guid';

export interface SchemaColumn {
  readonly name: string;
  readonly type: KqlType;
  /** Readable by name but left out of `T` and `project-away` results (`_TimeReceived`). */
  readonly hidden?: boolean;
}

export type Schema = readonly SchemaColumn[];

/** A row while it runs through a pipeline: values in schema order. */
export type Tuple = unknown[];

export function kqlTypeOf(type: ColumnType): KqlType {
  return type === 'boolean' ? 'bool' : type;
}

export function isNumeric(type: KqlType): boolean {
  return type === 'int' || type === 'long' || type === 'real';
}

export function isTicks(type: KqlType): boolean {
  return type === 'datetime' || type === 'timespan';
}

export function indexOfColumn(schema: Schema, name: string): number {
  for (let i = 0; i < schema.length; i++) if (schema[i]?.name === name) return i;
  return -1;
}

/** What evaluation needs besides the row. */
export interface EvalContext {
  /** `now()`, in ticks. */
  readonly now: bigint;
}
