// `otel-sentinel connector`: a solution package from a mapping that passes the CCF checklist, and
// `--check` naming the rule, file and fix for a broken folder.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_DIR, runCli, tempDir } from './support/run-cli.js';

const MAPPING = join(PACKAGE_DIR, '../../examples/mappings/app-security.yaml');
const FLAGS = [
  '--name',
  'Contoso Audit',
  '--publisher',
  'Contoso',
  '--publisher-id',
  'contoso',
  '--offer-id',
  'contoso-audit',
  '--solution-version',
  '1.0.0',
  '--description',
  'Security events',
  '--support-name',
  'SecOps',
  '--support-email',
  'secops@contoso.example',
  '--support-link',
  'https://contoso.example/support',
  '--support-tier',
  'Partner',
];

describe('connector', () => {
  it('writes a solution folder that passes --check, then --check names a broken rule with its fix', () => {
    const out = tempDir();
    const r = runCli(['connector', MAPPING, '--out', out, ...FLAGS]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Solutions/ContosoAudit/Data Connectors/ContosoAudit_ccf/DCR.json');
    const dir = join(out, 'Solutions/ContosoAudit');
    expect(runCli(['connector', '--check', dir]).status).toBe(0);

    const def = join(dir, 'Data Connectors/ContosoAudit_ccf/dataConnector.json');
    writeFileSync(
      def,
      readFileSync(def, 'utf8').replace(
        '"connectorDefinitionName": "ContosoAuditPush"',
        '"connectorDefinitionName": "Other"',
      ),
    );
    const bad = runCli(['connector', '--check', dir]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/dataConnector\.json: connector-definition-name: .*\n {2}fix: /);
  });

  it('says which solution values are missing and where to set them', () => {
    const r = runCli(['connector', MAPPING, '--out', tempDir()]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^otel-sentinel: .*solution\.name is missing/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses to overwrite an existing solution folder without --force', () => {
    const out = tempDir();
    expect(runCli(['connector', MAPPING, '--out', out, ...FLAGS]).status).toBe(0);
    const again = runCli(['connector', MAPPING, '--out', out, ...FLAGS]);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/exists; use --force/);
    expect(runCli(['connector', MAPPING, '--out', out, ...FLAGS, '--force']).status).toBe(0);
  });
});

describe('connector --arm', () => {
  it('also writes a deployment template whose outputs are the exporter variables', () => {
    const out = tempDir();
    const r = runCli(['connector', MAPPING, '--out', out, ...FLAGS, '--arm']);
    expect(r.status).toBe(0);
    const template = JSON.parse(readFileSync(join(out, 'deploy/azuredeploy.json'), 'utf8')) as {
      resources: { type: string }[];
      outputs: Record<string, unknown>;
    };
    expect(template.resources.map((x) => x.type)).toEqual(
      expect.arrayContaining([
        'Microsoft.OperationalInsights/workspaces/tables',
        'Microsoft.Insights/dataCollectionEndpoints',
        'Microsoft.Insights/dataCollectionRules',
        'Microsoft.Authorization/roleAssignments',
      ]),
    );
    expect(Object.keys(template.outputs)).toEqual(
      expect.arrayContaining(['SENTINEL_DCE_ENDPOINT', 'SENTINEL_DCR_IMMUTABLE_ID']),
    );
  });
});
