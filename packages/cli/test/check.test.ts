// `otel-sentinel check <mapping> --against <files>`: each drift kind printed at the mapping's
// file:line:col, and the exit status. The deployed JSON and the expected lines are written by hand.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/run-cli.js';

// Line 10 holds UserId (name at column 7, its type at column 54); line 11 holds Status.
const MAPPING = `version: 1
endpoint: https://my-dce.westeurope-1.ingest.monitor.azure.com
dcrImmutableId: dcr-00112233445566778899aabbccddeeff
streams:
  - stream: Custom-AppEvents
    table: AppEvents_CL
    columns:
      TimeGenerated: { from: timestamp, type: datetime }
      EventName: { from: eventName, type: string }
      UserId: { from: "attributes['user.id']", type: string }
      Status: { from: "attributes['http.status']", type: int }
`;

type Col = { name: string; type: string };
const COLUMNS: Col[] = [
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'EventName', type: 'string' },
  { name: 'UserId', type: 'string' },
  { name: 'Status', type: 'int' },
];

function dcrJson(columns: Col[] = COLUMNS, transformKql = 'source'): unknown {
  return {
    type: 'Microsoft.Insights/dataCollectionRules',
    apiVersion: '2023-03-11',
    name: 'app-dcr',
    location: 'westeurope',
    properties: {
      streamDeclarations: { 'Custom-AppEvents': { columns } },
      destinations: { logAnalytics: [{ workspaceResourceId: '/subscriptions/x', name: 'ws' }] },
      dataFlows: [
        {
          streams: ['Custom-AppEvents'],
          destinations: ['ws'],
          transformKql,
          outputStream: 'Custom-AppEvents_CL',
        },
      ],
    },
  };
}

function tableJson(columns: Col[] = COLUMNS): unknown {
  return {
    type: 'Microsoft.OperationalInsights/workspaces/tables',
    apiVersion: '2022-10-01',
    name: 'AppEvents_CL',
    properties: { schema: { name: 'AppEvents_CL', columns } },
  };
}

/** Writes the mapping, DCR.json and table.json in a fresh folder and runs check there. */
function check(dcr: unknown, table: unknown, ...extra: string[]): ReturnType<typeof runCli> {
  const dir = tempDir();
  writeFileSync(join(dir, 'mapping.yaml'), MAPPING);
  writeFileSync(join(dir, 'DCR.json'), JSON.stringify(dcr));
  writeFileSync(join(dir, 'table.json'), JSON.stringify(table));
  return runCli(['check', 'mapping.yaml', '--against', 'DCR.json', 'table.json', ...extra], {
    cwd: dir,
    timeoutMs: 120_000, // the KQL analyzer loads in each spawn: up to 12 s at load 10
  });
}

const without = (name: string): Col[] => COLUMNS.filter((c) => c.name !== name);
const retyped = (name: string, type: string): Col[] =>
  COLUMNS.map((c) => (c.name === name ? { name, type } : c));

describe('check', () => {
  it('exits 0 and says so when the DCR and the table match the mapping', () => {
    const r = check(dcrJson(), tableJson());
    expect(r.stdout).toBe(
      'mapping.yaml (1 stream) against DCR.json, table.json: no drift; no values would be lost\n',
    );
    expect(r.status).toBe(0);
  });

  it('reports a column the stream does not declare at the column, and exits 2', () => {
    const r = check(dcrJson(without('UserId')), tableJson());
    expect(r.stdout.split('\n')[0]).toBe(
      'mapping.yaml:10:7: error: UserId is not declared in stream Custom-AppEvents of DCR app-dcr: the service drops the field as rows arrive, ' +
        'so every UserId value is lost. Declare { "name": "UserId", "type": "string" } in the stream (redeploy the DCR from this mapping), ' +
        'or remove the column (at streams[0].columns.UserId)',
    );
    expect(r.stdout).toContain('1 error, 1 note; values would be lost');
    expect(r.status).toBe(2);
  });

  it('reports a table column the mapping does not fill as a note, and exits 0', () => {
    const r = check(dcrJson(), tableJson([...COLUMNS, { name: 'Country', type: 'string' }]));
    expect(r.stdout).toBe(
      'mapping.yaml:7:5: info: table AppEvents_CL has Country (string), which nothing from this mapping fills: it is null in these rows (at streams[0].columns)\n' +
        'mapping.yaml (1 stream) against DCR.json, table.json: 1 note; no values would be lost\n',
    );
    expect(r.status).toBe(0);
  });

  it('reports a string column that is long in the table at its type, as values nulled', () => {
    const r = check(dcrJson(), tableJson(retyped('UserId', 'long')));
    expect(r.stdout.split('\n')[0]).toBe(
      "mapping.yaml:10:54: error: UserId reaches table AppEvents_CL as string but the column is long: values that do not read as long are stored as null (assumed). Make the mapping's type and the table agree (at streams[0].columns.UserId.type)",
    );
    expect(r.status).toBe(2);
  });

  it('reports a column the table lacks as dropped at ingestion', () => {
    const r = check(dcrJson(), tableJson(without('Status')));
    expect(r.stdout.split('\n')[0]).toBe(
      'mapping.yaml:11:7: error: table AppEvents_CL has no column Status: the service drops it at ingestion, so every Status value is lost. ' +
        'Add Status (int) to the table (redeploy it from this mapping), or remove the column (at streams[0].columns.Status)',
    );
    expect(r.status).toBe(2);
  });

  it("reports a column the DCR's transform projects away, read with Microsoft's KQL analyzer", () => {
    const r = check(dcrJson(COLUMNS, 'source | project-away Status'), tableJson());
    expect(r.stdout).toContain(
      'mapping.yaml:11:7: error: the transform of Custom-AppEvents in DCR app-dcr drops Status: every Status value is lost before the table.',
    );
    expect(r.stdout).toContain(
      'mapping.yaml:5:13: warning: the transform of Custom-AppEvents in DCR app-dcr is not the mapping\'s (source): it is "source | project-away Status"',
    );
    expect(r.status).toBe(2);
  });

  it('follows a rename by the transform into a table column as a warning; --strict makes it fail', () => {
    const kql = 'source | project-rename ActorId = UserId';
    const table = tableJson([...COLUMNS, { name: 'ActorId', type: 'string' }]);
    const r = check(dcrJson(COLUMNS, kql), table);
    expect(r.stdout).toContain(
      'mapping.yaml:10:7: warning: the transform of Custom-AppEvents in DCR app-dcr reads UserId but does not output it: its values go into ActorId',
    );
    expect(r.status).toBe(0);
    expect(check(dcrJson(COLUMNS, kql), table, '--strict').status).toBe(2);
  });

  it('prints the findings as JSON with --json', () => {
    const r = check(dcrJson(without('UserId')), tableJson(), '--json');
    const report = JSON.parse(r.stdout) as {
      dataLoss: boolean;
      findings: { code: string; line: number; column: number }[];
    };
    expect(report.dataLoss).toBe(true);
    expect(report.findings.map((f) => `${f.code} ${f.line}:${f.column}`)).toEqual([
      'E_NOT_IN_STREAM 10:7',
      'I_EXTRA_IN_TABLE 7:5',
    ]);
    expect(r.status).toBe(2);
  });

  it('exits 1 naming what is missing for --against live, and for a file with no DCR or table', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'mapping.yaml'), MAPPING);
    writeFileSync(join(dir, 'other.json'), '{"type":"Microsoft.Web/sites"}');
    const live = runCli(['check', 'mapping.yaml', '--against', 'live', '--resource-group', 'rg'], {
      cwd: dir,
    });
    expect(live.stderr).toBe(
      'otel-sentinel: --against live needs --dcr-id, or --subscription (or AZURE_SUBSCRIPTION_ID) and --dcr\n',
    );
    expect(live.status).toBe(1);
    const other = runCli(['check', 'mapping.yaml', '--against', 'other.json'], { cwd: dir });
    expect(other.stderr).toMatch(/^otel-sentinel: other\.json holds no DCR .* and no table/);
    expect(other.status).toBe(1);
  });
});
