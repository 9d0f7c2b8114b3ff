// What the scalar-function tests share: one expression evaluated over a one-row table, its value
// and type as runQuery answers, and the type Microsoft's analyzer gives the same expression.

import { expect, it } from 'vitest';
import { analyzeKql } from '../../src/kusto-analyze.js';
import type { ColumnDef, Row } from '../../src/model.js';
import { runQuery } from '../../src/query.js';
import { kqlFailure, oneTable } from './one-table.js';
import type { KqlQueryError } from '../../src/errors.js';

export const ROW_COLUMNS: ColumnDef[] = [
  { name: 'Text', type: 'string' },
  { name: 'Empty', type: 'string' },
  { name: 'Items', type: 'dynamic' },
  { name: 'Bag', type: 'dynamic' },
  { name: 'Missing', type: 'dynamic' },
  { name: 'Count', type: 'long' },
  { name: 'Small', type: 'int' },
  { name: 'Ratio', type: 'real' },
  { name: 'NoCount', type: 'long' },
  { name: 'Ip', type: 'string' },
];

export const ROW: Row = {
  Text: 'alice@contoso.com',
  Empty: '',
  Items: ['a', 1, null],
  Bag: { a: 1, b: 'x' },
  Missing: null,
  Count: 42,
  Small: 7,
  Ratio: 2.5,
  NoCount: null,
  Ip: '10.1.2.3',
};

const NOW = new Date('2026-11-23T12:00:00.000Z');
const source = oneTable('T', ROW_COLUMNS, [ROW]);

/** `expr` over the row: its value (dynamic values parsed from the response's JSON text) and type. */
export function evaluate(expr: string): { value: unknown; type: string } {
  const result = runQuery(`T | project Result = ${expr}`, source, NOW);
  const type = result.columns[0]?.type ?? '';
  const cell = result.rows[0]?.[0];
  const value = type === 'dynamic' && typeof cell === 'string' ? (JSON.parse(cell) as unknown) : cell;
  return { value, type };
}

/** The value of `expr` over the row. */
export function valueOf(expr: string): unknown {
  return evaluate(expr).value;
}

/** The result type Microsoft's analyzer gives `expr` over the same table (an oracle independent of the interpreter). */
export function kustoTypeOf(expr: string): string {
  const analysis = analyzeKql(`T | project Result = ${expr}`, [{ name: 'T', columns: ROW_COLUMNS }]);
  return analysis.columns[0]?.type ?? '';
}

/** The KqlQueryError that evaluating `expr` throws. */
export function failureOf(expr: string): KqlQueryError {
  return kqlFailure(`T | project Result = ${expr}`, (kql) => runQuery(kql, source, NOW));
}

/** One test per expression: its result type is the one Microsoft's analyzer gives it. */
export function itHasKustoTypes(exprs: readonly string[]): void {
  it.each(exprs)('%s has the type Microsoft’s analyzer gives it', (expr) => {
    expect(evaluate(expr).type).toBe(kustoTypeOf(expr));
  });
}
