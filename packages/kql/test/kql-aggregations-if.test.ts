import { describe, expect, it } from 'vitest';
import type { KqlQueryError } from '../src/errors.js';
import { runQuery, type QuerySource } from '../src/query.js';
import { kqlFailure, oneTable } from './support/one-table.js';
import type { ColumnDef, QueryTable, Row } from '../src/model.js';

const NOW = new Date('2026-11-23T12:00:00.000Z');
const at = (minute: number): string => new Date(NOW.getTime() - 60 * 60_000 + minute * 60_000).toISOString();
const T = 'Logins_CL';

const COLUMNS: ColumnDef[] = [
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'EventName', type: 'string' },
  { name: 'UserId', type: 'string' },
  { name: 'SrcIp', type: 'string' },
  { name: 'Retries', type: 'int' },
];

const ROWS: Row[] = [
  { TimeGenerated: at(1), EventName: 'fail', UserId: 'alice', SrcIp: '198.51.100.7', Retries: null },
  { TimeGenerated: at(2), EventName: 'fail', UserId: 'alice', SrcIp: '198.51.100.7', Retries: null },
  { TimeGenerated: at(3), EventName: 'fail', UserId: 'alice', SrcIp: '203.0.113.9', Retries: null },
  { TimeGenerated: at(4), EventName: 'success', UserId: 'alice', SrcIp: '198.51.100.7', Retries: 3 },
  { TimeGenerated: at(5), EventName: 'success', UserId: 'alice', SrcIp: '192.0.2.1', Retries: 1 },
  { TimeGenerated: at(6), EventName: 'success', UserId: 'bob', SrcIp: '192.0.2.2', Retries: 0 },
];

const source: QuerySource = oneTable(T, COLUMNS, ROWS);

function query(kql: string): QueryTable {
  return runQuery(kql, source, NOW);
}

/** The result as one object per row, keyed by column name. */
function records(kql: string): Record<string, unknown>[] {
  const result = query(kql);
  return result.rows.map((row) => Object.fromEntries(result.columns.map((c, i) => [c.name, row[i]])));
}

function failure(kql: string): KqlQueryError {
  return kqlFailure(kql, query);
}

const iso = (minute: number): string => `${at(minute).slice(0, -1)}0000Z`;

describe('runQuery: conditional aggregations', () => {
  it('minif and maxif take the extremes of the rows whose predicate holds', () => {
    const kql = `${T} | summarize FirstFail = minif(TimeGenerated, EventName == 'fail'), LastSuccess = maxif(TimeGenerated, EventName == 'success') by UserId`;
    expect(records(kql)).toEqual([
      { UserId: 'alice', FirstFail: iso(1), LastSuccess: iso(5) },
      { UserId: 'bob', FirstFail: null, LastSuccess: iso(6) },
    ]);
  });

  it('dcountif, sumif and avgif count, add and average only matching rows', () => {
    const kql = `${T} | summarize Ips = dcountif(SrcIp, EventName == 'fail'), Retried = sumif(Retries, EventName == 'success'), Mean = avgif(Retries, Retries > 0)`;
    expect(records(kql)).toEqual([{ Ips: 2, Retried: 4, Mean: 2 }]);
  });

  it('make_set_if and make_list_if collect matching values, the set with its size limit', () => {
    const kql = `${T} | where UserId == 'alice' | summarize Sets = make_set_if(SrcIp, EventName == 'fail', 1), Lists = make_list_if(SrcIp, EventName == 'fail')`;
    const [row] = query(kql).rows;
    expect(row).toEqual([
      JSON.stringify(['198.51.100.7']),
      JSON.stringify(['198.51.100.7', '198.51.100.7', '203.0.113.9']),
    ]);
  });

  it('names unnamed results as Kusto does', () => {
    const result = query(
      `${T} | summarize minif(TimeGenerated, true), maxif(TimeGenerated, true), sumif(Retries, true), avgif(Retries, true), dcountif(SrcIp, true), make_set_if(SrcIp, true), make_list_if(SrcIp, true)`,
    );
    expect(result.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'minif_TimeGenerated:datetime',
      'maxif_TimeGenerated:datetime',
      'sumif_Retries:long',
      'avgif_Retries:real',
      'dcountif_SrcIp:long',
      'set_SrcIp:dynamic',
      'list_SrcIp:dynamic',
    ]);
  });

  it('counts the predicate among the arguments in its arity message', () => {
    const error = failure(`${T} | summarize minif(TimeGenerated)`);
    expect(error.code).toBe('E_KQL_SEMANTIC');
    expect(error.message).toMatch(/minif\(\) expects 2 argument\(s\), got 1/);
  });

  it('refuses a predicate that is not bool', () => {
    expect(failure(`${T} | summarize maxif(TimeGenerated, UserId)`).message).toMatch(
      /Expected a bool, got string/,
    );
  });

  it('refuses a conditional aggregation outside summarize, as an aggregation', () => {
    expect(failure(`${T} | extend x = dcountif(SrcIp, true)`).message).toMatch(
      /dcountif\(\) is an aggregation/,
    );
  });
});
