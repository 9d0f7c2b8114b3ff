// The checks a value or a field name written for one ASIM schema must pass: the field is the
// schema's own (not an alias), and the value fits its type and its closed list of values.

import type { PathSegment } from '../problems.js';
import type { Problems } from '../semantics/semantic-context.js';
import { aliasMessage, suggestField, typeName } from './field-fit.js';
import type { AsimFieldInfo, AsimKqlType } from './field-builders.js';
import type { AsimSchemaName } from './model.js';
import { asimField } from './schemas.js';

/** The field, when `name` is a field of `schema` that may be written; reported otherwise. */
export function schemaField(
  schema: AsimSchemaName,
  name: string,
  path: readonly PathSegment[],
  problems: Problems,
): AsimFieldInfo | undefined {
  const field = asimField(schema, name);
  if (field !== undefined && field.class !== 'Alias') return field;
  if (field !== undefined) {
    problems.error('E_ASIM_ALIAS', path, aliasMessage(name, [schema]) ?? `${name} is an alias`, 'key');
    return undefined;
  }
  problems.error(
    'E_ASIM_FIELD',
    path,
    `${schema} has no field ${name}${suggestField(name, [schema])} (ASIM field names are case-sensitive)`,
    'key',
  );
  return undefined;
}

const TYPE_RULES: Partial<Record<AsimKqlType, { test: RegExp; what: string }>> = {
  int: { test: /^-?\d+$/, what: 'a whole number' },
  long: { test: /^-?\d+$/, what: 'a whole number' },
  real: { test: /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/, what: 'a number' },
  bool: { test: /^(true|false)$/, what: 'true or false' },
  guid: {
    test: /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
    what: 'a GUID',
  },
};

/** Whether `value` may be written for `field`; reported at `path` when not. */
export function checkValue(
  schema: AsimSchemaName,
  field: AsimFieldInfo,
  value: string,
  path: readonly PathSegment[],
  problems: Problems,
): boolean {
  if (field.values !== undefined && !field.values.includes(value)) {
    problems.error(
      'E_ASIM_VALUE',
      path,
      `${schema} ${field.name} must be one of ${field.values.join(', ')}; got "${value}"${caseHint(value, field.values)}`,
    );
    return false;
  }
  const rule = TYPE_RULES[field.type];
  if (rule !== undefined && !rule.test.test(value)) {
    problems.error(
      'E_ASIM_VALUE',
      path,
      `${schema} ${field.name} is ${typeName(field.type)}: "${value}" is not ${rule.what}`,
    );
    return false;
  }
  return true;
}

function caseHint(value: string, values: readonly string[]): string {
  const same = values.find((v) => v.toLowerCase() === value.toLowerCase());
  return same === undefined ? '' : ` (values are case-sensitive: ${same})`;
}

/** A constant as the file may write it (YAML reads 403 as a number) in the string form ASIM keeps. */
export function constantText(value: string | number | boolean): string {
  return String(value);
}
