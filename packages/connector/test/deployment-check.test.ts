// deploymentCheck: the function an exporter runs at start-up, here in its files form; the live
// form runs against the emulator in test/e2e/deployment-check.test.ts. Findings written by hand.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMapping, OtelSentinelError, parseMapping } from '@otel-sentinel/mapping';
import type { MappingConfig } from '@otel-sentinel/mapping';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeploymentError, deploymentCheck } from '../src/index.js';

const MAPPING = `version: 1
endpoint: https://my-dce.westeurope-1.ingest.monitor.azure.com
dcrImmutableId: dcr-00112233445566778899aabbccddeeff
streams:
  - stream: Custom-AppEvents
    table: AppEvents_CL
    columns:
      TimeGenerated: { from: timestamp, type: datetime }
      UserId: { from: "attributes['user.id']", type: string }
`;

const TABLE = {
  type: 'Microsoft.OperationalInsights/workspaces/tables',
  name: 'ws/AppEvents_CL',
  properties: {
    schema: {
      name: 'AppEvents_CL',
      columns: [
        { name: 'TimeGenerated', type: 'datetime' },
        { name: 'UserId', type: 'long' },
      ],
    },
  },
};

const USER_ID_LOST =
  'UserId reaches table AppEvents_CL as string but the column is long: values that do not read as long are stored as null (assumed). ' +
  "Make the mapping's type and the table agree";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'deployment-check-'));
  writeFileSync(join(dir, 'mapping.yaml'), MAPPING);
  writeFileSync(join(dir, 'table.json'), JSON.stringify(TABLE));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('deploymentCheck against files', () => {
  it("gives each drift at the mapping file's line and column", async () => {
    const check = deploymentCheck({ against: ['table.json'], cwd: dir });
    const file = join(dir, 'mapping.yaml');
    const findings = await check(loadMapping(file, { env: {} }));
    expect(findings).toEqual([
      {
        severity: 'error',
        code: 'E_TABLE_TYPE',
        message: USER_ID_LOST,
        path: 'streams[0].columns.UserId.type',
        file,
        line: 9,
        column: 54,
      },
    ]);
  });

  it('gives line and column 0 for a mapping that came from no file', async () => {
    const parsed = parseMapping(MAPPING, { env: {} });
    const config = parsed.config as MappingConfig;
    const findings = await deploymentCheck({ against: ['table.json'], cwd: dir })(config);
    expect(findings.map((f) => [f.code, f.file, f.line, f.column])).toEqual([
      ['E_TABLE_TYPE', '<mapping>', 0, 0],
    ]);
  });

  it('rejects with a DeploymentError when the files cannot be read', async () => {
    const check = deploymentCheck({ against: ['missing.json'], cwd: dir });
    const error: unknown = await check(loadMapping(join(dir, 'mapping.yaml'), { env: {} })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DeploymentError);
    expect(error).toBeInstanceOf(OtelSentinelError);
    expect(error).toMatchObject({
      code: 'E_DEPLOYMENT',
      path: 'missing.json',
      message: 'missing.json: cannot read it (no such file or folder)',
    });
  });
});

describe('deploymentCheck options', () => {
  it('throws at once, naming what the live form lacks', () => {
    expect(() =>
      deploymentCheck({
        against: 'live',
        dcr: { subscriptionId: 's', resourceGroup: 'rg', name: '' },
        workspace: { subscriptionId: 's', resourceGroup: 'rg', name: 'ws' },
        credential: { getToken: () => Promise.resolve(null) },
      }),
    ).toThrow(new DeploymentError("dcr: against 'live' needs dcr.name"));
  });

  it('throws at once for no files to compare with', () => {
    expect(() => deploymentCheck({ against: [] })).toThrow(DeploymentError);
  });
});
