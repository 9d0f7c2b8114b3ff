import { describe, expect, it } from 'vitest';
import { runQuery } from '../src/query.js';
import type { QueryTable } from '../src/model.js';
import { kqlFailure } from './support/one-table.js';
import { workspace } from './support/workspace.js';

const NOW = new Date('2026-11-23T12:00:00.000Z');
const CSV_URL = 'https://raw.githubusercontent.com/example/feeds/agents.csv';
const FILES = {
  [CSV_URL]: 'UserAgent,Category\r\nsqlmap,"Attack, tool"\r\n"say ""hi""",Odd\r\n\r\nnikto,Scanner\r\n',
  'https://example.test/numbers.csv': 'n,when\n1,2026-01-02T03:04:05Z\nx,\n',
  'https://example.test/lines.json': '{"Name":"a","N":1}\n{"Name":"b","Extra":true}\n',
  'https://example.test/many.json': '[{"Name":"a","N":1},{"Name":"b","N":2}]',
  'https://example.test/objects.json': '{"Name":"a"}\n{\n  "Name": "b", "N": 5\n}',
};

function run(kql: string): QueryTable {
  return runQuery(kql, workspace({}, [], FILES), NOW);
}

describe('runQuery: externaldata', () => {
  it('reads a CSV file with quoted fields, skipping the header with ignoreFirstRecord and blank lines', () => {
    const kql = `externaldata(UserAgent: string, Category: string)[@"${CSV_URL}"] with (format="csv", ignoreFirstRecord=true)`;
    expect(run(kql).rows).toEqual([
      ['sqlmap', 'Attack, tool'],
      ['say "hi"', 'Odd'],
      ['nikto', 'Scanner'],
    ]);
  });

  it('reads the header as a row without ignoreFirstRecord, csv being the default format', () => {
    expect(run(`externaldata(UserAgent: string)["${CSV_URL}"] | take 1`).rows).toEqual([['UserAgent']]);
  });

  it('converts each field to its column type, an unreadable one to null', () => {
    const kql =
      'externaldata(n: long, when: datetime)["https://example.test/numbers.csv"] with (IgnoreFirstRecord=true)';
    expect(run(kql).rows).toEqual([
      [1, '2026-01-02T03:04:05.0000000Z'],
      [null, null],
    ]);
  });

  it('reads json as one object per line, columns by name', () => {
    const kql = 'externaldata(Name: string, N: long)["https://example.test/lines.json"] with (format="json")';
    expect(run(kql).rows).toEqual([
      ['a', 1],
      ['b', null],
    ]);
  });

  it('reads multijson as an array of objects or objects one after another', () => {
    const many =
      'externaldata(Name: string, N: long)["https://example.test/many.json"] with (format="multijson")';
    const objects =
      'externaldata(Name: string, N: long)["https://example.test/objects.json"] with (format="multijson")';
    expect(run(many).rows).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(run(objects).rows).toEqual([
      ['a', null],
      ['b', 5],
    ]);
  });

  it('refuses a URL it has no file for, naming it, and never fetches it', () => {
    const error = kqlFailure('externaldata(a: string)["https://example.test/unknown.csv"]', run);
    expect(error.code).toBe('E_KQL_SEMANTIC');
    expect(error.message).toMatch(
      /no file for URL 'https:\/\/example.test\/unknown.csv'.*never fetches URLs/,
    );
    expect(error.position?.column).toBe(25);
  });

  it('refuses a property it does not honour, naming it', () => {
    const kql = `externaldata(a: string)["${CSV_URL}"] with (format="csv", compressed=true)`;
    expect(kqlFailure(kql, run).message).toMatch(
      /property 'compressed=true' is not supported \(supported: format, ignoreFirstRecord\)/,
    );
  });

  it('refuses a format it does not read, naming it', () => {
    const kql = `externaldata(a: string)["${CSV_URL}"] with (format="parquet")`;
    expect(kqlFailure(kql, run).message).toMatch(
      /format 'parquet' is not supported \(supported: csv, tsv, json, multijson\)/,
    );
  });
});
