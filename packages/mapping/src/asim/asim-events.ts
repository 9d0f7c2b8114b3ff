// One schema's `events`: each event name with the fields it sets (and those it gives only where
// the column is empty), every field and value checked against the catalogue.

import type { PathSegment } from '../problems.js';
import type { Problems } from '../semantics/semantic-context.js';
import type { AsimEventInput } from './asim-input.js';
import { checkValue, constantText, schemaField } from './asim-values.js';
import type { AsimEventSpec, AsimSchemaName } from './model.js';

export function resolveEvents(
  schema: AsimSchemaName,
  written: Readonly<Record<string, AsimEventInput>>,
  path: readonly PathSegment[],
  problems: Problems,
): AsimEventSpec[] {
  return Object.entries(written).map(([name, event]) => {
    const { ifEmpty, ...constants } = event;
    const set = checkedConstants(schema, constants, [...path, name], problems);
    if (ifEmpty === undefined) return { name, set };
    return { name, set, ifEmpty: checkedConstants(schema, ifEmpty, [...path, name, 'ifEmpty'], problems) };
  });
}

function checkedConstants(
  schema: AsimSchemaName,
  written: Readonly<Record<string, string | number | boolean | undefined>>,
  path: readonly PathSegment[],
  problems: Problems,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(written)) {
    if (raw === undefined) continue;
    const field = schemaField(schema, name, [...path, name], problems);
    const value = constantText(raw);
    if (field !== undefined && checkValue(schema, field, value, [...path, name], problems)) out[name] = value;
  }
  return out;
}
