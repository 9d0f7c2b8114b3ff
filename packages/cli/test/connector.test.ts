// `otel-sentinel connector`: a solution package from a mapping that passes the CCF checklist, and
// `--check` naming the rule, file and fix for a broken folder.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, PACKAGE_DIR, runCli, tempDir } from './support/run-cli.js';

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

  it('says which solution values are missing, one per line, each with its mapping key and flag', () => {
    const r = runCli(['connector', MAPPING, '--out', tempDir(), '--publisher', 'Contoso']);
    expect(r.status).toBe(1);
    const m = MAPPING;
    expect(r.stderr.split('\n')).toEqual([
      `${m}: solution.name is missing: add it to the file or pass --name <name>`,
      `${m}: solution.publisherId is missing: add it to the file or pass --publisher-id <id>`,
      `${m}: solution.offerId is missing: add it to the file or pass --offer-id <id>`,
      `${m}: solution.version is missing: add it to the file or pass --solution-version <semver>`,
      `${m}: solution.description is missing: add it to the file or pass --description <text>`,
      `${m}: solution.support.name is missing: add it to the file or pass --support-name <name>`,
      `${m}: solution.support.email is missing: add it to the file or pass --support-email <email>`,
      `${m}: solution.support.link is missing: add it to the file or pass --support-link <url>`,
      `${m}: solution.support.tier is missing: add it to the file or pass --support-tier <tier>`,
      '9 solution values to fix: the connector package needs them (otel-sentinel init writes a solution: section to fill in)',
      '',
    ]);
  });

  it('names an invalid value with its flag, whether it came from the file or the flag', () => {
    const r = runCli(['connector', MAPPING, '--out', tempDir(), ...FLAGS, '--publisher-id', 'Contoso']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `${MAPPING}: solution.publisherId "Contoso" is invalid: it must match ^[a-z][a-z0-9]*$ (lower-case letters and digits, e.g. "contoso") (fix it in the file or with --publisher-id <id>)\n` +
        '1 solution value to fix: the connector package needs them (otel-sentinel init writes a solution: section to fill in)\n',
    );
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

describe('connector and the mapping', () => {
  const APP_MAPPING = join(PACKAGE_DIR, '../../examples/audit-app/mapping/security-mapping.yaml');

  it('runs before the DCE and DCR exist: their unset variables are not errors here', () => {
    // The example app's mapping reads both without defaults; the exporter refuses to start so.
    const out = tempDir();
    const r = runCli(['connector', APP_MAPPING, '--out', out]);
    expect(r.stderr).not.toMatch(/SENTINEL_DCE_ENDPOINT|SENTINEL_DCR_IMMUTABLE_ID/);
    expect(r.status).toBe(0);
    expect(runCli(['connector', '--check', join(out, 'Solutions/ContosoAudit')]).status).toBe(0);
  });

  function withTransform(kql: string): string {
    const dir = tempDir();
    const file = join(dir, 'mapping.yaml');
    writeFileSync(
      file,
      readFileSync(MAPPING, 'utf8').replace(
        '    table: AppAuthEvents_CL\n',
        `    table: AppAuthEvents_CL\n    transformKql: ${JSON.stringify(kql)}\n`,
      ),
    );
    return file;
  }

  it('writes a checked custom transform into the DCR', () => {
    const out = tempDir();
    const kql = 'source | where EventSeverity != "DEBUG"';
    const r = runCli(['connector', withTransform(kql), '--out', out, ...FLAGS]);
    expect(r.stderr).not.toContain('error');
    expect(r.status).toBe(0);
    const dcr = JSON.parse(
      readFileSync(join(out, 'Solutions/ContosoAudit/Data Connectors/ContosoAudit_ccf/DCR.json'), 'utf8'),
    ) as { properties: { dataFlows: { transformKql: string }[] } };
    expect(dcr.properties.dataFlows[0]?.transformKql).toBe(kql);
  });

  it('refuses a transform whose output does not fit the table, at its file:line:col', () => {
    const file = withTransform('source | extend Extra = 1');
    const r = runCli(['connector', file, '--out', tempDir(), ...FLAGS]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/mapping\.yaml:\d+:\d+: error: .*Extra.*\(at streams\[0\]\.transformKql\)/);
  });

  it('--check runs the KQL check on a data flow transform of any package', () => {
    const out = tempDir();
    expect(runCli(['connector', MAPPING, '--out', out, ...FLAGS]).status).toBe(0);
    const dcrFile = join(out, 'Solutions/ContosoAudit/Data Connectors/ContosoAudit_ccf/DCR.json');
    writeFileSync(
      dcrFile,
      readFileSync(dcrFile, 'utf8').replace(
        '"transformKql": "source"',
        '"transformKql": "source | summarize count() by EventName"',
      ),
    );
    const bad = runCli(['connector', '--check', join(out, 'Solutions/ContosoAudit')]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/DCR\.json: transform: Custom-AppAuthEvents: .*summarize/);
  });
});

describe('connector on the owasp preset', () => {
  it("ships the preset's detections as Analytic Rules aimed at this solution's connector", () => {
    const dir = tempDir();
    const file = join(dir, 'mapping.yaml');
    writeFileSync(
      file,
      [
        'version: 1',
        'extends: owasp',
        'endpoint: ${SENTINEL_DCE_ENDPOINT}',
        'dcrImmutableId: ${SENTINEL_DCR_IMMUTABLE_ID}',
        '',
      ].join('\n'),
    );
    const out = tempDir();
    const r = runCli(['connector', file, '--out', out, ...FLAGS]);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.status).toBe(0);
    const root = join(out, 'Solutions/ContosoAudit');
    const solution = JSON.parse(readFileSync(join(root, 'Data/Solution_ContosoAudit.json'), 'utf8')) as {
      'Analytic Rules'?: string[];
    };
    const rules = solution['Analytic Rules'] ?? [];
    expect(rules.length).toBeGreaterThanOrEqual(10);
    expect(rules).toContain('Analytic Rules/brute-force-by-user.yaml');
    const rule = readFileSync(join(root, 'Analytic Rules/brute-force-by-user.yaml'), 'utf8');
    expect(rule).toContain('connectorId: ContosoAuditPush');
    expect(rule).toContain('OwaspSecurityEvents_CL');
    expect(runCli(['connector', '--check', root]).status).toBe(0);
  });
});

describe('connector with an ASIM declaration', () => {
  const mapping = join(FIXTURES, 'mappings', 'asim-auth.yaml');
  const PARSERS = 'Solutions/ContosoAudit/Parsers';

  it('writes the ASIM parsers, lists them and passes --check, queries included', () => {
    const out = tempDir();
    const r = runCli(['connector', mapping, '--out', out, ...FLAGS]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`wrote ${join(out, PARSERS, 'vimAuthenticationContosoShop.yaml')}`);
    expect(r.stdout).toContain(`wrote ${join(out, PARSERS, 'ASimAuthenticationContosoShop.yaml')}`);
    expect(r.stdout).not.toContain('Custom.yaml');
    expect(r.stderr).not.toContain('--asim-custom-unifiers');
    expect(runCli(['connector', '--check', join(out, 'Solutions/ContosoAudit')]).status).toBe(0);
  });

  it('writes the custom unifiers only with --asim-custom-unifiers, and warns that they replace the workspace own', () => {
    const out = tempDir();
    const r = runCli(['connector', mapping, '--out', out, '--arm', '--asim-custom-unifiers', ...FLAGS]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`wrote ${join(out, PARSERS, 'Im_AuthenticationCustom.yaml')}`);
    expect(r.stdout).toContain(`wrote ${join(out, PARSERS, 'ASim_AuthenticationCustom.yaml')}`);
    expect(r.stderr).toContain(
      'otel-sentinel: warning: --asim-custom-unifiers: the package deploys Im_<Schema>Custom and ASim_<Schema>Custom, which REPLACE any functions of those names in the workspace',
    );
    const arm = readFileSync(join(out, 'deploy/azuredeploy.json'), 'utf8');
    expect(arm).toContain('"functionAlias": "Im_AuthenticationCustom"');
  });

  it('--check names a parser without a mandatory field, with the analyzer', () => {
    const out = tempDir();
    expect(runCli(['connector', mapping, '--out', out, ...FLAGS]).status).toBe(0);
    const file = join(out, PARSERS, 'ASimAuthenticationContosoShop.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').split("EventVendor = 'Contoso',").join(''));
    const bad = runCli(['connector', '--check', join(out, 'Solutions/ContosoAudit')]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain(
      'Parsers/ASimAuthenticationContosoShop.yaml: parser-fields: ASimAuthenticationContosoShop: the output has no EventVendor (string), a Mandatory field of Authentication\n  fix: ',
    );
  });
});
