// The real LogsQueryClient against the query routes, through an HttpClient that hands each
// request to fastify's inject() (no socket, no TLS: the TLS server is tested elsewhere).

import {
  Durations,
  LogsQueryClient,
  LogsQueryResultStatus,
  type LogsQueryClientOptions,
} from '@azure/monitor-query-logs';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QuerySource } from '@otel-sentinel/kql';
import type { Catalog, ColumnDef, Row, TokenIssuer } from '../src/model.js';
import { queryRoutes } from '../src/query/routes.js';

type HttpClient = NonNullable<LogsQueryClientOptions['httpClient']>;
type PipelineResponse = Awaited<ReturnType<HttpClient['sendRequest']>>;

const WORKSPACE = '6b5d2c1a-0000-4000-8000-00000000beef';
const TENANT = '72f988bf-0000-4000-8000-000000000001';
const NOW = new Date('2026-11-23T12:00:00.000Z');

const catalog: Catalog = {
  tenantId: TENANT,
  workspaceId: WORKSPACE,
  apps: [],
  dcrs: new Map(),
  tables: new Map(),
};

const COLUMNS: ColumnDef[] = [
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'UserId', type: 'string' },
  { name: 'Attempts', type: 'int' },
  { name: 'Extra', type: 'dynamic' },
];

const ROWS: Row[] = [
  { TimeGenerated: '2026-11-23T11:30:00.1234567Z', UserId: 'alice', Attempts: 1, Extra: { ip: '10.0.0.1' } },
  { TimeGenerated: '2026-11-23T10:00:00Z', UserId: 'bob', Attempts: 3, Extra: ['x'] },
];

const store: QuerySource = {
  tables: () => ['AppSecurityEvents_CL'],
  columns: (t) => (t === 'AppSecurityEvents_CL' ? COLUMNS : undefined),
  scan: (t) => (t === 'AppSecurityEvents_CL' ? ROWS : []),
};

const tokens: TokenIssuer = {
  issue: () => ({ token: 'query-token', expiresIn: 3600 }),
  verify: (token) =>
    token === 'query-token'
      ? {
          clientId: 'app',
          tenantId: TENANT,
          audience: 'https://api.loganalytics.io',
          expiresAt: Date.now() / 1000 + 3600,
        }
      : undefined,
};

function headers(raw: Record<string, string>): PipelineResponse['headers'] {
  const map = new Map(Object.entries(raw).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    get: (name) => map.get(name.toLowerCase()),
    has: (name) => map.has(name.toLowerCase()),
    set: (name, value) => {
      map.set(name.toLowerCase(), String(value));
    },
    delete: (name) => {
      map.delete(name.toLowerCase());
    },
    toJSON: () => Object.fromEntries(map),
    [Symbol.iterator]: () => map.entries(),
  };
}

function injecting(app: FastifyInstance): HttpClient {
  return {
    sendRequest: async (request) => {
      const target = new URL(request.url);
      const response = await app.inject({
        method: request.method,
        url: target.pathname + target.search,
        headers: request.headers.toJSON(),
        ...(typeof request.body === 'string' ? { payload: request.body } : {}),
      });
      const responseHeaders = Object.fromEntries(
        Object.entries(response.headers).map(([k, v]) => [k, String(v)]),
      );
      return {
        request,
        status: response.statusCode,
        headers: headers(responseHeaders),
        bodyAsText: response.body,
      };
    },
  };
}

let app: FastifyInstance;
let client: LogsQueryClient;
const requestedScopes: string[] = [];

beforeAll(() => {
  app = Fastify();
  queryRoutes(app, { catalog, store, tokens, now: () => NOW });
  const credential = {
    getToken: (scopes: string | string[]) => {
      requestedScopes.push(...(Array.isArray(scopes) ? scopes : [scopes]));
      return Promise.resolve({ token: 'query-token', expiresOnTimestamp: Date.now() + 3_600_000 });
    },
  };
  client = new LogsQueryClient(credential, {
    endpoint: 'https://127.0.0.1:8443/v1',
    httpClient: injecting(app),
    retryOptions: { maxRetries: 0 },
  });
});

afterAll(async () => {
  await app.close();
});

describe('LogsQueryClient against the query routes', () => {
  it('asks for a token of the query API and gets typed rows back: datetimes as Date, dynamic as objects', async () => {
    const result = await client.queryWorkspace(
      WORKSPACE,
      'AppSecurityEvents_CL | sort by TimeGenerated desc',
      {
        duration: Durations.oneDay,
      },
    );
    expect(requestedScopes).toContain('https://api.loganalytics.io/.default');
    expect(result.status).toBe(LogsQueryResultStatus.Success);
    if (result.status !== LogsQueryResultStatus.Success) return;
    const table = result.tables[0];
    expect(table?.name).toBe('PrimaryResult');
    expect(table?.columnDescriptors).toEqual([
      { name: 'TimeGenerated', type: 'datetime' },
      { name: 'UserId', type: 'string' },
      { name: 'Attempts', type: 'int' },
      { name: 'Extra', type: 'dynamic' },
    ]);
    expect(table?.rows[0]).toEqual([new Date('2026-11-23T11:30:00.123Z'), 'alice', 1, { ip: '10.0.0.1' }]);
    expect(table?.rows[1]).toEqual([new Date('2026-11-23T10:00:00Z'), 'bob', 3, ['x']]);
  });

  it('sends the timespan, which the emulator applies to TimeGenerated', async () => {
    const result = await client.queryWorkspace(WORKSPACE, 'AppSecurityEvents_CL | count', {
      duration: Durations.oneHour,
    });
    expect(result.status === LogsQueryResultStatus.Success ? result.tables[0]?.rows : undefined).toEqual([
      [1],
    ]);
  });

  it('turns a refused query into a RestError carrying the emulator message', async () => {
    await expect(
      client.queryWorkspace(
        WORKSPACE,
        'AppSecurityEvents_CL | make-series n = count() on TimeGenerated step 1h',
        {
          duration: Durations.oneHour,
        },
      ),
    ).rejects.toMatchObject({
      statusCode: 400,
      message: expect.stringContaining("Query operator 'make-series' is not supported") as unknown,
    });
  });

  it('runs a queryBatch through /$batch', async () => {
    const results = await client.queryBatch([
      {
        workspaceId: WORKSPACE,
        query: 'AppSecurityEvents_CL | summarize n = sum(Attempts)',
        timespan: { duration: Durations.oneDay },
      },
      {
        workspaceId: WORKSPACE,
        query: 'AppSecurityEvents_CL | take 1 | project UserId',
        timespan: { duration: Durations.oneDay },
      },
    ]);
    expect(
      results.map((r) => (r.status === LogsQueryResultStatus.Success ? r.tables[0]?.rows : r.status)),
    ).toEqual([[[4]], [['alice']]]);
  });
});
