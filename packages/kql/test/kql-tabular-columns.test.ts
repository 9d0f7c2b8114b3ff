// The columns (names, order and types) each tabular operator returns, compared with what
// Microsoft's own analyzer (Kusto.Language, through analyzeKql) says the same query returns.

import { describe, expect, it } from 'vitest';
import { analyzeKql, type AnalysisTable } from '../src/kusto-analyze.js';
import { runQuery } from '../src/query.js';
import { workspace } from './support/workspace.js';

const TABLES: AnalysisTable[] = [
  {
    name: 'T',
    columns: [
      { name: 'Id', type: 'long' },
      { name: 'Tags', type: 'dynamic' },
      { name: 'S', type: 'string' },
    ],
  },
  {
    name: 'U',
    columns: [
      { name: 'Id', type: 'long' },
      { name: 'S', type: 'long' },
      { name: 'V', type: 'string' },
    ],
  },
];

const source = workspace(Object.fromEntries(TABLES.map((t) => [t.name, { columns: t.columns, rows: [] }])));

describe('tabular operators return the columns Microsoft’s analyzer gives', () => {
  it.each([
    'T | mv-expand with_itemindex=I Tags',
    'T | mv-expand x = Tags to typeof(string)',
    'T | mv-apply Tags on (summarize n = count())',
    'T | mv-apply v = Tags on (summarize n = count())',
    'T | mv-apply with_itemindex=I v = Tags to typeof(long) on (top 1 by v)',
    'T | join U on Id',
    'T | join kind=leftouter (U | project Id, V) on $left.Id == $right.Id',
    'T | join kind=rightanti U on Id',
    'T | lookup U on Id',
    'T | lookup U on $left.Id == $right.S',
    'union T, U',
    'union withsource=W T, U',
    'print 1, x = 2, 3',
    'T | getschema',
    'T | project-reorder S',
    'T | project-away T*, S',
    'datatable(a: string, b: int)["x", 1] | union (range n from 1 to 2 step 1)',
    'let f = (X: (*), k: long = 1) { X | extend k2 = k * 2 }; T | invoke f()',
  ])('%s', (kql) => {
    const expected = analyzeKql(kql, TABLES);
    expect(expected.diagnostics.filter((d) => d.severity === 'Error')).toEqual([]);
    const result = runQuery(kql, source, new Date('2026-11-23T12:00:00Z'));
    expect(result.columns).toEqual(expected.columns);
  });
});
