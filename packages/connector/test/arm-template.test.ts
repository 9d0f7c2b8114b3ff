import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConnectorError,
  generateArmTemplate,
  MONITORING_METRICS_PUBLISHER,
  OtelSentinelError,
} from '../src/index.js';
import { FIXTURES, loadFixture } from './helpers.js';

const GOLDEN = join(FIXTURES, 'golden-arm', 'app-security');
const config = loadFixture('app-security.yaml');

interface Resource {
  type: string;
  apiVersion: string;
  name: string;
  kind?: string;
  scope?: string;
  dependsOn?: string[];
  properties: Record<string, unknown>;
}
interface Template {
  $schema: string;
  contentVersion: string;
  parameters: Record<string, { type: string; defaultValue?: unknown; metadata?: { description?: string } }>;
  variables: Record<string, string>;
  resources: Resource[];
  outputs: Record<string, { type: string; value: unknown }>;
}

function parse(content: string): Template {
  return JSON.parse(content) as Template;
}

function ofType(t: Template, type: string): Resource[] {
  return t.resources.filter((r) => r.type === type);
}

/** The resourceId(...) expression that names a resource of the template, as dependsOn writes it. */
function idOf(r: Resource): string {
  const table = /^\[format\('\{0\}\/\{1\}', parameters\('workspaceName'\), '([^']+)'\)\]$/.exec(r.name);
  if (table) {
    return `[resourceId('${r.type}', parameters('workspaceName'), '${table[1]}')]`;
  }
  const param = /^\[parameters\('([^']+)'\)\]$/.exec(r.name);
  if (param) return `[resourceId('${r.type}', parameters('${param[1]}'))]`;
  return r.name;
}

function checkDependsOn(t: Template): void {
  const ids = new Set(t.resources.map(idOf));
  for (const r of t.resources) {
    for (const d of r.dependsOn ?? []) expect(ids, `${r.type} dependsOn ${d}`).toContain(d);
  }
}

function parametersUsed(t: Template): string[] {
  const text = JSON.stringify({ resources: t.resources, variables: t.variables, outputs: t.outputs });
  return [...new Set([...text.matchAll(/parameters\('([^']+)'\)/g)].map((m) => m[1] ?? ''))].sort();
}

describe('generateArmTemplate', () => {
  const file = generateArmTemplate(config);
  const direct = generateArmTemplate(config, { direct: true });
  const t = parse(file.content);
  const d = parse(direct.content);

  it('writes deploy/azuredeploy.json', () => {
    expect(file.path).toBe('deploy/azuredeploy.json');
    expect(direct.path).toBe('deploy/azuredeploy.json');
  });

  it('matches the reviewed golden files byte for byte', () => {
    for (const [name, f] of [
      ['azuredeploy.json', file],
      ['azuredeploy.direct.json', direct],
    ] as const) {
      const golden = join(GOLDEN, name);
      if (process.env.UPDATE_GOLDEN === '1') {
        mkdirSync(dirname(golden), { recursive: true });
        writeFileSync(golden, f.content);
      }
      expect(f.content, name).toBe(readFileSync(golden, 'utf8'));
    }
  });

  it('gives byte-identical output on a second run', () => {
    expect(generateArmTemplate(loadFixture('app-security.yaml'))).toEqual(file);
    expect(generateArmTemplate(loadFixture('app-security.yaml'), { direct: true })).toEqual(direct);
    expect(generateArmTemplate(config, { direct: false })).toEqual(file);
  });

  it('is a deployment template with the 2019-04-01 schema', () => {
    for (const x of [t, d]) {
      expect(Object.keys(x)).toEqual([
        '$schema',
        'contentVersion',
        'parameters',
        'variables',
        'resources',
        'outputs',
      ]);
      expect(x.$schema).toBe(
        'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
      );
      expect(x.contentVersion).toBe('1.0.0.0');
    }
  });

  it('describes every parameter and declares every parameter it uses', () => {
    expect(Object.keys(t.parameters)).toEqual([
      'workspaceName',
      'location',
      'principalId',
      'dceName',
      'dcrName',
    ]);
    expect(Object.keys(d.parameters)).toEqual(['workspaceName', 'location', 'principalId', 'dcrName']);
    for (const x of [t, d]) {
      for (const [name, p] of Object.entries(x.parameters)) {
        expect(p.type, name).toBe('string');
        expect(p.metadata?.description, name).toMatch(/\S/);
      }
      expect(x.parameters.location?.defaultValue).toBe('[resourceGroup().location]');
      expect(x.parameters.principalId?.defaultValue).toBeUndefined();
      expect(x.parameters.workspaceName?.defaultValue).toBeUndefined();
      expect(x.parameters.dcrName?.defaultValue).toMatch(/^\[.*\]$/);
      expect(parametersUsed(x)).toEqual(Object.keys(x.parameters).sort());
    }
    expect(t.parameters.dceName?.defaultValue).toMatch(/^\[.*\]$/);
  });

  it('has every resource type, with the API versions from the reference', () => {
    expect(t.resources.map((r) => [r.type, r.apiVersion])).toEqual([
      ['Microsoft.OperationalInsights/workspaces/tables', '2025-07-01'],
      ['Microsoft.OperationalInsights/workspaces/tables', '2025-07-01'],
      ['Microsoft.Insights/dataCollectionEndpoints', '2022-06-01'],
      ['Microsoft.Insights/dataCollectionRules', '2022-06-01'],
      ['Microsoft.Authorization/roleAssignments', '2022-04-01'],
      ['Microsoft.Insights/workbooks', '2023-06-01'],
      ['Microsoft.Insights/workbooks', '2023-06-01'],
    ]);
  });

  it('creates one Analytics table per mapped stream, TimeGenerated first', () => {
    const tables = ofType(t, 'Microsoft.OperationalInsights/workspaces/tables');
    expect(tables.map((r) => r.name)).toEqual([
      "[format('{0}/{1}', parameters('workspaceName'), 'AppAuthEvents_CL')]",
      "[format('{0}/{1}', parameters('workspaceName'), 'AppSecurityEvents_CL')]",
    ]);
    for (const r of tables) {
      expect(r.properties.plan).toBe('Analytics');
      const schema = r.properties.schema as { name: string; columns: { name: string; type: string }[] };
      expect(schema.name).toMatch(/_CL$/);
      expect(schema.columns[0]).toEqual({ name: 'TimeGenerated', type: 'datetime' });
    }
  });

  it('declares each stream and routes it to Custom-<table> in the workspace', () => {
    const [dcr] = ofType(t, 'Microsoft.Insights/dataCollectionRules');
    const p = dcr!.properties as {
      dataCollectionEndpointId: string;
      streamDeclarations: Record<string, { columns: { name: string; type: string }[] }>;
      destinations: { logAnalytics: { workspaceResourceId: string; name: string }[] };
      dataFlows: { streams: string[]; destinations: string[]; transformKql: string; outputStream: string }[];
    };
    expect(dcr!.kind).toBeUndefined();
    expect(p.dataCollectionEndpointId).toBe(
      "[resourceId('Microsoft.Insights/dataCollectionEndpoints', parameters('dceName'))]",
    );
    expect(Object.keys(p.streamDeclarations)).toEqual(['Custom-AppAuthEvents', 'Custom-AppSecurityEvents']);
    expect(p.streamDeclarations['Custom-AppAuthEvents']?.columns[0]).toEqual({
      name: 'TimeGenerated',
      type: 'datetime',
    });
    expect(p.destinations.logAnalytics).toEqual([
      { workspaceResourceId: "[variables('workspaceResourceId')]", name: 'workspace' },
    ]);
    expect(t.variables.workspaceResourceId).toBe(
      "[resourceId('Microsoft.OperationalInsights/workspaces', parameters('workspaceName'))]",
    );
    expect(p.dataFlows).toEqual([
      {
        streams: ['Custom-AppAuthEvents'],
        destinations: ['workspace'],
        transformKql: 'source',
        outputStream: 'Custom-AppAuthEvents_CL',
      },
      {
        streams: ['Custom-AppSecurityEvents'],
        destinations: ['workspace'],
        transformKql: 'source',
        outputStream: 'Custom-AppSecurityEvents_CL',
      },
    ]);
    // Each table declared in the DCR exists as a resource, with the same columns.
    const tables = ofType(t, 'Microsoft.OperationalInsights/workspaces/tables');
    for (const flow of p.dataFlows) {
      const table = tables.find(
        (r) => `Custom-${(r.properties.schema as { name: string }).name}` === flow.outputStream,
      );
      expect(table, flow.outputStream).toBeDefined();
      const cols = (table!.properties.schema as { columns: { name: string }[] }).columns.map((c) => c.name);
      expect(p.streamDeclarations[flow.streams[0]!]?.columns.map((c) => c.name)).toEqual(cols);
    }
  });

  it("names the DCE like the workspace by default, the one a Push solution's DCR points at", () => {
    expect(t.parameters['dceName']?.defaultValue).toBe("[parameters('workspaceName')]");
    const [dce] = ofType(t, 'Microsoft.Insights/dataCollectionEndpoints');
    expect(dce!.name).toBe("[parameters('dceName')]");
  });

  it('makes the DCR depend on every table and the DCE, and every dependsOn names a resource', () => {
    const [dcr] = ofType(t, 'Microsoft.Insights/dataCollectionRules');
    expect(dcr!.dependsOn).toEqual([
      "[resourceId('Microsoft.OperationalInsights/workspaces/tables', parameters('workspaceName'), 'AppAuthEvents_CL')]",
      "[resourceId('Microsoft.OperationalInsights/workspaces/tables', parameters('workspaceName'), 'AppSecurityEvents_CL')]",
      "[resourceId('Microsoft.Insights/dataCollectionEndpoints', parameters('dceName'))]",
    ]);
    checkDependsOn(t);
    checkDependsOn(d);
  });

  it('grants Monitoring Metrics Publisher on the DCR to principalId, under a deterministic guid name', () => {
    for (const x of [t, d]) {
      const [ra] = ofType(x, 'Microsoft.Authorization/roleAssignments');
      expect(MONITORING_METRICS_PUBLISHER).toBe('3913510d-42f4-4e42-8a64-420c390055eb');
      expect(ra!.scope).toBe("[format('Microsoft.Insights/dataCollectionRules/{0}', parameters('dcrName'))]");
      expect(ra!.name).toMatch(/^\[guid\(.*parameters\('dcrName'\).*parameters\('principalId'\).*3913510d/);
      expect(ra!.dependsOn).toEqual([
        "[resourceId('Microsoft.Insights/dataCollectionRules', parameters('dcrName'))]",
      ]);
      expect(ra!.properties).toEqual({
        roleDefinitionId:
          "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '3913510d-42f4-4e42-8a64-420c390055eb')]",
        principalId: "[parameters('principalId')]",
        principalType: 'ServicePrincipal',
      });
    }
  });

  it('outputs the values the exporter reads from SENTINEL_DCE_ENDPOINT and SENTINEL_DCR_IMMUTABLE_ID', () => {
    expect(t.outputs).toEqual({
      SENTINEL_DCE_ENDPOINT: {
        type: 'string',
        value:
          "[reference(resourceId('Microsoft.Insights/dataCollectionEndpoints', parameters('dceName')), '2022-06-01').logsIngestion.endpoint]",
      },
      SENTINEL_DCR_IMMUTABLE_ID: {
        type: 'string',
        value:
          "[reference(resourceId('Microsoft.Insights/dataCollectionRules', parameters('dcrName')), '2022-06-01').immutableId]",
      },
      SENTINEL_STREAM_NAMES: { type: 'array', value: ['Custom-AppAuthEvents', 'Custom-AppSecurityEvents'] },
    });
    // The fixture mapping reads exactly these variables.
    const mapping = readFileSync(join(FIXTURES, 'mappings', 'app-security.yaml'), 'utf8');
    expect(mapping).toContain('${SENTINEL_DCE_ENDPOINT');
    expect(mapping).toContain('${SENTINEL_DCR_IMMUTABLE_ID');
  });

  it('with direct, drops the DCE and deploys a kind: Direct DCR that has its own ingestion endpoint', () => {
    expect(ofType(d, 'Microsoft.Insights/dataCollectionEndpoints')).toEqual([]);
    expect(d.resources.map((r) => [r.type, r.apiVersion])).toEqual([
      ['Microsoft.OperationalInsights/workspaces/tables', '2025-07-01'],
      ['Microsoft.OperationalInsights/workspaces/tables', '2025-07-01'],
      ['Microsoft.Insights/dataCollectionRules', '2023-03-11'],
      ['Microsoft.Authorization/roleAssignments', '2022-04-01'],
      ['Microsoft.Insights/workbooks', '2023-06-01'],
      ['Microsoft.Insights/workbooks', '2023-06-01'],
    ]);
    const [dcr] = ofType(d, 'Microsoft.Insights/dataCollectionRules');
    expect(dcr!.kind).toBe('Direct');
    expect(dcr!.properties).not.toHaveProperty('dataCollectionEndpointId');
    expect(dcr!.dependsOn?.every((x) => x.includes('workspaces/tables'))).toBe(true);
    expect(direct.content).not.toContain('dataCollectionEndpoints');
    expect(d.outputs.SENTINEL_DCE_ENDPOINT?.value).toBe(
      "[reference(resourceId('Microsoft.Insights/dataCollectionRules', parameters('dcrName')), '2023-03-11').endpoints.logsIngestion]",
    );
    expect(d.outputs.SENTINEL_DCR_IMMUTABLE_ID?.value).toBe(
      "[reference(resourceId('Microsoft.Insights/dataCollectionRules', parameters('dcrName')), '2023-03-11').immutableId]",
    );
    expect(d.outputs.SENTINEL_STREAM_NAMES).toEqual(t.outputs.SENTINEL_STREAM_NAMES);
  });

  it('throws E_NO_STREAMS for a mapping without streams', () => {
    expect(() => generateArmTemplate({ ...config, streams: [] })).toThrow(ConnectorError);
    expect(() => generateArmTemplate({ ...config, streams: [] })).toThrow(OtelSentinelError);
    expect(() => generateArmTemplate({ ...config, streams: [] })).toThrow(
      expect.objectContaining({ code: 'E_NO_STREAMS', name: 'ConnectorError' }) as Error,
    );
  });
});
