// The query tab's sidebar: the workspace's tables (with row counts and typed columns) and
// functions (with parameters), from GET /console/api/tables. Clicking a name inserts it.

import type { Column } from '../api.js';

/** What GET /console/api/tables answers. */
export interface TablesAnswer {
  readonly tables: readonly {
    readonly name: string;
    readonly columns: readonly Column[];
    readonly rows: number;
  }[];
  readonly functions: readonly {
    readonly name: string;
    readonly parameters: string;
    readonly body: string;
  }[];
}

function insertButton(name: string, kind: string, insert: (text: string) => void): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'insert';
  button.textContent = name;
  button.dataset['testid'] = 'sidebar-item';
  button.dataset['kind'] = kind;
  button.dataset['name'] = name;
  button.title = `Insert ${name}`;
  button.addEventListener('click', (event) => {
    event.preventDefault();
    insert(name);
  });
  return button;
}

function columnList(columns: readonly Column[], insert: (text: string) => void): HTMLUListElement {
  const list = document.createElement('ul');
  list.className = 'cols';
  for (const column of columns) {
    const item = document.createElement('li');
    const type = document.createElement('span');
    type.className = 'type';
    type.textContent = column.type;
    item.append(insertButton(column.name, 'column', insert), type);
    list.append(item);
  }
  return list;
}

function section(title: string): HTMLElement {
  const heading = document.createElement('h3');
  heading.textContent = title;
  return heading;
}

function tableEntry(table: TablesAnswer['tables'][number], insert: (text: string) => void): HTMLElement {
  const details = document.createElement('details');
  const summary = document.createElement('summary');
  const count = document.createElement('span');
  count.className = 'type';
  count.textContent = ` ${table.rows} rows`;
  summary.append(insertButton(table.name, 'table', insert), count);
  details.append(summary, columnList(table.columns, insert));
  return details;
}

function functionEntry(fn: TablesAnswer['functions'][number], insert: (text: string) => void): HTMLElement {
  const details = document.createElement('details');
  const summary = document.createElement('summary');
  summary.append(insertButton(fn.name, 'function', insert));
  const params = document.createElement('div');
  params.className = 'type';
  params.textContent = fn.parameters === '' ? '()' : `(${fn.parameters})`;
  details.append(summary, params);
  return details;
}

/** True when `value` has the shape of a tables answer (and not an error). */
export function isTablesAnswer(value: unknown): value is TablesAnswer {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { tables?: unknown }).tables) &&
    Array.isArray((value as { functions?: unknown }).functions)
  );
}

/** Fills `el` (the sidebar) from the tables API's answer, or shows why there is none. */
export function fillSidebar(el: HTMLElement, answer: unknown, insert: (text: string) => void): void {
  if (!isTablesAnswer(answer)) {
    const p = document.createElement('p');
    p.className = 'error';
    p.textContent = `Could not list the tables: ${answer instanceof Error ? answer.message : String(answer)}`;
    el.replaceChildren(p);
    return;
  }
  const tables = answer.tables.map((t) => tableEntry(t, insert));
  const functions = answer.functions.map((f) => functionEntry(f, insert));
  el.replaceChildren(
    section(`Tables (${tables.length})`),
    ...tables,
    section(`Functions (${functions.length})`),
    ...functions,
  );
}
