// The value a parameter holds while the workbook is open, and how it is written into a query or a
// text by each of Microsoft's formats ({Name}, {Name:label}, {TimeRange:start}, …). Pure (no DOM).

import type { DropdownOption, DropdownParameter, ParameterDef } from './parameter-model.js';
import { agoFilter, kqlDatetime, timeGrain, timeRangeLabel } from './time-range.js';

export type ParameterValue =
  | { readonly kind: 'time'; readonly durationMs: number }
  | {
      readonly kind: 'list';
      readonly selected: readonly DropdownOption[];
      /** "All" is chosen: {Name} is the selectAllValue when the parameter has one. */
      readonly all: boolean;
      readonly def: DropdownParameter;
    }
  | { readonly kind: 'text'; readonly value: string };

/** Where the text goes: a KQL query, or a markdown text shown to people. */
export type SubstitutionContext = 'query' | 'text';

/** The value a parameter starts with, from its saved value and (for a drop-down) its options. */
export function initialValue(
  def: ParameterDef,
  options?: readonly DropdownOption[],
): ParameterValue | undefined {
  switch (def.kind) {
    case 'time':
      return { kind: 'time', durationMs: def.defaultMs };
    case 'dropdown':
      return selectionOf(def, options ?? def.options, def.initial);
    case 'text':
      return { kind: 'text', value: def.initial };
    case 'unsupported':
      return def.initial === undefined ? undefined : { kind: 'text', value: def.initial };
  }
}

/**
 * A drop-down's value for the chosen `values`: `value::all` chooses All, `value::N` the first N
 * options, anything else the options with those values (else those marked selected).
 */
export function selectionOf(
  def: DropdownParameter,
  options: readonly DropdownOption[],
  values: readonly string[],
): ParameterValue {
  if (values.includes('value::all')) return { kind: 'list', selected: options, all: true, def };
  const first = values.map((v) => /^value::(\d+)$/.exec(v)?.[1]).find((n) => n !== undefined);
  if (first !== undefined)
    return { kind: 'list', selected: options.slice(0, Number(first)), all: false, def };
  let selected = options.filter((o) => values.includes(o.value));
  if (selected.length === 0 && values.length === 0) selected = options.filter((o) => o.selected);
  if (!def.multiSelect) selected = selected.slice(0, 1);
  return { kind: 'list', selected, all: false, def };
}

/**
 * The text a parameter becomes under `format` (undefined: the bare `{Name}`), or undefined when
 * the format is not one this console knows (the reference is then left as written).
 */
export function formatValue(
  value: ParameterValue,
  format: string | undefined,
  context: SubstitutionContext,
  now: Date,
): string | undefined {
  if (value.kind === 'time') return formatTime(value.durationMs, format?.toLowerCase(), context, now);
  if (value.kind === 'text')
    return format === undefined || /^(value|label)$/i.test(format) ? value.value : undefined;
  return formatList(value, format?.toLowerCase());
}

function formatTime(
  durationMs: number,
  format: string | undefined,
  context: SubstitutionContext,
  now: Date,
): string | undefined {
  const start = new Date(now.getTime() - durationMs);
  switch (format) {
    case undefined:
      return context === 'query' ? agoFilter(durationMs) : timeRangeLabel(durationMs);
    case 'label':
      return timeRangeLabel(durationMs);
    case 'value':
    case 'query':
      return agoFilter(durationMs);
    case 'start':
      return context === 'query' ? kqlDatetime(start) : start.toISOString();
    case 'end':
      return context === 'query' ? kqlDatetime(now) : now.toISOString();
    case 'grain':
      return timeGrain(durationMs);
    default:
      return undefined;
  }
}

function formatList(
  value: Extract<ParameterValue, { kind: 'list' }>,
  format: string | undefined,
): string | undefined {
  const { def, selected, all } = value;
  if (format === 'label') return all ? 'All' : selected.map((o) => o.label).join(', ');
  if (format !== undefined && format !== 'value') return undefined;
  if (all && def.selectAllValue !== undefined && def.selectAllValue !== '') {
    return def.multiSelect ? `${def.quote}${def.selectAllValue}${def.quote}` : def.selectAllValue;
  }
  if (!def.multiSelect) return selected[0]?.value ?? '';
  return selected.map((o) => `${def.quote}${o.value}${def.quote}`).join(def.delimiter);
}
