// `otel-sentinel check --against live`: the built CLI reads the DCR and the table through the
// management API with @azure/arm-monitor and @azure/arm-operationalinsights and an
// @azure/identity credential, against the emulator over its TLS. Expected lines written by hand.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '@otel-sentinel/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_DIR } from './support/run-cli.js';
import type { CliResult } from './support/run-cli.js';
import { runCliAsync } from './support/run-cli-async.js';

const DEPLOYED = join(PACKAGE_DIR, '../emulator/test/fixtures/management/app-events.yaml');
const DCR = 'dcr-0123456789abcdef0123456789abcdef';

// What the app now sends: UserId as long, and a Country column the DCR never declared.
const MAPPING = `version: 1
endpoint: https://my-dce.westeurope-1.ingest.monitor.azure.com
dcrImmutableId: ${DCR}
streams:
  - stream: Custom-AppEvents
    table: AppEvents_CL
    transformKql: source | project-away Secret
    columns:
      TimeGenerated: { from: timestamp, type: datetime }
      UserId: { from: "attributes['user.id']", type: long }
      Status: { from: "attributes['http.status']", type: int }
      Country: { from: "attributes['geo']", type: string }
`;

let emulator: RunningEmulator;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'otel-sentinel-check-live-'));
  emulator = await startEmulator({
    mappings: [DEPLOYED],
    port: 0,
    inMemory: true,
    dataDir: dir,
    env: { SENTINEL_DCR_IMMUTABLE_ID: DCR },
  });
  writeFileSync(join(dir, 'mapping.yaml'), MAPPING);
});

afterAll(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

function runAsync(args: readonly string[], env: Record<string, string>): Promise<CliResult> {
  return runCliAsync(args, dir, env);
}

describe('check --against live', () => {
  it('reads the DCR and the table with the management clients and reports the drift at file:line:col', async () => {
    const e = emulator.env();
    const r = await runAsync(
      [
        'check',
        'mapping.yaml',
        '--against',
        'live',
        '--subscription',
        '00000000-0000-4000-8000-00000000e3a5',
        '--resource-group',
        'otel-sentinel-emulator',
        '--workspace',
        'otel-sentinel-emulator',
        '--dcr',
        DCR,
        '--management-endpoint',
        emulator.origin,
      ],
      {
        NODE_EXTRA_CA_CERTS: emulator.caPath,
        AZURE_AUTHORITY_HOST: e.AZURE_AUTHORITY_HOST ?? '',
        AZURE_TENANT_ID: e.AZURE_TENANT_ID ?? '',
        AZURE_CLIENT_ID: e.AZURE_CLIENT_ID ?? '',
        AZURE_CLIENT_SECRET: e.AZURE_CLIENT_SECRET ?? '',
      },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')).toEqual([
      `mapping.yaml:12:7: error: Country is not declared in stream Custom-AppEvents of DCR ${DCR}: the service drops the field as rows arrive, so every Country value is lost. ` +
        'Declare { "name": "Country", "type": "string" } in the stream (redeploy the DCR from this mapping), or remove the column (at streams[0].columns.Country)',
      `mapping.yaml:10:54: warning: UserId is sent as long but stream Custom-AppEvents of DCR ${DCR} declares it string: stored as text (the value written out; assumed), ` +
        "so queries must convert it back. Make the mapping's type and the declaration agree (at streams[0].columns.UserId.type)",
      `mapping.yaml:8:5: info: stream Custom-AppEvents of DCR ${DCR} declares Secret (string), which this mapping does not send: it is null in every row (at streams[0].columns)`,
      'mapping.yaml:8:5: info: table AppEvents_CL has Secret (string), which nothing from this mapping fills: it is null in these rows (at streams[0].columns)',
      'mapping.yaml (1 stream) against the live DCR and tables: 1 error, 1 warning, 2 notes; values would be lost',
      '',
    ]);
    expect(r.status).toBe(2);
  });

  it('says which DCR was not found, and exits 1', async () => {
    const e = emulator.env();
    const r = await runAsync(
      [
        'check',
        'mapping.yaml',
        '--against',
        'live',
        '--dcr-id',
        '/subscriptions/s/resourceGroups/otel-sentinel-emulator/providers/Microsoft.Insights/dataCollectionRules/dcr-ffffffffffffffffffffffffffffffff',
        '--workspace-id',
        '/subscriptions/s/resourceGroups/otel-sentinel-emulator/providers/Microsoft.OperationalInsights/workspaces/otel-sentinel-emulator',
        '--management-endpoint',
        emulator.origin,
      ],
      {
        NODE_EXTRA_CA_CERTS: emulator.caPath,
        AZURE_AUTHORITY_HOST: e.AZURE_AUTHORITY_HOST ?? '',
        AZURE_TENANT_ID: e.AZURE_TENANT_ID ?? '',
        AZURE_CLIENT_ID: e.AZURE_CLIENT_ID ?? '',
        AZURE_CLIENT_SECRET: e.AZURE_CLIENT_SECRET ?? '',
      },
    );
    expect(r.stderr).toBe(
      'otel-sentinel: DCR dcr-ffffffffffffffffffffffffffffffff (resource group otel-sentinel-emulator, subscription s) was not found: check the name, resource group and subscription\n',
    );
    expect(r.status).toBe(1);
  });
});
