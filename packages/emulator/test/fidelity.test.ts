// The running emulator over real HTTPS, as a client sees it: longs exact from the request body to
// the query API's JSON, TimeGenerated outside the service's window replaced, every value not
// stored as sent counted per column, tokens checked for their issuer, errors in Azure's shape.
// Expected values are written out by hand.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/emulator.js';
import { startEmulator } from '../src/emulator.js';
import { createTokenIssuer } from '../src/entra/token-issuer.js';
import type { Catalog, ColumnDef } from '../src/model.js';

const TENANT = '00000000-0000-4000-8000-00000000f001';
const WORKSPACE = '00000000-0000-4000-8000-00000000f002';
const CLIENT = '00000000-0000-4000-8000-00000000f003';
const SECRET = 'fidelity-test-secret';
const DCR = 'dcr-f0000000000000000000000000000001';
const STREAM = 'Custom-Fidelity';
const TABLE = 'Fidelity_CL';

const COLUMNS: readonly ColumnDef[] = [
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'Name', type: 'string' },
  { name: 'Small', type: 'int' },
  { name: 'Big', type: 'long' },
  { name: 'Bag', type: 'dynamic' },
];

const catalog: Catalog = {
  tenantId: TENANT,
  workspaceId: WORKSPACE,
  apps: [{ clientId: CLIENT, clientSecret: SECRET, displayName: 'fidelity' }],
  dcrs: new Map([
    [
      DCR,
      {
        immutableId: DCR,
        streams: new Map([[STREAM, COLUMNS]]),
        dataFlows: [{ stream: STREAM, transformKql: 'source', outputTable: TABLE }],
        allowedClients: new Set([CLIENT]),
      },
    ],
  ]),
  tables: new Map([[TABLE, { name: TABLE, columns: COLUMNS }]]),
};

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
}

let emulator: RunningEmulator;
let dataDir: string;

function call(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${emulator.origin}${path}`, { method, headers, ca: emulator.caCertPem }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(chunks).toString('utf8'),
        });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function token(scope: string): Promise<string> {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: CLIENT,
    client_secret: SECRET,
    scope,
  });
  const res = await call(
    'POST',
    `/${TENANT}/oauth2/v2.0/token`,
    { 'content-type': 'application/x-www-form-urlencoded' },
    form.toString(),
  );
  expect(res.status, res.text).toBe(200);
  return (JSON.parse(res.text) as { access_token: string }).access_token;
}

const INGEST = `/dataCollectionRules/${DCR}/streams/${STREAM}?api-version=2023-01-01`;

async function ingest(bearer: string, body: string): Promise<Answer> {
  return call(
    'POST',
    INGEST,
    { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
    body,
  );
}

async function query(bearer: string, kql: string): Promise<Answer> {
  return call(
    'POST',
    `/v1/workspaces/${WORKSPACE}/query`,
    { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
    JSON.stringify({ query: kql }),
  );
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'emulator-fidelity-'));
  emulator = await startEmulator({ catalog, dataDir, inMemory: true, port: 0 });
});

afterAll(async () => {
  await emulator.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('longs', () => {
  it('stores longs at ±(2^63−1), −2^63 and ±(2^53+1) exactly and answers them with their digits', async () => {
    const ingestion = await token('https://monitor.azure.com//.default');
    const now = new Date().toISOString();
    const body =
      '[' +
      [
        `{"TimeGenerated":"${now}","Name":"max","Big":9223372036854775807,"Bag":{"id":9223372036854775807}}`,
        `{"TimeGenerated":"${now}","Name":"min","Big":-9223372036854775808,"Bag":[-9223372036854775808]}`,
        `{"TimeGenerated":"${now}","Name":"minplus","Big":-9223372036854775807}`,
        `{"TimeGenerated":"${now}","Name":"above53","Big":9007199254740993}`,
        `{"TimeGenerated":"${now}","Name":"below53","Big":-9007199254740993}`,
        `{"TimeGenerated":"${now}","Name":"safe","Big":9007199254740991}`,
        `{"TimeGenerated":"${now}","Name":"over","Big":9223372036854775808}`,
        `{"TimeGenerated":"${now}","Name":"under","Big":-9223372036854775809}`,
      ].join(',') +
      ']';
    expect((await ingest(ingestion, body)).status).toBe(204);

    const res = await query(
      await token('https://api.loganalytics.io/.default'),
      `${TABLE} | project Name, Big, Bag`,
    );
    expect(res.status, res.text).toBe(200);
    // The raw JSON: a long is a number with all its digits; a dynamic cell is JSON text.
    expect(res.text).toContain('["max",9223372036854775807,"{\\"id\\":9223372036854775807}"]');
    expect(res.text).toContain('["min",-9223372036854775808,"[-9223372036854775808]"]');
    expect(res.text).toContain('["minplus",-9223372036854775807,null]');
    expect(res.text).toContain('["above53",9007199254740993,null]');
    expect(res.text).toContain('["below53",-9007199254740993,null]');
    expect(res.text).toContain('["safe",9007199254740991,null]');
    expect(res.text).toContain('["over",null,null]');
    expect(res.text).toContain('["under",null,null]');
  });

  it('compares and filters longs beyond 2^53 exactly in KQL', async () => {
    const res = await query(
      await token('https://api.loganalytics.io/.default'),
      `${TABLE} | where Big == 9007199254740993 or Big > 9223372036854775806 | project Name`,
    );
    expect(res.status, res.text).toBe(200);
    expect((JSON.parse(res.text) as { tables: { rows: unknown[][] }[] }).tables[0]?.rows).toEqual([
      ['max'],
      ['above53'],
    ]);
  });

  it('counts the longs out of the 64-bit range per column', () => {
    expect(emulator.valueCounts.list()).toContainEqual({
      table: STREAM,
      column: 'Big',
      reason: 'out-of-range',
      count: 2,
    });
  });
});

describe('TimeGenerated', () => {
  it('replaces one more than 2 days old or 1 day ahead with the time received, and counts it', async () => {
    const ingestion = await token('https://monitor.azure.com//.default');
    const received = Date.now();
    const hours = (h: number): string => new Date(received + h * 3_600_000).toISOString();
    const body = JSON.stringify([
      { TimeGenerated: hours(-49), Name: 'old' },
      { TimeGenerated: hours(-47), Name: 'recent' },
      { TimeGenerated: hours(23), Name: 'soon' },
      { TimeGenerated: hours(25), Name: 'future' },
    ]);
    expect((await ingest(ingestion, body)).status).toBe(204);
    const times = new Map(
      emulator
        .query(`${TABLE} | where Name in ('old', 'recent', 'soon', 'future') | project Name, TimeGenerated`)
        .rows.map(([name, t]) => [name, Date.parse(String(t))]),
    );
    const after = Date.now();
    for (const replaced of ['old', 'future']) {
      expect(times.get(replaced)).toBeGreaterThanOrEqual(received - 1);
      expect(times.get(replaced)).toBeLessThanOrEqual(after);
    }
    expect(times.get('recent')).toBe(Date.parse(hours(-47)));
    expect(times.get('soon')).toBe(Date.parse(hours(23)));
    expect(emulator.valueCounts.list()).toContainEqual({
      table: TABLE,
      column: 'TimeGenerated',
      reason: 'time-replaced',
      count: 2,
    });
  });
});

describe('GET /admin/value-counts', () => {
  it('lists what was nulled, converted or dropped, per table, column and reason', async () => {
    const ingestion = await token('https://monitor.azure.com//.default');
    const body = JSON.stringify([
      { Name: 'mistyped', Small: 'three', Password: 'hunter2' },
      { Name: 'wide', Small: 2147483648 },
      { Name: 'text', Small: '7' },
    ]);
    expect((await ingest(ingestion, body)).status).toBe(204);
    const res = await call('GET', '/admin/value-counts');
    expect(res.status).toBe(200);
    const counts = (JSON.parse(res.text) as { counts: unknown[] }).counts;
    expect(counts).toEqual(
      expect.arrayContaining([
        { table: STREAM, column: 'Small', reason: 'type-mismatch', count: 1 },
        { table: STREAM, column: 'Small', reason: 'out-of-range', count: 1 },
        { table: STREAM, column: 'Small', reason: 'converted', count: 1 },
        { table: STREAM, column: 'Password', reason: 'undeclared', count: 1 },
      ]),
    );
    expect(res.text).not.toContain('hunter2');
  });
});

describe('tokens and errors', () => {
  it("issues a token for <origin>/.default, the scope Python's LogsQueryClient derives, and the query API takes it", async () => {
    const res = await query(await token(`${emulator.origin}/.default`), `${TABLE} | count`);
    expect(res.status, res.text).toBe(200);
  });

  it('refuses a token signed with its key for another origin: its iss names another authority', async () => {
    const foreign = createTokenIssuer({
      tenantId: TENANT,
      issuerOrigin: 'https://127.0.0.1:1',
      secret: readFileSync(join(dataDir, 'token-key')),
    }).issue(CLIENT, 'https://monitor.azure.com/.default').token;
    const res = await ingest(foreign, '[]');
    expect(res.status).toBe(401);
    expect(JSON.parse(res.text)).toEqual({
      error: { code: 'AuthenticationFailed', message: expect.stringMatching(/not issued by this authority/) },
    });
    const denied = await query(foreign, `${TABLE} | count`);
    expect(denied.status).toBe(403);
    expect(JSON.parse(denied.text)).toMatchObject({ error: { code: 'InvalidAuthenticationToken' } });
  });

  it('answers a 401 from ingestion with a Bearer challenge naming the tenant authority', async () => {
    const res = await call('POST', INGEST, { 'content-type': 'application/json' }, '[]');
    expect(res.status).toBe(401);
    expect(res.headers['x-ms-error-code']).toBe('AuthenticationFailed');
    expect(res.headers['www-authenticate']).toBe(`Bearer authorization_uri="${emulator.origin}/${TENANT}"`);
    expect(JSON.parse(res.text)).toEqual({
      error: {
        code: 'AuthenticationFailed',
        message: "Authentication failed. The 'Authorization' header is missing.",
      },
    });
  });

  it("answers a GET on an ingestion path with 405 in the service's error shape", async () => {
    const res = await call('GET', INGEST);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('POST');
    expect(res.headers['x-ms-error-code']).toBe('MethodNotAllowed');
    expect(JSON.parse(res.text)).toEqual({
      error: {
        code: 'MethodNotAllowed',
        message: "The requested resource does not support http method 'GET'.",
      },
    });
  });
});
