// The workbook list behind GET /console/api/workbooks: found in a solution's Workbooks/ folder
// and in ARM templates, titled as Sentinel titles them, and a broken file listed with where it
// breaks instead of stopping anything.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findResources } from '../src/catalog/read-definitions.js';
import { findWorkbooks } from '../src/workbooks/find-workbooks.js';
import { parseJsonText } from '../src/workbooks/json-text.js';

const GOLDEN = join(import.meta.dirname, '../../connector/test/fixtures');
const SOLUTION = join(GOLDEN, 'golden/app-security/Solutions/ContosoAudit');
const ARM = join(GOLDEN, 'golden-arm/app-security/azuredeploy.json');

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function folderWith(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'workbooks-list-'));
  made.push(root);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

const NOTEBOOK = JSON.stringify({
  version: 'Notebook/1.0',
  items: [{ type: 1, content: { json: '# Hello' } }],
});

describe('findWorkbooks', () => {
  it("lists the connector's solution workbooks with the titles of WorkbooksMetadata.json", () => {
    const listed = findWorkbooks([SOLUTION]);
    expect(listed.map((w) => [w.id, w.name, w.source])).toEqual([
      [
        'ContosoAuditAppAuthEvents',
        'Contoso Audit: AppAuthEvents_CL',
        join(SOLUTION, 'Workbooks/ContosoAuditAppAuthEvents.json'),
      ],
      [
        'ContosoAuditAppSecurityEvents',
        'Contoso Audit: AppSecurityEvents_CL',
        join(SOLUTION, 'Workbooks/ContosoAuditAppSecurityEvents.json'),
      ],
    ]);
    expect(listed[0]?.content).toMatchObject({ version: 'Notebook/1.0', items: expect.any(Array) });
    expect(listed.every((w) => w.error === undefined)).toBe(true);
  });

  it("reads the serializedData of the ARM template's Microsoft.Insights/workbooks resources", () => {
    const listed = findWorkbooks([ARM]);
    expect(listed.map((w) => [w.id, w.name, w.source])).toEqual([
      ['AppAuthEvents_CL-otel-sentinel', 'AppAuthEvents_CL (otel-sentinel)', `${ARM}, $.resources[5]`],
      [
        'AppSecurityEvents_CL-otel-sentinel',
        'AppSecurityEvents_CL (otel-sentinel)',
        `${ARM}, $.resources[6]`,
      ],
    ]);
    expect(listed[1]?.content).toMatchObject({ version: 'Notebook/1.0' });
  });

  it('finds a workbook in a nested template, as a solution package has them', () => {
    const template = {
      resources: [
        {
          type: 'Microsoft.OperationalInsights/workspaces/providers/contentTemplates',
          properties: {
            mainTemplate: {
              resources: [
                {
                  type: 'Microsoft.Insights/workbooks',
                  properties: { displayName: 'Nested', serializedData: NOTEBOOK },
                },
              ],
            },
          },
        },
      ],
    };
    const root = folderWith({ 'Package/mainTemplate.json': JSON.stringify(template) });
    expect(findWorkbooks([root]).map((w) => [w.name, w.source])).toEqual([
      [
        'Nested',
        `${join(root, 'Package/mainTemplate.json')}, $.resources[0].properties.mainTemplate.resources[0]`,
      ],
    ]);
  });

  it('lists a Workbooks/ file that is not JSON with its line and column, and goes on', () => {
    const root = folderWith({
      'Workbooks/Broken.json': '{\n  "version": "Notebook/1.0",\n  "items": [ }\n}\n',
      'Workbooks/Good.json': NOTEBOOK,
    });
    const listed = findWorkbooks([root]);
    expect(listed.map((w) => w.id)).toEqual(['Broken', 'Good']);
    const broken = listed[0];
    expect(broken?.content).toBeNull();
    expect(broken?.error).toMatchObject({ code: 'E_WORKBOOK_JSON', line: 3, column: 14 });
    expect(broken?.error?.message).toMatch(
      new RegExp(`^${escape(join(root, 'Workbooks/Broken.json'))}: not valid JSON at line 3, column 14 \\(`),
    );
    expect(listed[1]?.name).toBe('Hello');
  });

  it("leaves a broken Workbooks/ file out of the catalog's search, so the emulator still starts", () => {
    const root = folderWith({ 'Workbooks/Broken.json': '{ nope' });
    expect(() => findResources([root])).not.toThrow();
  });

  it('lists a JSON file in Workbooks/ that is not a workbook as such', () => {
    const root = folderWith({ 'Workbooks/Other.json': '{"name": "x"}' });
    expect(findWorkbooks([root])).toEqual([
      expect.objectContaining({
        id: 'Other',
        content: null,
        error: expect.objectContaining({ code: 'E_NOT_A_WORKBOOK' }),
      }),
    ]);
  });

  it('says where serializedData is not JSON, counted in the string', () => {
    const arm = {
      resources: [
        {
          type: 'Microsoft.Insights/workbooks',
          properties: { displayName: 'Bad', serializedData: '{"items": [1,]}' },
        },
      ],
    };
    const root = folderWith({ 'azuredeploy.json': JSON.stringify(arm) });
    const [bad] = findWorkbooks([root]);
    expect(bad?.error).toMatchObject({ code: 'E_WORKBOOK_JSON', line: 1, column: 14 });
    expect(bad?.error?.message).toContain(
      '$.resources[0].properties.serializedData: not valid JSON at line 1, column 14 of the string',
    );
  });

  it('refuses serializedData that is an ARM expression, which only Azure evaluates', () => {
    const arm = {
      resources: [
        { type: 'Microsoft.Insights/workbooks', properties: { serializedData: "[variables('book')]" } },
      ],
    };
    const root = folderWith({ 'azuredeploy.json': JSON.stringify(arm) });
    expect(findWorkbooks([root])[0]?.error?.code).toBe('E_WORKBOOK_EXPRESSION');
  });

  it('lists the same workbook once when both its file and a template hold it', () => {
    const arm = {
      resources: [
        {
          type: 'Microsoft.Insights/workbooks',
          properties: { displayName: 'Copy', serializedData: NOTEBOOK },
        },
      ],
    };
    const root = folderWith({ 'Workbooks/Hello.json': NOTEBOOK, 'zz/azuredeploy.json': JSON.stringify(arm) });
    expect(findWorkbooks([root]).map((w) => w.id)).toEqual(['Hello']);
  });

  it('gives two workbooks of the same name different ids', () => {
    const root = folderWith({
      'a/Workbooks/Book.json': NOTEBOOK,
      'b/Workbooks/Book.json': JSON.stringify({ version: 'Notebook/1.0', items: [] }),
    });
    expect(findWorkbooks([root]).map((w) => w.id)).toEqual(['Book', 'Book-2']);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('parseJsonText', () => {
  it.each([
    ['{"a": [1,]}', 1, 10],
    ['{\n  "a": tru\n}', 2, 8],
    ['{"a": 1} x', 1, 10],
    ['{"a": "b', 1, 9],
    ['[1 2]', 1, 4],
    ['{"a\\q": 1}', 1, 4],
  ])('places the error in %j at line %i, column %i', (text, line, column) => {
    const parsed = parseJsonText(text);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect([parsed.problem.line, parsed.problem.column]).toEqual([line, column]);
    // The reason is V8's words, which change between Node versions; the place is ours.
    expect(parsed.problem.reason).not.toMatch(/position|^$/);
  });
});
