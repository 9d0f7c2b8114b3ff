import { describe, expect, it } from 'vitest';
import { analyzeKql, type AnalysisTable } from '../src/kusto-analyze.js';

const TABLES: AnalysisTable[] = [
  {
    name: 'Logins_CL',
    columns: [
      { name: 'TimeGenerated', type: 'datetime' },
      { name: 'UserId', type: 'string' },
      { name: 'Attempts', type: 'int' },
      { name: 'Ok', type: 'boolean' },
      { name: 'Source Ip', type: 'string' },
      { name: 'Extra', type: 'dynamic' },
    ],
  },
];

describe('analyzeKql', () => {
  it('finds nothing wrong in a valid query and lists the columns it returns', () => {
    const kql = [
      'let Threshold = 3;',
      'let Tools = dynamic(["sqlmap"]);',
      'Logins_CL',
      "| where Ok == false or ['Source Ip'] has_any (Tools)",
      '| summarize Failures = count(), LastOk = maxif(TimeGenerated, Ok) by UserId, bin(TimeGenerated, 10m)',
      '| where Failures >= Threshold',
    ].join('\n');
    const analysis = analyzeKql(kql, TABLES);
    expect(analysis.diagnostics).toEqual([]);
    expect(analysis.columns).toEqual([
      { name: 'UserId', type: 'string' },
      { name: 'TimeGenerated', type: 'datetime' },
      { name: 'Failures', type: 'long' },
      { name: 'LastOk', type: 'datetime' },
    ]);
  });

  it('reports an unknown column with its code, line and column', () => {
    const [diagnostic] = analyzeKql('Logins_CL\n| where Usr == "alice"', TABLES).diagnostics;
    expect(diagnostic).toMatchObject({ severity: 'Error', code: 'KS142', position: { line: 2, column: 9 } });
    expect(diagnostic?.message).toMatch(/'Usr'/);
  });

  it('reports a function the service does not know', () => {
    const { diagnostics } = analyzeKql('Logins_CL | summarize dcountiff(UserId, true)', TABLES);
    expect(diagnostics.map((d) => d.message)).toContainEqual(expect.stringMatching(/'dcountiff'/));
  });

  it('reports operands whose types do not go together', () => {
    const { diagnostics } = analyzeKql('Logins_CL | extend x = UserId + 1', TABLES);
    expect(diagnostics.some((d) => d.severity === 'Error')).toBe(true);
  });

  it('reports a table the database does not have', () => {
    const { diagnostics } = analyzeKql('OtherTable_CL | take 1', TABLES);
    expect(diagnostics[0]?.message).toMatch(/'OtherTable_CL'/);
  });
});
