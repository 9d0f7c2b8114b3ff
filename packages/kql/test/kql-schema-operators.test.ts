import { describe, expect, it } from 'vitest';
import { compileTransform } from '../src/transform.js';
import { runQuery } from '../src/query.js';
import type { QueryTable } from '../src/model.js';
import { kqlFailure } from './support/one-table.js';
import { workspace } from './support/workspace.js';

const NOW = new Date('2026-11-23T12:00:00.000Z');

const source = workspace({
  Events: {
    columns: [
      { name: 'TimeGenerated', type: 'datetime' },
      { name: 'User', type: 'string' },
      { name: 'Count', type: 'int' },
      { name: 'Score', type: 'real' },
      { name: 'Extra', type: 'dynamic' },
    ],
    rows: [
      {
        TimeGenerated: '2026-11-23T10:00:00Z',
        User: 'alice',
        Count: 2,
        Score: 0.5,
        Extra: { ip: '10.0.0.1' },
      },
      { TimeGenerated: '2026-11-23T11:00:00Z', User: '', Count: 5, Score: 1.5, Extra: null },
    ],
  },
});

function run(kql: string): QueryTable {
  return runQuery(kql, source, NOW);
}

describe('runQuery: getschema', () => {
  it('lists each column with its ordinal, .NET type and Kusto type, as the getschema page shows them', () => {
    expect(run('Events | getschema').rows).toEqual([
      ['TimeGenerated', 0, 'System.DateTime', 'datetime'],
      ['User', 1, 'System.String', 'string'],
      ['Count', 2, 'System.Int32', 'int'],
      ['Score', 3, 'System.Double', 'real'],
      ['Extra', 4, 'System.Object', 'dynamic'],
    ]);
  });
});

describe('runQuery: column operators', () => {
  it('puts the named columns first with project-reorder, wildcards included', () => {
    expect(run('Events | project-reorder Score, *Time* | getschema | project ColumnName').rows).toEqual([
      ['Score'],
      ['TimeGenerated'],
      ['User'],
      ['Count'],
      ['Extra'],
    ]);
  });

  it('removes every column a wildcard matches with project-away', () => {
    expect(run('Events | project-away *e*, Count | getschema | project ColumnName').rows).toEqual([
      ['Extra'],
    ]);
    expect(run('Events | project-away S* | getschema | project ColumnName').rows).toEqual([
      ['TimeGenerated'],
      ['User'],
      ['Count'],
      ['Extra'],
    ]);
  });

  it('keeps refusing wildcards in DCR transforms', () => {
    const columns = [
      { name: 'TimeGenerated', type: 'datetime' as const },
      { name: 'A', type: 'string' as const },
    ];
    expect(() => compileTransform('source | project-away A*', columns, columns)).toThrow(
      /wildcards are not supported/,
    );
  });

  it('passes rows through serialize and as', () => {
    expect(run('Events | serialize | as Named | count').rows).toEqual([[2]]);
  });

  it('refuses evaluate, naming it', () => {
    expect(kqlFailure('Events | evaluate bag_unpack(Extra)', run).message).toMatch(
      /Query operator 'evaluate' is not supported/,
    );
  });
});

describe('runQuery: toscalar, materialize and tables in lists', () => {
  it('reads the first value of a table once with toscalar()', () => {
    const kql =
      'let most = toscalar(Events | summarize max(Count)); Events | where Count == most | project User';
    expect(run(kql).rows).toEqual([['']]);
  });

  it('computes a scalar expression once with toscalar()', () => {
    expect(run('let n = toscalar(1 + 2); print n').rows).toEqual([[3]]);
  });

  it('gives null for toscalar() of an empty table', () => {
    expect(run('print v = toscalar(Events | where Count > 100 | project Count)').rows).toEqual([[null]]);
  });

  it('refuses toscalar() in a DCR transform', () => {
    const columns = [{ name: 'TimeGenerated', type: 'datetime' as const }];
    expect(() => compileTransform('source | extend n = toscalar(1)', columns, columns)).toThrow(
      /toscalar\(\) reads a table/,
    );
  });

  it("tests a value against a table's first column with in, !in~ and a let-bound materialize()", () => {
    const kql = [
      "let Watched = materialize(datatable(Name: string, Note: string)['ALICE', 'x', 'carol', 'y']);",
      "Events | extend a = User in (Watched), b = User in~ (Watched), c = User !in~ (Watched | where Note == 'y')",
      '| project a, b, c',
    ].join('\n');
    expect(run(kql).rows).toEqual([
      [false, true, true],
      [false, false, true],
    ]);
  });

  it('refuses a table where a value is expected, pointing to toscalar()', () => {
    expect(kqlFailure('let T = Events; Events | extend x = T', run).message).toMatch(
      /'T' is a table where a value is expected: use toscalar\(T\)/,
    );
  });
});

describe('runQuery: column_ifexists and pack_all', () => {
  it('reads the column when it exists, else the default', () => {
    const kql =
      "Events | take 1 | project a = column_ifexists('User', 'none'), b = column_ifexists('Nope', 'none')";
    expect(run(kql).rows).toEqual([['alice', 'none']]);
  });

  it('packs the row into a bag, leaving out null and empty values with pack_all(true)', () => {
    const kql =
      'Events | project TimeGenerated, User, Extra | project all = pack_all(), some = pack_all(true)';
    expect(run(kql).rows).toEqual([
      [
        '{"TimeGenerated":"2026-11-23T10:00:00.0000000Z","User":"alice","Extra":{"ip":"10.0.0.1"}}',
        '{"TimeGenerated":"2026-11-23T10:00:00.0000000Z","User":"alice","Extra":{"ip":"10.0.0.1"}}',
      ],
      [
        '{"TimeGenerated":"2026-11-23T11:00:00.0000000Z","User":"","Extra":null}',
        '{"TimeGenerated":"2026-11-23T11:00:00.0000000Z"}',
      ],
    ]);
  });
});
