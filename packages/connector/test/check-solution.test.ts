import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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
    edit(dir, `${CCF}/table.json`, (t) => (t[0].properties.schema.name = 'AppAuthEvents'));
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
      t[0].properties.schema.columns.push(
        { name: '9lives', type: 'string' },
        { name: 'TenantId', type: 'string' },
      );
    });
    const columnProblems = checkSolution(dir).filter((p) => p.rule === 'column-name');
    expect(columnProblems.map((p) => p.message).join('\n')).toMatch(/9lives[\s\S]*TenantId/);
  });

  it('reports more than 500 columns', () => {
    const dir = solutionDir();
    edit(dir, `${CCF}/table.json`, (t) => {
      for (let i = 0; i < 500; i++)
        t[1].properties.schema.columns.push({ name: `Extra${i}`, type: 'string' });
    });
    expect(rules(dir)).toContain('column-count');
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
      t[0].properties.schema.columns[1].type = 'guid';
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
});
