// A workbook's parameters (items of type 9) read from its JSON: time range (type 4), drop-down
// (type 2, from jsonData or a query), text (type 1); other types are kept as unsupported with
// whatever value the JSON holds. Pure (no DOM).

import { isRecord, numberField, stringField, textOf } from './json-fields.js';

export interface DropdownOption {
  readonly value: string;
  readonly label: string;
  readonly selected: boolean;
}

interface ParameterBase {
  readonly name: string;
  /** What the control shows: the label, else the name. */
  readonly label: string;
}

export interface TimeParameter extends ParameterBase {
  readonly kind: 'time';
  /** The durations offered, in the JSON's order. */
  readonly options: readonly number[];
  readonly defaultMs: number;
}

export interface DropdownParameter extends ParameterBase {
  readonly kind: 'dropdown';
  readonly multiSelect: boolean;
  /** Put around each value when several are selected; Microsoft's default `'`. */
  readonly quote: string;
  /** Between the values; Microsoft's default gives `'a', 'b', 'c'`. */
  readonly delimiter: string;
  /** Offers "All" (`additionalResourceOptions` holds `value::all`). */
  readonly offersAll: boolean;
  /** What {Name} becomes when All is chosen; unset or empty: every value. */
  readonly selectAllValue?: string;
  /** The options of a jsonData list (a query's come when it runs). */
  readonly options: readonly DropdownOption[];
  /** The query that lists the options, when they come from Log Analytics. */
  readonly query?: string;
  readonly timeParameter?: string;
  readonly timeContextMs?: number;
  /** The saved selection: values, or `value::all`, `value::1`…`value::N`. */
  readonly initial: readonly string[];
  /** A jsonData that is not JSON: shown next to the control. */
  readonly problem?: string;
}

export interface TextParameter extends ParameterBase {
  readonly kind: 'text';
  readonly initial: string;
}

export interface UnsupportedParameter extends ParameterBase {
  readonly kind: 'unsupported';
  readonly type: number | string;
  readonly initial?: string;
}

export type ParameterDef = TimeParameter | DropdownParameter | TextParameter | UnsupportedParameter;

const DAY_MS = 86_400_000;

/** The parameters of a type 9 item's `content`. */
export function readParameters(content: unknown): ParameterDef[] {
  if (!isRecord(content) || !Array.isArray(content['parameters'])) return [];
  return content['parameters'].filter(isRecord).flatMap((p): ParameterDef[] => {
    const name = stringField(p, 'name');
    if (name === undefined || name === '') return [];
    const base = { name, label: stringField(p, 'label') ?? name };
    const type = p['type'];
    if (type === 4) return [timeParameter(base, p)];
    if (type === 2) return [dropdownParameter(base, p)];
    if (type === 1) return [{ ...base, kind: 'text', initial: stringField(p, 'value') ?? '' }];
    const initial = stringField(p, 'value');
    return [
      {
        ...base,
        kind: 'unsupported',
        type: typeof type === 'number' || typeof type === 'string' ? type : '?',
        ...(initial !== undefined ? { initial } : {}),
      },
    ];
  });
}

function timeParameter(base: ParameterBase, p: Readonly<Record<string, unknown>>): TimeParameter {
  const settings = isRecord(p['typeSettings']) ? p['typeSettings'] : {};
  const values = Array.isArray(settings['selectableValues']) ? settings['selectableValues'] : [];
  const options = values.flatMap((v) => {
    const ms = isRecord(v) ? numberField(v, 'durationMs') : undefined;
    return ms !== undefined && ms > 0 ? [ms] : [];
  });
  const saved = isRecord(p['value']) ? numberField(p['value'], 'durationMs') : undefined;
  const defaultMs = saved ?? options[0] ?? DAY_MS;
  return {
    ...base,
    kind: 'time',
    options: options.includes(defaultMs) ? options : [...options, defaultMs],
    defaultMs,
  };
}

function dropdownParameter(base: ParameterBase, p: Readonly<Record<string, unknown>>): DropdownParameter {
  const settings = isRecord(p['typeSettings']) ? p['typeSettings'] : {};
  const extra = Array.isArray(settings['additionalResourceOptions'])
    ? settings['additionalResourceOptions']
    : [];
  const listed = jsonDataOptions(p['jsonData']);
  const query = stringField(p, 'query');
  const timeParameter = stringField(p, 'timeContextFromParameter');
  const timeContextMs = isRecord(p['timeContext']) ? numberField(p['timeContext'], 'durationMs') : undefined;
  const selectAllValue = stringField(settings, 'selectAllValue');
  return {
    ...base,
    kind: 'dropdown',
    multiSelect: p['multiSelect'] === true,
    quote: stringField(p, 'quote') ?? "'",
    delimiter: stringField(p, 'delimiter') ?? ', ',
    offersAll: extra.includes('value::all'),
    ...(selectAllValue !== undefined ? { selectAllValue } : {}),
    options: listed.options,
    ...(query !== undefined && listed.options.length === 0 ? { query } : {}),
    ...(timeParameter !== undefined ? { timeParameter } : {}),
    ...(timeContextMs !== undefined ? { timeContextMs } : {}),
    initial: savedSelection(p),
    ...(listed.problem !== undefined ? { problem: listed.problem } : {}),
  };
}

function savedSelection(p: Readonly<Record<string, unknown>>): string[] {
  const value = p['value'] ?? p['defaultValue'];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** jsonData: a JSON array of strings or `{ value, label?, selected? }`. */
export function jsonDataOptions(jsonData: unknown): { options: DropdownOption[]; problem?: string } {
  if (typeof jsonData !== 'string' || jsonData.trim() === '') return { options: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(jsonData);
  } catch {
    return {
      options: [],
      problem: 'its jsonData is not JSON: expected an array of values or { "value", "label" } objects',
    };
  }
  if (!Array.isArray(parsed)) return { options: [], problem: 'its jsonData is not an array' };
  return { options: parsed.flatMap(optionOf) };
}

function optionOf(item: unknown): DropdownOption[] {
  if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') {
    return [{ value: String(item), label: String(item), selected: false }];
  }
  if (!isRecord(item)) return [];
  const raw = item['value'];
  if (raw === undefined || raw === null || typeof raw === 'object') return [];
  const value = textOf(raw);
  const label = item['label'];
  return [{ value, label: typeof label === 'string' ? label : value, selected: item['selected'] === true }];
}

/** Options from a query result: columns value, label, selected (else the first and second). */
export function queryOptions(
  columns: readonly { readonly name: string }[],
  rows: readonly (readonly unknown[])[],
): DropdownOption[] {
  const find = (name: string): number => columns.findIndex((c) => c.name.toLowerCase() === name);
  const valueAt = find('value') >= 0 ? find('value') : 0;
  const labelAt = find('label') >= 0 ? find('label') : columns.length > 1 && find('value') < 0 ? 1 : valueAt;
  const selectedAt = find('selected');
  return rows.flatMap((row): DropdownOption[] => {
    const value = row[valueAt];
    if (value === null || value === undefined) return [];
    const label = row[labelAt];
    return [
      {
        value: textOf(value),
        label: label === null || label === undefined ? textOf(value) : textOf(label),
        selected: selectedAt >= 0 && row[selectedAt] === true,
      },
    ];
  });
}
