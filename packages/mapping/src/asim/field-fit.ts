// Which table column types can carry which ASIM field types, and the catalogue-wide questions the
// mapping's checks ask (is this a field of any schema, of which, or an alias of what).

import type { ColumnType } from '../types.js';
import { didYouMean } from './did-you-mean.js';
import type { AsimFieldInfo, AsimKqlType } from './field-builders.js';
import { ASIM_SCHEMA_NAMES, type AsimSchemaName } from './model.js';
import { asimField, asimSchema } from './schemas.js';

/**
 * The column types a parser can turn into each ASIM field type without losing meaning: any scalar
 * becomes a string (an HTTP status as text), an int widens to a long or a real; the rest must match.
 */
const CARRIERS: Readonly<Record<AsimKqlType, readonly ColumnType[]>> = {
  string: ['string', 'guid', 'int', 'long', 'real', 'boolean'],
  int: ['int'],
  long: ['int', 'long'],
  real: ['int', 'long', 'real'],
  bool: ['boolean'],
  datetime: ['datetime'],
  dynamic: ['dynamic'],
  guid: ['guid', 'string'],
};

/** `an int`, `a string`: an ASIM type with its article, for messages. */
export function typeName(type: AsimKqlType): string {
  return `${type === 'int' ? 'an' : 'a'} ${type}`;
}

export function columnFits(column: ColumnType, field: AsimKqlType): boolean {
  return CARRIERS[field].includes(column);
}

/** The field in each schema that has it as a field (not as an alias). */
export function fieldInSchemas(name: string): { schema: AsimSchemaName; field: AsimFieldInfo }[] {
  const out: { schema: AsimSchemaName; field: AsimFieldInfo }[] = [];
  for (const schema of ASIM_SCHEMA_NAMES) {
    const field = asimField(schema, name);
    if (field !== undefined && field.class !== 'Alias') out.push({ schema, field });
  }
  return out;
}

/** `User is an alias of TargetUsername in Authentication, of ActorUsername in AuditEvent …`. */
export function aliasMessage(
  name: string,
  schemas: readonly AsimSchemaName[] = ASIM_SCHEMA_NAMES,
): string | undefined {
  const of = schemas.flatMap((schema) => {
    const f = asimField(schema, name);
    return f?.class === 'Alias' && f.aliasOf !== undefined ? [`of ${f.aliasOf} in ${schema}`] : [];
  });
  if (of.length === 0) return undefined;
  const targets = new Set(schemas.map((s) => asimField(s, name)?.aliasOf).filter((t) => t !== undefined));
  const use = targets.size === 1 ? `use ${[...targets].join('')}` : 'use the field it repeats';
  return `${name} is an ASIM alias (${of.join(', ')}), which the parser derives: ${use} instead`;
}

let allFieldNames: Set<string> | undefined;

/** `; did you mean X?` among the fields of all four schemas (aliases left out). */
export function suggestField(name: string, schemas: readonly AsimSchemaName[] = ASIM_SCHEMA_NAMES): string {
  if (schemas === ASIM_SCHEMA_NAMES) {
    allFieldNames ??= new Set(schemas.flatMap((s) => fieldNames(s)));
    return didYouMean(name, allFieldNames);
  }
  return didYouMean(name, new Set(schemas.flatMap((s) => fieldNames(s))));
}

function fieldNames(schema: AsimSchemaName): string[] {
  return asimSchema(schema)
    .fields.filter((f) => f.class !== 'Alias')
    .map((f) => f.name);
}
