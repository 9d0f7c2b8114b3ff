import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSolution, ConnectorError, generateSolution } from '../src/index.js';
import type { GeneratedFile } from '../src/index.js';
import { FIXTURES, loadFixture, NOW, SOLUTION, writeTree } from './helpers.js';

const GOLDEN = join(FIXTURES, 'golden', 'app-security');
const config = loadFixture('app-security.yaml');

/** The content of the generated file whose path ends with `name`. */
function file(files: readonly GeneratedFile[], name: string): string {
  const f = files.find((x) => x.path.endsWith(`/${name}`));
  if (f === undefined) throw new Error(`no ${name} among ${files.map((x) => x.path).join(', ')}`);
  return f.content;
}

describe('generateSolution', () => {
  const files = generateSolution(config, { solution: SOLUTION, now: NOW });

  it('writes the CCF Push layout under Solutions/<Name without spaces>', () => {
    expect(files.map((f) => f.path)).toEqual([
      'Solutions/ContosoAudit/Data/Solution_ContosoAudit.json',
      'Solutions/ContosoAudit/SolutionMetadata.json',
      'Solutions/ContosoAudit/ReleaseNotes.md',
      'Solutions/ContosoAudit/Data Connectors/ContosoAudit_ccf/table.json',
      'Solutions/ContosoAudit/Data Connectors/ContosoAudit_ccf/table_AppSecurityEvents_CL.json',
      'Solutions/ContosoAudit/Data Connectors/ContosoAudit_ccf/DCR.json',
      'Solutions/ContosoAudit/Data Connectors/ContosoAudit_ccf/connectorDefinition.json',
      'Solutions/ContosoAudit/Data Connectors/ContosoAudit_ccf/dataConnector.json',
      'Solutions/ContosoAudit/Workbooks/ContosoAuditAppAuthEvents.json',
      'Solutions/ContosoAudit/Workbooks/ContosoAuditAppSecurityEvents.json',
      'Solutions/ContosoAudit/Workbooks/WorkbooksMetadata.json',
    ]);
  });

  it('matches the reviewed golden files byte for byte', () => {
    for (const f of files) {
      const golden = join(GOLDEN, f.path);
      if (process.env.UPDATE_GOLDEN === '1') {
        mkdirSync(dirname(golden), { recursive: true });
        writeFileSync(golden, f.content);
      }
      expect(f.content, f.path).toBe(readFileSync(golden, 'utf8'));
    }
  });

  it('gives byte-identical output on a second run', () => {
    expect(generateSolution(loadFixture('app-security.yaml'), { solution: SOLUTION, now: NOW })).toEqual(
      files,
    );
  });

  it('produces a folder that passes every check', () => {
    const dir = writeTree(files);
    expect(checkSolution(join(dir, 'Solutions', 'ContosoAudit'))).toEqual([]);
  });

  it('declares TimeGenerated in each stream and passes rows through with transformKql source', () => {
    const dcr = JSON.parse(file(files, 'DCR.json'));
    expect(Object.keys(dcr.properties.streamDeclarations)).toEqual([
      'Custom-AppAuthEvents',
      'Custom-AppSecurityEvents',
    ]);
    for (const d of Object.values<{ columns: { name: string }[] }>(dcr.properties.streamDeclarations))
      expect(d.columns[0]?.name).toBe('TimeGenerated');
    expect(
      dcr.properties.dataFlows.map((f: { transformKql: string; outputStream: string }) => [
        f.transformKql,
        f.outputStream,
      ]),
    ).toEqual([
      ['source', 'Custom-AppAuthEvents_CL'],
      ['source', 'Custom-AppSecurityEvents_CL'],
    ]);
  });

  it("points the DCR at the DCE named like the workspace, as Microsoft's Push references and packager do", () => {
    const dcr = JSON.parse(file(files, 'DCR.json'));
    expect(dcr.properties.dataCollectionEndpointId).toBe(
      "[concat(subscription().id, '/resourceGroups/', resourceGroup().name, '/providers/Microsoft.Insights/dataCollectionEndpoints/', parameters('workspace'))]",
    );
  });

  it('asks only for workspace read, write and delete, never for the shared keys a Push connector does not use', () => {
    const def = JSON.parse(file(files, 'connectorDefinition.json'));
    expect(def.properties.connectorUiConfig.permissions.resourceProvider).toEqual([
      {
        provider: 'Microsoft.OperationalInsights/workspaces',
        permissionsDisplayText: 'Read, write and delete permissions are required.',
        providerDisplayName: 'Workspace',
        scope: 'Workspace',
        requiredPermissions: { read: true, write: true, delete: true },
      },
    ]);
  });

  it('offers failure queries only when the user or IP columns exist', () => {
    const def = JSON.parse(file(files, 'connectorDefinition.json'));
    const descriptions = def.properties.connectorUiConfig.sampleQueries.map(
      (q: { description: string }) => q.description,
    );
    expect(descriptions).toContain('Failures by ActorUserId and SrcIpAddr in AppAuthEvents_CL');
    expect(descriptions).toContain('Events by EventName in AppAuthEvents_CL');
  });

  it('lets flags override the mapping field by field', () => {
    const out = generateSolution(config, { solution: { ...SOLUTION, version: '2.1.0' }, now: NOW });
    expect(out[2]?.content).toBe('# Contoso Audit\n\n## v2.1.0\n\n- Initial release\n');
  });

  it('throws E_SOLUTION_INFO naming every missing or invalid field', () => {
    const bad = {
      ...SOLUTION,
      publisherId: 'Contoso',
      offerId: '9x',
      version: '1.0',
      support: { ...SOLUTION.support, tier: 'Gold' as 'Partner' },
    };
    try {
      generateSolution(config, { solution: bad, now: NOW });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConnectorError);
      const e = error as ConnectorError;
      expect(e.code).toBe('E_SOLUTION_INFO');
      expect(e.problems.join('\n')).toMatch(/publisherId[\s\S]*offerId[\s\S]*version[\s\S]*tier/);
    }
    expect(() => generateSolution(config, { now: NOW })).toThrow(/solution\.name is missing/);
  });

  it('writes one table resource per file: table.json for the first stream, then one per table', () => {
    const first = JSON.parse(file(files, 'table.json'));
    const second = JSON.parse(file(files, 'table_AppSecurityEvents_CL.json'));
    expect([first.name, second.name]).toEqual(['AppAuthEvents_CL', 'AppSecurityEvents_CL']);
    // The packager links the table named by the DCR's first data flow to the connector.
    const dcr = JSON.parse(file(files, 'DCR.json'));
    expect(dcr.properties.dataFlows[0].outputStream).toBe(`Custom-${first.name}`);
    const dc = JSON.parse(file(files, 'dataConnector.json'));
    expect(dc.properties.dcrConfig.streamName).toBe(dcr.properties.dataFlows[0].streams[0]);
  });

  it("writes a stream's own transformKql into its data flow", () => {
    const custom = {
      ...config,
      streams: config.streams.map((s, i) =>
        i === 1 ? { ...s, transformKql: 'source | where EventSeverity != "Informational"' } : s,
      ),
    };
    const dcr = JSON.parse(file(generateSolution(custom, { solution: SOLUTION, now: NOW }), 'DCR.json'));
    expect(dcr.properties.dataFlows.map((f: { transformKql: string }) => f.transformKql)).toEqual([
      'source',
      'source | where EventSeverity != "Informational"',
    ]);
  });
});
