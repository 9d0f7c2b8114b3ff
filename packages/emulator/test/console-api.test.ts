import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { QuerySource } from '@otel-sentinel/kql';
import { consoleRoutes } from '../src/console/console-routes.js';
import { installedRoots } from '../src/console/static-files.js';
import { startEmulator, type RunningEmulator } from '../src/index.js';
import { consoleGet } from './support/console-get.js';
import type { ColumnDef, Row } from '../src/model.js';

const NOW = new Date('2026-11-23T12:00:00.000Z');
const ORIGIN = 'https://127.0.0.1:4555';
const HOST = '127.0.0.1:4555';

const COLUMNS: ColumnDef[] = [
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'UserId', type: 'string' },
  { name: 'Failed', type: 'boolean' },
];

/** The same columns as KQL names their types (the store's `boolean` is KQL's `bool`). */
const KQL_COLUMNS = [
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'UserId', type: 'string' },
  { name: 'Failed', type: 'bool' },
];

const ROWS: Row[] = [
  { TimeGenerated: '2026-11-23T11:10:00.000Z', UserId: 'alice', Failed: true },
  { TimeGenerated: '2026-11-23T11:40:00.000Z', UserId: 'alice', Failed: true },
  { TimeGenerated: '2026-11-23T09:05:00.000Z', UserId: 'bob', Failed: false },
];

const source: QuerySource = {
  tables: () => ['AppSecurityEvents_CL'],
  columns: (table) => (table === 'AppSecurityEvents_CL' ? COLUMNS : undefined),
  scan: (table) => (table === 'AppSecurityEvents_CL' ? ROWS : []),
  functions: () => [
    {
      name: 'FailedLogins',
      parameters: "starttime:datetime=datetime(null), user:string='*', T:(UserId:string)",
      body: 'AppSecurityEvents_CL | where Failed',
    },
  ],
};

let uiRoot: string;
let app: FastifyInstance;

beforeAll(() => {
  uiRoot = mkdtempSync(join(tmpdir(), 'console-ui-'));
  writeFileSync(join(uiRoot, 'index.html'), '<!doctype html><title>console</title>');
  mkdirSync(join(uiRoot, 'tabs'));
  writeFileSync(join(uiRoot, 'tabs', 'query.js'), 'export function mount() {}');
  writeFileSync(join(tmpdir(), 'console-secret.js'), 'not for the console');
});

afterAll(() => {
  rmSync(uiRoot, { recursive: true, force: true });
});

beforeEach(() => {
  app = Fastify();
  consoleRoutes(app, {
    enabled: true,
    source,
    count: () => ROWS.length,
    workspaceId: 'ws-1',
    origin: () => ORIGIN,
    now: () => NOW,
    roots: { ...installedRoots(), ui: uiRoot },
  });
});

afterEach(async () => {
  await app.close();
});

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await app.inject({
    method: 'POST',
    url,
    headers: { host: HOST, 'content-type': 'application/json', ...headers },
    payload: JSON.stringify(body),
  });
  return { status: response.statusCode, body: response.json<Record<string, unknown>>() };
}

async function get(url: string, headers: Record<string, string> = {}) {
  return app.inject({ method: 'GET', url, headers: { host: HOST, ...headers } });
}

describe('the console query API', () => {
  it('answers columns with their KQL types and the rows', async () => {
    const { status, body } = await post('/console/api/query', {
      query: 'AppSecurityEvents_CL | where UserId == "alice" | project UserId, Failed',
    });
    expect(status).toBe(200);
    expect(body['columns']).toEqual([
      { name: 'UserId', type: 'string' },
      { name: 'Failed', type: 'bool' },
    ]);
    expect(body['rows']).toEqual([
      ['alice', true],
      ['alice', true],
    ]);
    expect(body['visualization']).toBeUndefined();
  });

  it('cuts the tables to the timespan before the query runs', async () => {
    const { body } = await post('/console/api/query', {
      query: 'AppSecurityEvents_CL | project UserId',
      timespan: 'PT2H',
    });
    expect(body['rows']).toEqual([['alice'], ['alice']]);
  });

  it('gives a summarize by bin(TimeGenerated) a time chart with the other key as series', async () => {
    const { body } = await post('/console/api/query', {
      query: 'AppSecurityEvents_CL | summarize Attempts = count() by bin(TimeGenerated, 1h), UserId',
    });
    expect(body['visualization']).toEqual({
      kind: 'timechart',
      x: 'TimeGenerated',
      y: ['Attempts'],
      series: 'UserId',
    });
  });

  it('takes a trailing render off the query and answers its kind', async () => {
    const { status, body } = await post('/console/api/query', {
      query: 'AppSecurityEvents_CL\n| summarize n = count() by UserId\n| render piechart',
    });
    expect(status).toBe(200);
    expect(body['rows']).toEqual([
      ['alice', 2],
      ['bob', 1],
    ]);
    expect(body['visualization']).toEqual({ kind: 'piechart', x: 'UserId', y: ['n'] });
  });

  it('reads a render columnchart as a bar chart', async () => {
    const { body } = await post('/console/api/query', {
      query: 'AppSecurityEvents_CL | summarize n = count() by UserId | render columnchart',
    });
    expect(body['visualization']).toEqual({ kind: 'barchart', x: 'UserId', y: ['n'] });
  });

  it('answers a KQL error as 400 BadQuery with its line and column', async () => {
    const { status, body } = await post('/console/api/query', {
      query: 'AppSecurityEvents_CL\n| where NoSuchColumn == 1',
    });
    expect(status).toBe(400);
    const error = body['error'] as Record<string, unknown>;
    expect(error['code']).toBe('BadQuery');
    expect(error['message']).toContain('NoSuchColumn');
    expect(error['line']).toBe(2);
    expect(error['col']).toBe(9);
  });

  it('refuses a body without a query', async () => {
    const { status, body } = await post('/console/api/query', { kql: 'x' });
    expect(status).toBe(400);
    expect((body['error'] as Record<string, unknown>)['code']).toBe('BadRequest');
  });

  it('answers a bad timespan as 400 BadTimespan', async () => {
    const { status, body } = await post('/console/api/query', {
      query: 'AppSecurityEvents_CL',
      timespan: 'yesterday',
    });
    expect(status).toBe(400);
    expect((body['error'] as Record<string, unknown>)['code']).toBe('BadTimespan');
  });
});

describe('the console schema and tables', () => {
  it('describes the workspace as a Monaco Kusto EngineSchema', async () => {
    const response = await get('/console/api/schema');
    expect(response.statusCode).toBe(200);
    const schema = response.json<Record<string, unknown>>();
    const database = {
      name: 'ws-1',
      tables: [
        {
          name: 'AppSecurityEvents_CL',
          entityType: 'Table',
          columns: KQL_COLUMNS,
        },
      ],
      functions: [
        {
          name: 'FailedLogins',
          body: '{\nAppSecurityEvents_CL | where Failed\n}',
          inputParameters: [
            { name: 'starttime', type: 'datetime', cslType: 'datetime', cslDefaultValue: 'datetime(null)' },
            { name: 'user', type: 'string', cslType: 'string', cslDefaultValue: "'*'" },
            { name: 'T', columns: [{ name: 'UserId', type: 'string', cslType: 'string' }] },
          ],
        },
      ],
      entityGroups: [],
      majorVersion: 1,
      minorVersion: 0,
    };
    expect(schema).toEqual({
      clusterType: 'Engine',
      cluster: { connectionString: ORIGIN, databases: [database] },
      database,
    });
  });

  it('lists tables with columns and row counts, and functions with parameters and body', async () => {
    const response = await get('/console/api/tables');
    expect(response.json()).toEqual({
      tables: [
        {
          name: 'AppSecurityEvents_CL',
          columns: KQL_COLUMNS,
          rows: 3,
        },
      ],
      functions: [
        {
          name: 'FailedLogins',
          parameters: "starttime:datetime=datetime(null), user:string='*', T:(UserId:string)",
          body: 'AppSecurityEvents_CL | where Failed',
        },
      ],
    });
  });
});

describe('the console guard', () => {
  it('refuses a Host that is not this loopback server (DNS rebinding)', async () => {
    const response = await get('/console/api/schema', { host: 'attacker.example:4555' });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({
      error: {
        code: 'WrongHost',
        message: expect.stringContaining('127.0.0.1:4555 or localhost:4555') as unknown,
      },
    });
  });

  it('refuses the right host name on another port', async () => {
    const response = await get('/console/', { host: '127.0.0.1:80' });
    expect(response.statusCode).toBe(403);
  });

  it('accepts localhost with the port', async () => {
    const response = await get('/console/api/tables', { host: 'localhost:4555' });
    expect(response.statusCode).toBe(200);
  });

  it('refuses a POST from another origin', async () => {
    const { status, body } = await post(
      '/console/api/query',
      { query: 'AppSecurityEvents_CL' },
      { origin: 'https://evil.example' },
    );
    expect(status).toBe(403);
    expect((body['error'] as Record<string, unknown>)['code']).toBe('CrossOrigin');
  });

  it('accepts a POST from the console page itself', async () => {
    const { status } = await post(
      '/console/api/query',
      { query: 'AppSecurityEvents_CL' },
      { origin: ORIGIN },
    );
    expect(status).toBe(200);
  });

  it('refuses a POST that is not JSON (a form post from another page)', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/console/api/query',
      headers: { host: HOST, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'query=AppSecurityEvents_CL',
    });
    expect(response.statusCode).toBe(403);
    expect(response.json<{ error: { code: string } }>().error.code).toBe('NotJson');
  });

  it('leaves URLs outside /console alone', async () => {
    app.get('/consoles', () => 'other');
    const response = await app.inject({ method: 'GET', url: '/consoles', headers: { host: 'elsewhere' } });
    expect(response.body).toBe('other');
  });
});

describe('the console files', () => {
  it('serves the page at /console/ and redirects /console there', async () => {
    const page = await get('/console/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<title>console</title>');
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['content-security-policy']).toContain("script-src 'self';");
    const bare = await get('/console');
    expect(bare.statusCode).toBe(301);
    expect(bare.headers.location).toBe('/console/');
  });

  it('serves the compiled modules as JavaScript', async () => {
    const response = await get('/console/tabs/query.js');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it("serves Monaco's AMD loader and Monaco Kusto under vs/language/kusto", async () => {
    const loader = await get('/console/vs/loader.js');
    expect(loader.statusCode).toBe(200);
    expect(loader.body).toContain('define');
    const kusto = await get('/console/vs/language/kusto/monaco.contribution.js');
    expect(kusto.statusCode).toBe(200);
    expect(kusto.body).toContain('define("vs/language/kusto/monaco.contribution"');
  });

  it("serves Chart.js's UMD build", async () => {
    const chart = await get('/console/vendor/chart.umd.min.js');
    expect(chart.statusCode).toBe(200);
    expect(chart.body).toContain('Chart');
  });

  it.each([
    '/console/../console-secret.js',
    '/console/%2e%2e/console-secret.js',
    '/console/tabs/%2e%2e/%2e%2e/console-secret.js',
    '/console/vs/..%2f..%2fpackage.json',
    '/console/vs/language/kusto/..%2f..%2fpackage.json',
    '/console/..%2fconsole-secret.js',
    '/console/tabs/..%2f..%2fconsole-secret.js',
    '/console/..%5cconsole-secret.js',
  ])('refuses to leave its folders: %s', async (url) => {
    const response = await get(url);
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toContain('not for the console');
    expect(response.body).not.toContain('"name"');
  });

  it('answers 404 for a file it does not have', async () => {
    const response = await get('/console/nope.js');
    expect(response.statusCode).toBe(404);
    expect(response.json<{ error: { code: string } }>().error.code).toBe('NotFound');
  });
});

describe('a started emulator', () => {
  let dataDir: string;
  let emulator: RunningEmulator | undefined;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'console-emulator-'));
  });

  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('has no console unless asked: /console answers 404', async () => {
    emulator = await startEmulator({ dataDir, inMemory: true, port: 0 });
    const response = await consoleGet(emulator, '/console/api/tables', `127.0.0.1:${emulator.port}`);
    expect(response.status).toBe(404);
    expect(response.body).toContain('ConsoleOff');
  });

  it('serves the console over its TLS when console: true', async () => {
    emulator = await startEmulator({ dataDir, inMemory: true, port: 0, console: true });
    const tables = await consoleGet(emulator, '/console/api/tables', `127.0.0.1:${emulator.port}`);
    expect(tables.status).toBe(200);
    expect(JSON.parse(tables.body)).toHaveProperty('tables');
    const rebound = await consoleGet(emulator, '/console/api/tables', `rebind.example:${emulator.port}`);
    expect(rebound.status).toBe(403);
  });
});
