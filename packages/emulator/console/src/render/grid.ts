// The results grid: one header cell per column with its KQL type under the name, values as text.

import type { QueryResult } from '../api.js';

const NUMERIC = new Set(['int', 'long', 'real', 'double', 'decimal']);

/** How a cell reads: dynamic values as JSON, empty for null. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  return JSON.stringify(value);
}

/** A table of the result, with `data-testid="results-grid"`. */
export function renderGrid(result: QueryResult): HTMLElement {
  const wrap = document.createElement('div');
  wrap.className = 'grid-wrap';
  const table = document.createElement('table');
  table.className = 'grid';
  table.dataset['testid'] = 'results-grid';
  const headRow = table.createTHead().insertRow();
  for (const column of result.columns) {
    const th = document.createElement('th');
    th.dataset['column'] = column.name;
    th.dataset['type'] = column.type;
    th.append(column.name);
    const type = document.createElement('span');
    type.className = 'col-type';
    type.textContent = column.type;
    th.append(type);
    headRow.append(th);
  }
  const body = table.createTBody();
  for (const row of result.rows) {
    const tr = body.insertRow();
    result.columns.forEach((column, i) => {
      const td = tr.insertCell();
      td.textContent = cellText(row[i]);
      if (NUMERIC.has(column.type)) td.className = 'num';
    });
  }
  wrap.append(table);
  return wrap;
}
