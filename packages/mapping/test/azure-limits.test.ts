// Azure's documented limits at their edges, written out by hand from the Azure Monitor docs
// (create-custom-table, service-limits), not derived from the module's own constants.
import { describe, expect, it } from 'vitest';
import {
  columnNameProblem,
  isCustomStreamName,
  isCustomTableName,
  isReservedColumnName,
} from '../src/azure-limits.js';
import { parseMapping } from '../src/load-mapping.js';
import { ENV, oneStream } from './helpers.js';

/** A one-stream mapping with `n` string columns C001, C002, … (TimeGenerated included in n). */
function withColumns(n: number): string {
  const lines = ['      TimeGenerated: { from: timestamp }'];
  for (let i = 1; i < n; i++) lines.push(`      C${String(i).padStart(3, '0')}: { from: body }`);
  return oneStream(`${lines.join('\n')}\n`);
}

describe('column names', () => {
  it('takes 2 and 45 characters and refuses 1 and 46', () => {
    expect(columnNameProblem('Ab')).toBeUndefined();
    expect(columnNameProblem('A'.repeat(45))).toBeUndefined();
    expect(columnNameProblem('A')).toBe('length');
    expect(columnNameProblem('A'.repeat(46))).toBe('length');
  });

  it('wants a letter first, then ASCII letters, digits or underscores', () => {
    expect(columnNameProblem('User_Id2')).toBeUndefined();
    expect(columnNameProblem('_UserId')).toBe('characters');
    expect(columnNameProblem('2User')).toBe('characters');
    expect(columnNameProblem('User-Id')).toBe('characters');
    expect(columnNameProblem('Usér')).toBe('characters');
  });

  it('refuses the reserved names in any letter case, and only those', () => {
    for (const name of ['id', 'ID', 'Type', 'TYPE', 'TenantId', 'billedsize', 'Title'])
      expect(columnNameProblem(name)).toBe('reserved');
    expect(isReservedColumnName('_ResourceId')).toBe(true);
    expect(isReservedColumnName('_timereceived')).toBe(true);
    expect(isReservedColumnName('EventType')).toBe(false);
    expect(isReservedColumnName('Ids')).toBe(false);
  });
});

describe('stream and table names', () => {
  it('takes Custom- followed by letters, digits, _ . or -', () => {
    expect(isCustomStreamName('Custom-AppEvents')).toBe(true);
    expect(isCustomStreamName('Custom-App.Events_v-2')).toBe(true);
    expect(isCustomStreamName('Custom-')).toBe(false);
    expect(isCustomStreamName('custom-AppEvents')).toBe(false);
    expect(isCustomStreamName('Microsoft-Syslog')).toBe(false);
    expect(isCustomStreamName('Custom-App Events')).toBe(false);
  });

  it('takes a letter, letters, digits or _, and the _CL suffix', () => {
    expect(isCustomTableName('AppEvents_CL')).toBe(true);
    expect(isCustomTableName('A_CL')).toBe(true);
    expect(isCustomTableName('AppEvents')).toBe(false);
    expect(isCustomTableName('AppEvents_cl')).toBe(false);
    expect(isCustomTableName('_CL')).toBe(false);
    expect(isCustomTableName('1App_CL')).toBe(false);
    expect(isCustomTableName('App-Events_CL')).toBe(false);
  });
});

describe('columns per table', () => {
  it('accepts a table of 500 columns', () => {
    const result = parseMapping(withColumns(500), { fileName: 'm.yaml', env: ENV });
    expect(result.problems.filter((p) => p.code === 'E_TOO_MANY_COLUMNS')).toEqual([]);
  });

  it('refuses a table of 501 columns, saying the limit', () => {
    const result = parseMapping(withColumns(501), { fileName: 'm.yaml', env: ENV });
    const tooMany = result.problems.filter((p) => p.code === 'E_TOO_MANY_COLUMNS');
    expect(tooMany.map((p) => p.message)).toEqual(['Sec_CL has 501 columns; a table holds at most 500']);
  });
});
