import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSolution, generateSolution } from '../src/index.js';
import type { CheckRule } from '../src/index.js';
import { loadFixture, NOW, SOLUTION, writeTree } from './helpers.js';

const CCF = 'Data Connectors/ContosoAudit_ccf';

/** A fresh generated solution folder. */
function solutionDir(): string {
  const files = generateSolution(loadFixture('app-security.yaml'), { solution: SOLUTION, now: NOW });
  return join(writeTree(files), 'Solutions', 'ContosoAudit');
}

// Broken copies are made by poking at arbitrary JSON, so the callback gets an untyped value.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function edit(dir: string, file: string, change: (json: any) => void): void {
  const path = join(dir, file);
  const json = JSON.parse(readFileSync(path, 'utf8'));
  change(json);
  writeFileSync(path, JSON.stringify(json, null, 2));
}

function rules(dir: string): CheckRule[] {
  return checkSolution(dir).map((p) => p.rule);
}

describe('checkSolution', () => {
  it('reports a missing required file with its name', () => {
    const dir = solutionDir();
    rmSync(join(dir, CCF, 'DCR.json'));
    expect(checkSolution(dir)).toContainEqual(
      expect.objectContaining({ file: `${CCF}/DCR.json`, rule: 'required-file' }),
    );
  });

  it('reports a file that is not JSON', () => {
    const dir = solutionDir();
    writeFileSync(join(dir, CCF, 'table.json'), '{ nope');
    expect(rules(dir)).toContain('invalid-json');
  });

  it('reports a table name without _CL', () => {
    const dir = solutionDir();
    edit(dir, `${CCF}/table.json`, (t) => (t.properties.schema.name = 'AppAuthEvents'));
    expect(rules(dir)).toContain('table-name');
  });

  it('reports a stream without the Custom- prefix', () => {
    const dir = solutionDir();
    edit(dir, `${CCF}/DCR.json`, (d) => {
      d.properties.streamDeclarations.AppAuthEvents = d.properties.streamDeclarations['Custom-AppAuthEvents'];
    });
    expect(rules(dir)).toContain('stream-name');
  });

  it('reports a column name that breaks the rules or is reserved', () => {
    const dir = solutionDir();
    edit(dir, `${CCF}/table.json`, (t) => {
      t.properties.schema.columns.push(
        { name: '9lives', type: 'string' },
        { name: 'TenantId', type: 'string' },
      );
    });
    const columnProblems = checkSolution(dir).filter((p) => p.rule === 'column-name');
    expect(columnProblems.map((p) => p.message).join('\n')).toMatch(/9lives[\s\S]*TenantId/);
  });

  it('reports more than 500 columns', () => {
    const dir = solutionDir();
    edit(dir, `${CCF}/table_AppSecurityEvents_CL.json`, (t) => {
      for (let i = 0; i < 500; i++) t.properties.schema.columns.push({ name: `Extra${i}`, type: 'string' });
    });
    expect(checkSolution(dir)).toContainEqual(
      expect.objectContaining({ rule: 'column-count', file: `${CCF}/table_AppSecurityEvents_CL.json` }),
    );
  });

  it('takes a table of exactly 500 columns and reports one of 501', () => {
    const file = `${CCF}/table_AppSecurityEvents_CL.json`;
    const fillTo = (dir: string, n: number): void => {
      edit(dir, file, (t) => {
        const cols = t.properties.schema.columns;
        for (let i = 0; cols.length < n; i++) cols.push({ name: `Extra${i}`, type: 'string' });
      });
    };
    const atLimit = solutionDir();
    fillTo(atLimit, 500);
    expect(checkSolution(atLimit).filter((p) => p.rule === 'column-count')).toEqual([]);
    const past = solutionDir();
    fillTo(past, 501);
    expect(checkSolution(past).filter((p) => p.rule === 'column-count')).toEqual([
      expect.objectContaining({
        file,
        message: 'table "AppSecurityEvents_CL" has 501 columns; the limit is 500',
      }),
    ]);
  });

  it('takes a 45-character column name and reports a 46-character one', () => {
    const dir = solutionDir();
    const ok = `A${'b'.repeat(44)}`;
    const long = `A${'b'.repeat(45)}`;
    edit(dir, `${CCF}/table.json`, (t) => {
      t.properties.schema.columns.push({ name: ok, type: 'string' }, { name: long, type: 'string' });
    });
    const named = checkSolution(dir)
      .filter((p) => p.rule === 'column-name')
      .map((p) => p.message);
    expect(named).toHaveLength(1);
    expect(named[0]).toContain(`"${long}"`);
  });

  it('reports stream columns that differ from the table in name or type', () => {
    const dir = solutionDir();
    edit(dir, `${CCF}/DCR.json`, (d) => {
      d.properties.streamDeclarations['Custom-AppAuthEvents'].columns[1].type = 'dynamic';
    });
    expect(checkSolution(dir)).toContainEqual(
      expect.objectContaining({ rule: 'stream-columns', file: `${CCF}/DCR.json` }),
    );
  });

  it('accepts guid table columns declared as string in the stream', () => {
    const dir = solutionDir();
    edit(dir, `${CCF}/table.json`, (t) => {
      t.properties.schema.columns[1].type = 'guid';
    });
    expect(rules(dir)).toEqual([]);
  });

  it('reports a data flow whose outputStream is not Custom-<existing table>', () => {
    const dir = solutionDir();
    edit(dir, `${CCF}/DCR.json`, (d) => (d.properties.dataFlows[0].outputStream = 'Custom-Other_CL'));
    expect(rules(dir)).toContain('output-stream');
  });

  it("reports a connectorDefinitionName that is not the definition's id", () => {
    const dir = solutionDir();
    edit(dir, `${CCF}/dataConnector.json`, (d) => (d.properties.connectorDefinitionName = 'Wrong'));
    expect(rules(dir)).toEqual(['connector-definition-name']);
  });

  it('reports a dcrConfig.streamName that is not declared', () => {
    const dir = solutionDir();
    edit(dir, `${CCF}/dataConnector.json`, (d) => (d.properties.dcrConfig.streamName = 'Custom-Nope'));
    expect(rules(dir)).toEqual(['dcr-stream-name']);
  });

  it('reports a solution Name that differs from the folder', () => {
    const dir = solutionDir();
    edit(dir, 'Data/Solution_ContosoAudit.json', (s) => (s.Name = 'Contoso Audit'));
    expect(rules(dir)).toEqual(['solution-name']);
  });

  it('reports a solution file named after another folder', () => {
    const dir = solutionDir();
    renameSync(join(dir, 'Data/Solution_ContosoAudit.json'), join(dir, 'Data/Solution_Other.json'));
    expect(rules(dir)).toContain('solution-name');
  });

  it('reports publisherId or offerId that differ between the two files', () => {
    const dir = solutionDir();
    edit(dir, 'Data/Solution_ContosoAudit.json', (s) => (s.publisherId = 'fabrikam'));
    expect(rules(dir)).toEqual(['ids-match']);
  });

  it('reports an invalid publisherId in SolutionMetadata.json', () => {
    const dir = solutionDir();
    edit(dir, 'SolutionMetadata.json', (m) => (m.offerId = 'Contoso_Audit'));
    expect(rules(dir)).toEqual(['ids-match']);
  });

  it('reports a Version that is not semver', () => {
    const dir = solutionDir();
    edit(dir, 'Data/Solution_ContosoAudit.json', (s) => (s.Version = '1.0'));
    const [problem] = checkSolution(dir);
    expect(problem).toMatchObject({ rule: 'version', file: 'Data/Solution_ContosoAudit.json' });
    expect(problem?.fix).toMatch(/1\.0\.0/);
  });

  it('finds tables by their type in any file of the connector folder, one resource or an array', () => {
    const dir = solutionDir();
    const second = readFileSync(join(dir, CCF, 'table_AppSecurityEvents_CL.json'), 'utf8');
    rmSync(join(dir, CCF, 'table_AppSecurityEvents_CL.json'));
    expect(rules(dir)).toContain('output-stream');
    const first = JSON.parse(readFileSync(join(dir, CCF, 'table.json'), 'utf8'));
    writeFileSync(join(dir, CCF, 'table.json'), JSON.stringify([first, JSON.parse(second)]));
    expect(rules(dir)).toEqual([]);
    writeFileSync(join(dir, CCF, 'table.json'), JSON.stringify(first));
    mkdirSync(join(dir, CCF, 'tables'));
    writeFileSync(join(dir, CCF, 'tables', 'security.json'), second);
    expect(rules(dir)).toEqual([]);
  });

  it('reports a column type that tables or stream declarations do not have', () => {
    const dir = solutionDir();
    edit(dir, `${CCF}/table.json`, (t) => (t.properties.schema.columns[1].type = 'text'));
    edit(dir, `${CCF}/DCR.json`, (d) => {
      d.properties.streamDeclarations['Custom-AppAuthEvents'].columns[1].type = 'guid';
    });
    const problems = checkSolution(dir).filter((p) => p.rule === 'column-type');
    expect(problems.map((p) => p.file)).toEqual([`${CCF}/table.json`, `${CCF}/DCR.json`]);
    expect(problems[1]?.fix).toMatch(/declare guid columns as string/);
  });

  describe('a transform other than source', () => {
    function withTransform(kql: string): string {
      const dir = solutionDir();
      edit(dir, `${CCF}/DCR.json`, (d) => (d.properties.dataFlows[0].transformKql = kql));
      return dir;
    }

    it('must read source first', () => {
      expect(checkSolution(withTransform('AppAuthEvents_CL | take 1'))).toContainEqual(
        expect.objectContaining({ rule: 'transform', file: `${CCF}/DCR.json` }),
      );
    });

    it('is handed to the checker with the stream and table columns; each message is a problem', () => {
      const dir = withTransform('source | extend Extra = 1');
      const calls: { kql: string; stream: string; table: string; streamCols: number; tableCols: number }[] =
        [];
      const problems = checkSolution(dir, {
        checkTransform: (kql, ctx) => {
          calls.push({
            kql,
            stream: ctx.stream,
            table: ctx.table,
            streamCols: ctx.streamColumns.length,
            tableCols: ctx.tableColumns.length,
          });
          return ['Extra is not a column of table AppAuthEvents_CL'];
        },
      });
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({
        kql: 'source | extend Extra = 1',
        stream: 'Custom-AppAuthEvents',
        table: 'AppAuthEvents_CL',
      });
      expect(calls[0]?.streamCols).toBeGreaterThan(3);
      expect(calls[0]?.tableCols).toBe(calls[0]?.streamCols);
      expect(problems).toEqual([
        {
          file: `${CCF}/DCR.json`,
          rule: 'transform',
          message: 'Custom-AppAuthEvents: Extra is not a column of table AppAuthEvents_CL',
          fix: 'fix the transformKql of the data flow from Custom-AppAuthEvents',
        },
      ]);
    });

    it('no longer requires the stream to equal the table', () => {
      const dir = withTransform('source | where EventName != "noise"');
      edit(dir, `${CCF}/DCR.json`, (d) => {
        d.properties.streamDeclarations['Custom-AppAuthEvents'].columns.push({ name: 'Raw', type: 'string' });
      });
      expect(checkSolution(dir, { checkTransform: () => [] })).toEqual([]);
    });
  });
});
