// Azure's own Python clients (Debian's python3-azure) against the emulator: every column type
// uploaded with azure-monitor-ingestion and read back with azure-monitor-query, exactly. The
// expected cells are written out by hand, as Python prints them.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/emulator.js';
import { startEmulator } from '../src/emulator.js';
import type { Catalog, ColumnDef } from '../src/model.js';

/** Debian's interpreter, where python3-azure installs (a pyenv or venv python would not see it). */
const PYTHON = process.env.OTEL_SENTINEL_PYTHON ?? '/usr/bin/python3';
const SCRIPT = join(import.meta.dirname, 'python', 'round_trip.py');

const TENANT = '00000000-0000-4000-8000-00000000a001';
const WORKSPACE = '00000000-0000-4000-8000-00000000a002';
const CLIENT = '00000000-0000-4000-8000-00000000a003';
const SECRET = 'python-sdk-test-secret';
const DCR = 'dcr-a0000000000000000000000000000001';
const STREAM = 'Custom-PythonTypes';
const TABLE = 'PythonTypes_CL';

const STREAM_COLUMNS: readonly ColumnDef[] = [
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'Name', type: 'string' },
  { name: 'Long', type: 'long' },
  { name: 'Int', type: 'int' },
  { name: 'Real', type: 'real' },
  { name: 'Flag', type: 'boolean' },
  { name: 'When', type: 'datetime' },
  { name: 'Bag', type: 'dynamic' },
  { name: 'Id', type: 'string' },
  { name: 'Text', type: 'string' },
];
// Stream declarations have no guid; the table does.
const TABLE_COLUMNS: readonly ColumnDef[] = STREAM_COLUMNS.map((c) =>
  c.name === 'Id' ? { name: 'Id', type: 'guid' } : c,
);

const catalog: Catalog = {
  tenantId: TENANT,
  workspaceId: WORKSPACE,
  apps: [{ clientId: CLIENT, clientSecret: SECRET, displayName: 'python' }],
  dcrs: new Map([
    [
      DCR,
      {
        immutableId: DCR,
        streams: new Map([[STREAM, STREAM_COLUMNS]]),
        dataFlows: [{ stream: STREAM, transformKql: 'source', outputTable: TABLE }],
        allowedClients: new Set([CLIENT]),
      },
    ],
  ]),
  tables: new Map([[TABLE, { name: TABLE, columns: TABLE_COLUMNS }]]),
};

let emulator: RunningEmulator;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'emulator-python-'));
  emulator = await startEmulator({ catalog, dataDir, inMemory: true, port: 0 });
});

afterAll(async () => {
  await emulator.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Runs round_trip.py with `rows` (JSON text, so integers keep their digits) on stdin. */
async function roundTrip(rowsJson: string, kql: string): Promise<string[]> {
  const probe = spawnSync(
    PYTHON,
    ['-c', 'import azure.monitor.ingestion, azure.monitor.query, azure.identity'],
    { encoding: 'utf8' },
  );
  if (probe.status !== 0) {
    throw new Error(
      `Azure's Python SDK is missing for ${PYTHON}: install it with ` +
        '`apt-get install -y python3-azure` (.ci/run does), or point OTEL_SENTINEL_PYTHON at a python ' +
        `that has azure-monitor-ingestion, azure-monitor-query and azure-identity.\n${probe.stderr || String(probe.error)}`,
    );
  }
  // Not spawnSync: the emulator answers from this process's event loop.
  const run = await runPython(rowsJson, {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dataDir,
    // requests (under azure-core and MSAL) trusts the emulator's CA through this.
    REQUESTS_CA_BUNDLE: emulator.caPath,
    SSL_CERT_FILE: emulator.caPath,
    EMULATOR_ORIGIN: emulator.origin,
    AZURE_TENANT_ID: TENANT,
    AZURE_CLIENT_ID: CLIENT,
    AZURE_CLIENT_SECRET: SECRET,
    DCR_IMMUTABLE_ID: DCR,
    STREAM,
    WORKSPACE_ID: WORKSPACE,
    KQL: kql,
  });
  expect(run.status, `${run.stderr}\n${run.stdout}`).toBe(0);
  return run.stdout.split('\n').filter((line) => line !== '');
}

function runPython(
  input: string,
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [SCRIPT], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => {
      resolve({ status, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

describe("Azure's Python SDK through the emulator", () => {
  it('round-trips every column type exactly: longs at the 64-bit and 2^53 edges, dynamic with a big integer', async () => {
    // An hour ago, whole seconds, with 7 fractional digits: within the service's 2-day window.
    const at = new Date(Math.floor(Date.now() / 1000) * 1000 - 3_600_000).toISOString().slice(0, 19);
    const rowsJson = `[
      {"TimeGenerated": "${at}.1234567Z", "Name": "max", "Long": 9223372036854775807, "Int": 2147483647,
       "Real": 0.1, "Flag": true, "When": "${at}.1234567Z",
       "Bag": {"id": 9223372036854775807, "list": [-9007199254740993, 1.5, "\u00e9"]},
       "Id": "6f1c2b3a-1d2e-4f5a-8b9c-0d1e2f3a4b5c", "Text": "Gr\u00fc\u00dfe, \u6771\u4eac \ud83d\ude80"},
      {"TimeGenerated": "${at}Z", "Name": "min", "Long": -9223372036854775808, "Int": -2147483648,
       "Real": -1.5e300, "Flag": false, "When": "2000-01-01T00:00:00Z", "Bag": [], "Id": null, "Text": ""},
      {"TimeGenerated": "${at}Z", "Name": "minplus", "Long": -9223372036854775807},
      {"TimeGenerated": "${at}Z", "Name": "above53", "Long": 9007199254740993},
      {"TimeGenerated": "${at}Z", "Name": "below53", "Long": -9007199254740993},
      {"TimeGenerated": "${at}Z", "Name": "max53", "Long": 9007199254740991},
      {"TimeGenerated": "${at}Z", "Name": "min53", "Long": -9007199254740991}
    ]`;
    const lines = await roundTrip(
      rowsJson,
      `${TABLE} | project Name, Long, Int, Real, Flag, When, Bag, Id, Text | order by Name asc`,
    );
    const when = `${at}.123456+00:00`;
    expect(lines).toEqual([
      'above53 Long int 9007199254740993',
      'above53 Int NoneType None',
      'above53 Real NoneType None',
      'above53 Flag NoneType None',
      'above53 When NoneType None',
      'above53 Bag NoneType None',
      "above53 Id str 'None'",
      "above53 Text str ''",
      'below53 Long int -9007199254740993',
      'below53 Int NoneType None',
      'below53 Real NoneType None',
      'below53 Flag NoneType None',
      'below53 When NoneType None',
      'below53 Bag NoneType None',
      "below53 Id str 'None'",
      "below53 Text str ''",
      'max Long int 9223372036854775807',
      'max Int int 2147483647',
      'max Real float 0.1',
      'max Flag bool True',
      `max When datetime ${when}`,
      'max Bag str \'{"id":9223372036854775807,"list":[-9007199254740993,1.5,"é"]}\'',
      "max Id str '6f1c2b3a-1d2e-4f5a-8b9c-0d1e2f3a4b5c'",
      "max Text str 'Grüße, 東京 🚀'",
      'max53 Long int 9007199254740991',
      'max53 Int NoneType None',
      'max53 Real NoneType None',
      'max53 Flag NoneType None',
      'max53 When NoneType None',
      'max53 Bag NoneType None',
      "max53 Id str 'None'",
      "max53 Text str ''",
      'min Long int -9223372036854775808',
      'min Int int -2147483648',
      'min Real float -1.5e+300',
      'min Flag bool False',
      'min When datetime 2000-01-01T00:00:00+00:00',
      "min Bag str '[]'",
      // azure-monitor-query 1.1.0 turns every guid cell into str(value): null becomes 'None'.
      "min Id str 'None'",
      "min Text str ''",
      'min53 Long int -9007199254740991',
      'min53 Int NoneType None',
      'min53 Real NoneType None',
      'min53 Flag NoneType None',
      'min53 When NoneType None',
      'min53 Bag NoneType None',
      "min53 Id str 'None'",
      "min53 Text str ''",
      'minplus Long int -9223372036854775807',
      'minplus Int NoneType None',
      'minplus Real NoneType None',
      'minplus Flag NoneType None',
      'minplus When NoneType None',
      'minplus Bag NoneType None',
      "minplus Id str 'None'",
      "minplus Text str ''",
    ]);
  }, 180_000);
});
