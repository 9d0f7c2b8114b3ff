// The management reads the emulator serves, driven by Microsoft's own clients over its TLS:
// @azure/arm-monitor's DataCollectionRules get and @azure/arm-operationalinsights' Tables get,
// with a token from @azure/identity for the emulator's `<origin>/.default`.
import { mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MonitorClient } from '@azure/arm-monitor';
import { OperationalInsightsManagementClient } from '@azure/arm-operationalinsights';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialFor } from './support/credential.js';
import { startEmulator, type RunningEmulator } from '../src/emulator.js';

const MAPPING = join(import.meta.dirname, 'fixtures/management/app-events.yaml');
const DCR = 'dcr-0123456789abcdef0123456789abcdef';
const SUBSCRIPTION = '00000000-0000-4000-8000-00000000e3a5';
const GROUP = 'otel-sentinel-emulator';
const WORKSPACE = 'otel-sentinel-emulator';

let emulator: RunningEmulator;
let dataDir: string;
let monitor: MonitorClient;
let insights: OperationalInsightsManagementClient;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'emulator-management-'));
  emulator = await startEmulator({
    mappings: [MAPPING],
    port: 0,
    inMemory: true,
    dataDir,
    env: { SENTINEL_DCR_IMMUTABLE_ID: DCR },
  });
  const tlsOptions = { ca: emulator.caCertPem };
  const credential = credentialFor(emulator);
  // As for a sovereign cloud: the management endpoint, and its own `/.default` scope.
  const options = {
    endpoint: emulator.origin,
    credentials: { scopes: [`${emulator.origin}/.default`] },
    tlsOptions,
  };
  monitor = new MonitorClient(credential, SUBSCRIPTION, options);
  insights = new OperationalInsightsManagementClient(credential, SUBSCRIPTION, options);
});

afterAll(async () => {
  await emulator.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('management API', () => {
  it('returns a DCR, named by its immutable id, with its stream declaration and data flow', async () => {
    const dcr = await monitor.dataCollectionRules.get(GROUP, DCR);
    expect(dcr.id).toBe(
      `/subscriptions/${SUBSCRIPTION}/resourceGroups/${GROUP}/providers/Microsoft.Insights/dataCollectionRules/${DCR}`,
    );
    expect(dcr.immutableId).toBe(DCR);
    expect(dcr.streamDeclarations).toEqual({
      'Custom-AppEvents': {
        columns: [
          { name: 'TimeGenerated', type: 'datetime' },
          { name: 'UserId', type: 'string' },
          { name: 'Status', type: 'int' },
          { name: 'Secret', type: 'string' },
        ],
      },
    });
    expect(dcr.dataFlows).toEqual([
      {
        streams: ['Custom-AppEvents'],
        destinations: ['workspace'],
        transformKql: 'source | project-away Secret',
        outputStream: 'Custom-AppEvents_CL',
      },
    ]);
  });

  it('returns a table with its columns, datetime written dateTime as the Tables API does', async () => {
    const table = await insights.tables.get(GROUP, WORKSPACE, 'AppEvents_CL');
    expect(table.name).toBe('AppEvents_CL');
    expect(table.schema?.tableSubType).toBe('DataCollectionRuleBased');
    expect(table.schema?.columns?.map((c) => `${c.name}:${c.type}`)).toEqual([
      'TimeGenerated:dateTime',
      'UserId:string',
      'Status:int',
      'Secret:string',
    ]);
  });

  it('answers 404 ResourceNotFound for a DCR or a table it does not host', async () => {
    await expect(
      monitor.dataCollectionRules.get(GROUP, 'dcr-ffffffffffffffffffffffffffffffff'),
    ).rejects.toMatchObject({
      statusCode: 404,
      code: 'ResourceNotFound',
    });
    await expect(insights.tables.get(GROUP, WORKSPACE, 'Other_CL')).rejects.toMatchObject({
      statusCode: 404,
      code: 'ResourceNotFound',
    });
  });

  it('answers 401 to a request without a token, in ARM error shape', async () => {
    const path = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${GROUP}/providers/Microsoft.Insights/dataCollectionRules/${DCR}?api-version=2024-03-11`;
    const { status, body } = await new Promise<{ status: number | undefined; body: string }>(
      (resolve, reject) => {
        get(`${emulator.origin}${path}`, { ca: emulator.caCertPem }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => {
            resolve({ status: res.statusCode, body: text });
          });
        }).on('error', reject);
      },
    );
    expect(status).toBe(401);
    expect(JSON.parse(body)).toEqual({
      error: {
        code: 'InvalidAuthenticationToken',
        message: "The 'Authorization' header is missing or is not a Bearer token.",
      },
    });
  });
});
