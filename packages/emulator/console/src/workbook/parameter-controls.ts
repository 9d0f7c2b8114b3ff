// The controls of a parameters item: a select for a time range, a (multi-)select for a drop-down,
// a text box for text, and a placeholder for types the console does not offer. Each has
// data-testid="workbook-param-<name>" and reports a new value through `onChange`.

import type { DropdownOption, DropdownParameter, ParameterDef, TimeParameter } from './parameter-model.js';
import { selectionOf, type ParameterValue } from './parameter-values.js';
import { timeRangeLabel } from './time-range.js';

/** A drop-down whose options come from a query: the view fills them in when the query answers. */
export interface DropdownControl {
  readonly def: DropdownParameter;
  setOptions(options: readonly DropdownOption[]): ParameterValue;
  setProblem(message: string | undefined): void;
}

export interface ControlSet {
  readonly element: HTMLElement;
  readonly dropdowns: readonly DropdownControl[];
}

export function parameterControls(
  defs: readonly ParameterDef[],
  current: (name: string) => ParameterValue | undefined,
  onChange: (name: string, value: ParameterValue | undefined) => void,
): ControlSet {
  const element = document.createElement('div');
  element.className = 'workbook-parameters';
  const dropdowns: DropdownControl[] = [];
  for (const def of defs) {
    const field = document.createElement('label');
    field.className = 'workbook-param';
    const caption = document.createElement('span');
    caption.textContent = def.label;
    field.append(caption);
    if (def.kind === 'time') field.append(timeSelect(def, current(def.name), onChange));
    else if (def.kind === 'dropdown') {
      const control = dropdown(def, current(def.name), onChange);
      field.append(control.element);
      dropdowns.push(control);
    } else if (def.kind === 'text') field.append(textBox(def.name, def.initial, onChange));
    else
      field.append(placeholder(def.name, `parameter type ${String(def.type)} is not offered by the console`));
    element.append(field);
  }
  return { element, dropdowns };
}

function testId(el: HTMLElement, name: string): void {
  el.dataset['testid'] = `workbook-param-${name}`;
}

function timeSelect(
  def: TimeParameter,
  value: ParameterValue | undefined,
  onChange: (name: string, value: ParameterValue) => void,
): HTMLElement {
  const select = document.createElement('select');
  testId(select, def.name);
  const chosen = value?.kind === 'time' ? value.durationMs : def.defaultMs;
  for (const ms of def.options) {
    const option = optionElement(timeRangeLabel(ms), String(ms), ms === chosen);
    select.append(option);
  }
  select.addEventListener('change', () => {
    onChange(def.name, { kind: 'time', durationMs: Number(select.value) });
  });
  return select;
}

function textBox(
  name: string,
  initial: string,
  onChange: (name: string, value: ParameterValue) => void,
): HTMLElement {
  const input = document.createElement('input');
  input.type = 'text';
  input.value = initial;
  testId(input, name);
  input.addEventListener('change', () => {
    onChange(name, { kind: 'text', value: input.value });
  });
  return input;
}

function placeholder(name: string, message: string): HTMLElement {
  const span = document.createElement('span');
  span.className = 'workbook-placeholder';
  testId(span, name);
  span.textContent = message;
  return span;
}

function dropdown(
  def: DropdownParameter,
  value: ParameterValue | undefined,
  onChange: (name: string, value: ParameterValue) => void,
): DropdownControl & { element: HTMLElement } {
  const element = document.createElement('span');
  const select = document.createElement('select');
  select.multiple = def.multiSelect;
  testId(select, def.name);
  const problem = document.createElement('span');
  problem.className = 'error';
  element.append(select, problem);
  let options: readonly DropdownOption[] = def.options;
  let chosen = chosenValues(value, def.initial);
  const fill = (): void => {
    const all = def.offersAll ? [optionElement('All', 'value::all', chosen.includes('value::all'))] : [];
    select.replaceChildren(
      ...all,
      ...options.map((o) => optionElement(o.label, o.value, chosen.includes(o.value))),
    );
  };
  fill();
  select.addEventListener('change', () => {
    chosen = [...select.selectedOptions].map((o) => o.value);
    onChange(def.name, selectionOf(def, options, chosen));
  });
  return {
    def,
    element,
    setOptions(next) {
      options = next;
      fill();
      return selectionOf(def, options, chosen);
    },
    setProblem(message) {
      problem.textContent = message ?? '';
    },
  };
}

/** The option values a drop-down shows as chosen: its current selection, else the saved one. */
function chosenValues(value: ParameterValue | undefined, initial: readonly string[]): string[] {
  if (value?.kind !== 'list') return [...initial];
  if (value.all) return ['value::all'];
  return value.selected.map((o) => o.value);
}

/** An <option>, made through the document (the Option constructor is not in every DOM). */
export function optionElement(text: string, value: string, selected = false): HTMLOptionElement {
  const option = document.createElement('option');
  option.textContent = text;
  option.value = value;
  option.selected = selected;
  return option;
}
