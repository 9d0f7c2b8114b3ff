import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeKql } from '@otel-sentinel/kql';
import { describe, expect, it } from 'vitest';
import { checkSolution, generateSolution } from '../src/index.js';
import type { CheckProblem } from '../src/index.js';
import { loadFixture, NOW, SOLUTION, writeTree } from './helpers.js';

const BOOK = 'Workbooks/ContosoAuditAppAuthEvents.json';
const METADATA = 'Workbooks/WorkbooksMetadata.json';

/** A fresh generated solution folder. */
function solutionDir(): string {
  const files = generateSolution(loadFixture('app-security.yaml'), { solution: SOLUTION, now: NOW });
  return join(writeTree(files), 'Solutions', 'ContosoAudit');
}

function edit(dir: string, file: string, change: (json: Record<string, unknown>) => unknown): void {
  const path = join(dir, file);
  writeFileSync(
    path,
    JSON.stringify(change(JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>)),
  );
}

function rules(problems: readonly CheckProblem[]): string[] {
  return problems.map((p) => `${p.file} ${p.rule}`);
}

describe('checkSolution on workbooks', () => {
  it('passes a generated solution, its workbook queries analysed by Microsoft’s analyzer', () => {
    expect(checkSolution(solutionDir(), { analyzeKql })).toEqual([]);
  });

  it('reports a workbook the solution file does not list, and a listed one that is missing', () => {
    const dir = solutionDir();
    edit(dir, 'Data/Solution_ContosoAudit.json', (s) => ({ ...s, Workbooks: ['Workbooks/Gone.json'] }));
    expect(rules(checkSolution(dir))).toEqual([
      'Workbooks/ContosoAuditAppAuthEvents.json workbooks',
      'Workbooks/ContosoAuditAppSecurityEvents.json workbooks',
      'Workbooks/Gone.json required-file',
      `${METADATA} workbook-metadata`,
      `${METADATA} workbook-metadata`,
    ]);
  });

  it("reports the portal's default template id and a resource id left in the template", () => {
    const dir = solutionDir();
    edit(dir, BOOK, (b) => ({
      ...b,
      fromTemplateId: 'sentinel-UserWorkbook',
      fallbackResourceIds: [
        '/subscriptions/00000000-1111-2222-3333-444444444444/resourcegroups/rg/providers/microsoft.operationalinsights/workspaces/ws',
      ],
    }));
    const problems = checkSolution(dir).filter((p) => p.file === BOOK);
    expect(problems.map((p) => p.rule)).toEqual(['workbook', 'workbook']);
    expect(problems[0]?.message).toContain('sentinel-UserWorkbook');
    expect(problems[1]?.message).toContain('subscriptions/<id>');
  });

  it('reports a query that reads a column the table does not have, only when given the analyzer', () => {
    const dir = solutionDir();
    const path = join(dir, BOOK);
    writeFileSync(path, readFileSync(path, 'utf8').replace('Target = Url\\n', 'Target = Urls\\n'));
    expect(rules(checkSolution(dir))).toEqual([]);
    const problems = checkSolution(dir, { analyzeKql });
    expect(rules(problems)).toEqual([`${BOOK} workbook-query`]);
    expect(problems[0]?.message).toMatch(/^top-targets: line 4:\d+: KS142 .*'Urls'/);
  });

  it('leaves alone a query with a parameter it cannot stand in for', () => {
    const dir = solutionDir();
    edit(dir, BOOK, (b) => ({
      ...b,
      items: [
        ...(b.items as unknown[]),
        {
          type: 3,
          name: 'mine',
          content: { query: "AppAuthEvents_CL | where Nope == '{Custom}'", queryType: 0 },
        },
      ],
    }));
    expect(checkSolution(dir, { analyzeKql })).toEqual([]);
  });

  it('checks the metadata entries against the schema keys, the template id and the preview images', () => {
    const dir = solutionDir();
    edit(dir, METADATA, (entries) => {
      const [first, second] = entries as unknown as Record<string, unknown>[];
      return [
        { ...first, workbookKey: 'Other', extra: 1, previewImagesFileNames: ['OnlyWhite.png', 'x.jpg'] },
        second,
      ];
    });
    expect(checkSolution(dir).map((p) => p.message)).toEqual([
      'entry 0: extra is not a key the schema allows',
      'entry 0: workbookKey "Other" does not match fromTemplateId "sentinel-ContosoAuditAppAuthEvents" (expected "ContosoAuditAppAuthEventsWorkbook")',
      'entry 0: preview image x.jpg is not a .png',
      'entry 0: previewImagesFileNames needs a dark (Black) and a light (White) image',
    ]);
  });

  it('needs no metadata file (a solution may keep its entries elsewhere)', () => {
    const dir = solutionDir();
    rmSync(join(dir, METADATA));
    expect(checkSolution(dir)).toEqual([]);
  });
});
