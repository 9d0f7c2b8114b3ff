// The emulator started from DCR and table JSON, driven by the real Azure SDK clients over TLS:
// it logs the immutable id of each DCR, takes rows through the DCR's transform, and stores them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogsIngestionClient } from '@azure/monitor-ingestion';
import { afterEach, describe, expect, it } from 'vitest';
import { credentialFor } from './support/credential.js';
import { DEFAULT_DCR_IMMUTABLE_ID } from '../src/catalog/demo-identity.js';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../src/emulator.js';

const CCF = join(
  import.meta.dirname,
  'fixtures/definitions/solution/Solutions/Acme/Data Connectors/Acme_ccf',
);
const SEVERAL = join(import.meta.dirname, 'fixtures/definitions/several-dcrs');
const AUDIT_APP = join(import.meta.dirname, 'fixtures/mappings/two-tables.yaml');

const running: { emulator: RunningEmulator; dataDir: string }[] = [];
afterEach(async () => {
  for (const { emulator, dataDir } of running.splice(0)) {
    await emulator.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

async function start(options: EmulatorOptions): Promise<RunningEmulator> {
  const dataDir = mkdtempSync(join(tmpdir(), 'emulator-definitions-'));
  const emulator = await startEmulator({ port: 0, inMemory: true, dataDir, env: {}, ...options });
  running.push({ emulator, dataDir });
  return emulator;
}

function ingestionClient(e: RunningEmulator): LogsIngestionClient {
  const tlsOptions = { ca: e.caCertPem };
  const credential = credentialFor(e);
  return new LogsIngestionClient(e.origin, credential, { tlsOptions });
}

describe('startEmulator with definitions', () => {
  it('logs each DCR with its file, immutable id and streams', async () => {
    const log: string[] = [];
    await start({ definitions: [CCF], log: (line) => log.push(line) });
    expect(log).toContain(
      `DCR AcmePushDCR (${join(CCF, 'DCR.json')}) → ${DEFAULT_DCR_IMMUTABLE_ID} ` +
        '(the default; set SENTINEL_DCR_IMMUTABLE_ID to choose another), ' +
        'streams Custom-AcmeAuth → AcmeAuth_CL, Custom-AcmeAudit → AcmeAudit_CL',
    );
  });

  it('takes rows from the real LogsIngestionClient through the DCR transform into the table', async () => {
    const e = await start({
      definitions: [CCF],
      env: { SENTINEL_DCR_IMMUTABLE_ID: 'dcr-0123456789abcdef0123456789abcdef' },
    });
    expect(e.env().SENTINEL_DCR_IMMUTABLE_ID).toBe('dcr-0123456789abcdef0123456789abcdef');
    const client = ingestionClient(e);
    // An hour ago, in whole seconds: within the 2 days the service keeps a TimeGenerated as sent.
    const at = new Date(Math.floor(Date.now() / 1000) * 1000 - 3_600_000).toISOString().slice(0, 19);
    await client.upload('dcr-0123456789abcdef0123456789abcdef', 'Custom-AcmeAudit', [
      { Time: `${at}Z`, Action: 'login', Debug: false },
      { Time: `${at}Z`, Action: 'noise', Debug: true },
    ]);
    await client.upload('dcr-0123456789abcdef0123456789abcdef', 'Custom-AcmeAuth', [
      {
        TimeGenerated: '2026-11-23T08:00:02Z',
        EventName: 'authn_login_fail',
        UserId: 'alice',
        RequestId: '2f1c7b7e-6a53-4c1e-9d0b-3f3c2a1b0e9d',
        StatusCode: 401,
      },
    ]);
    expect(e.query('AcmeAudit_CL | project TimeGenerated, Action').rows).toEqual([
      [`${at}.0000000Z`, 'login'],
    ]);
    expect(e.query('AcmeAuth_CL | project UserId, RequestId, StatusCode').rows).toEqual([
      ['alice', '2f1c7b7e-6a53-4c1e-9d0b-3f3c2a1b0e9d', 401],
    ]);
  });

  it('serves several DCRs, each under the id it logs', async () => {
    const log: string[] = [];
    const e = await start({
      definitions: [SEVERAL],
      dcrImmutableIds: { SouthDCR: 'dcr-5050505050505050505050505050505a' },
      log: (line) => log.push(line),
    });
    expect(log).toContainEqual(
      expect.stringMatching(
        /^DCR SouthDCR \(.*south-dcr\.json\) → dcr-5050505050505050505050505050505a \(set by dcrImmutableIds\)/,
      ),
    );
    await ingestionClient(e).upload('dcr-5050505050505050505050505050505a', 'Custom-SouthEvents', [
      { TimeGenerated: '2026-11-23T09:00:00Z', Message: 'from the south' },
    ]);
    expect(e.query('SouthEvents_CL | project Message').rows).toEqual([['from the south']]);
  });

  it('serves mappings and definitions together', async () => {
    const log: string[] = [];
    const e = await start({ mappings: [AUDIT_APP], definitions: [CCF], log: (line) => log.push(line) });
    expect([...e.catalog.tables.keys()].sort()).toEqual([
      'AcmeAudit_CL',
      'AcmeAuth_CL',
      'ContosoAuditEvents_CL',
      'ContosoAuthEvents_CL',
    ]);
    expect(log.filter((line) => line.startsWith('DCR '))).toHaveLength(2);
  });

  it('does not start with definitions it cannot serve', async () => {
    await expect(start({ definitions: [join(CCF, 'DCR.json')] })).rejects.toMatchObject({
      code: 'E_DEFINITIONS',
      message: expect.stringMatching(/add its table JSON to the definitions/),
    });
  });
});
