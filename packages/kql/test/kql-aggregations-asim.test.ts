import { describe, expect, it } from 'vitest';
import { analyzeKql } from '../src/kusto-analyze.js';
import type { ColumnDef, QueryTable, Row } from '../src/model.js';
import { runQuery } from '../src/query.js';
import { oneTable } from './support/one-table.js';

// The aggregations Microsoft's ASIM rules call that the others do not: the deprecated aliases
// makeset and makelist (imSigninAttemptsByIPviaDisabledAccounts, ExcessiveNetworkFailuresFromSource),
// make_bag and take_anyif. Column names and types are checked against Microsoft's analyzer.

const T = 'Auth';
const COLUMNS: ColumnDef[] = [
  { name: 'SrcIpAddr', type: 'string' },
  { name: 'TargetUsername', type: 'string' },
  { name: 'EventResult', type: 'string' },
  { name: 'Extra', type: 'dynamic' },
  { name: 'Bytes', type: 'long' },
];
const ROWS: Row[] = [
  { SrcIpAddr: '10.0.0.1', TargetUsername: 'alice', EventResult: 'Failure', Extra: { a: 1 }, Bytes: 10 },
  { SrcIpAddr: '10.0.0.1', TargetUsername: 'bob', EventResult: 'Success', Extra: { a: 2, b: 3 }, Bytes: 25 },
  {
    SrcIpAddr: '10.0.0.1',
    TargetUsername: 'alice',
    EventResult: 'Success',
    Extra: ['not', 'a', 'bag'],
    Bytes: 30,
  },
  { SrcIpAddr: '10.0.0.2', TargetUsername: 'carol', EventResult: 'Failure', Extra: null, Bytes: 5 },
];
const source = oneTable(T, COLUMNS, ROWS);

function query(kql: string): QueryTable {
  return runQuery(kql, source, new Date('2026-11-23T12:00:00Z'));
}

function records(kql: string): Record<string, unknown>[] {
  const result = query(kql);
  return result.rows.map((row) => Object.fromEntries(result.columns.map((c, i) => [c.name, row[i]])));
}

describe('ASIM rules’ aggregations', () => {
  it('makeset and makelist are make_set and make_list, with their size limit', () => {
    expect(
      records(`${T} | summarize makeset(TargetUsername), Users = makelist(TargetUsername, 2) by SrcIpAddr`),
    ).toEqual([
      { SrcIpAddr: '10.0.0.1', set_TargetUsername: '["alice","bob"]', Users: '["alice","bob"]' },
      { SrcIpAddr: '10.0.0.2', set_TargetUsername: '["carol"]', Users: '["carol"]' },
    ]);
  });

  it('make_bag merges the property bags of a group, skipping what is not a bag', () => {
    expect(records(`${T} | summarize make_bag(Extra) by SrcIpAddr`)).toEqual([
      { SrcIpAddr: '10.0.0.1', bag_Extra: '{"a":1,"b":3}' },
      { SrcIpAddr: '10.0.0.2', bag_Extra: '{}' },
    ]);
  });

  it('take_anyif takes a value from a row whose predicate holds', () => {
    expect(
      records(`${T} | summarize take_anyif(TargetUsername, EventResult == 'Success') by SrcIpAddr`),
    ).toEqual([
      { SrcIpAddr: '10.0.0.1', TargetUsername: 'bob' },
      { SrcIpAddr: '10.0.0.2', TargetUsername: '' },
    ]);
  });

  it('names and types its columns as Microsoft’s analyzer does', () => {
    const kql = `${T} | summarize makeset(TargetUsername), makelist(TargetUsername), make_bag(Extra), take_anyif(TargetUsername, true), take_any(EventResult), any(Bytes) by SrcIpAddr`;
    const kusto = analyzeKql(kql, [{ name: T, columns: COLUMNS }]);
    expect(query(kql).columns).toEqual(kusto.columns);
  });

  it('computes expressions over aggregations, as the private-IP-in-URL and rare-user-agent rules write them', () => {
    expect(
      records(
        `${T} | summarize Users = tostring(make_set(TargetUsername, 100)), round(avg(Bytes)), count() * 2 by SrcIpAddr`,
      ),
    ).toEqual([
      { SrcIpAddr: '10.0.0.1', Users: '["alice","bob"]', avg_Bytes: 22, Column1: 6 },
      { SrcIpAddr: '10.0.0.2', Users: '["carol"]', avg_Bytes: 5, Column1: 2 },
    ]);
    expect(records(`${T} | summarize Spread = max(Bytes) - min(Bytes), Total = tolong(sum(Bytes))`)).toEqual([
      { Spread: 25, Total: 70 },
    ]);
  });

  it('names and types expressions over aggregations as Microsoft’s analyzer does', () => {
    const kql = `${T} | summarize round(avg(Bytes)), tostring(make_set(TargetUsername)), tolong(sum(Bytes)), count() * 2, max(Bytes) - min(Bytes) by SrcIpAddr`;
    const kusto = analyzeKql(kql, [{ name: T, columns: COLUMNS }]);
    expect(query(kql).columns).toEqual(kusto.columns);
  });
});
