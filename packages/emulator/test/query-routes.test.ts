import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QuerySource } from '@otel-sentinel/kql';
import type { Catalog, ColumnDef, Row, TokenClaims, TokenIssuer } from '../src/model.js';
import { queryRoutes } from '../src/query/routes.js';

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
  { name: 'Extra', type: 'dynamic' },
];

const hoursAgo = (h: number): string => new Date(NOW.getTime() - h * 3_600_000).toISOString();

const ROWS: Row[] = [
  { TimeGenerated: hoursAgo(0.5), UserId: 'alice', Extra: { n: 1 } },
  { TimeGenerated: hoursAgo(5), UserId: 'bob', Extra: null },
  { TimeGenerated: hoursAgo(30), UserId: 'carol', Extra: [1, 2] },
];

const store: QuerySource = {
  tables: () => ['AppSecurityEvents_CL'],
  columns: (table) => (table === 'AppSecurityEvents_CL' ? COLUMNS : undefined),
  scan: (table) => (table === 'AppSecurityEvents_CL' ? ROWS : []),
};

function claims(audience: string, tenantId = TENANT): TokenClaims {
  return { clientId: 'app', tenantId, audience, expiresAt: NOW.getTime() / 1000 + 3600 };
}

/** A TokenIssuer that knows a few fixed tokens. */
const tokens: TokenIssuer = {
  issue: () => ({ token: 'query-token', expiresIn: 3600 }),
  verify: (token) =>
    ({
      'query-token': claims('https://api.loganalytics.io'),
      'azure-host-token': claims('https://api.loganalytics.azure.com/'),
      'ingestion-token': claims('https://monitor.azure.com'),
      'foreign-tenant-token': claims('https://api.loganalytics.io', 'another-tenant'),
    })[token],
};

let app: FastifyInstance;

beforeEach(() => {
  app = Fastify();
  queryRoutes(app, { catalog, store, tokens, now: () => NOW });
});

afterEach(async () => {
  await app.close();
});

const bearer = { authorization: 'Bearer query-token' };
const url = `/v1/workspaces/${WORKSPACE}/query`;

async function post(body: unknown, headers: Record<string, string> = bearer, path = url) {
  const response = await app.inject({ method: 'POST', url: path, headers, payload: body as object });
  return {
    status: response.statusCode,
    body: response.json<Record<string, unknown>>(),
    headers: response.headers,
  };
}

function users(body: Record<string, unknown>): unknown[] {
  const tables = body['tables'] as { rows: unknown[][] }[];
  return (tables[0]?.rows ?? []).map((r) => r[1]);
}

describe('POST /v1/workspaces/{id}/query', () => {
  it('answers 200 with the tables of the result in the Log Analytics shape', async () => {
    const response = await post({ query: 'AppSecurityEvents_CL | where UserId == "alice"' });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toEqual({
      tables: [
        {
          name: 'PrimaryResult',
          columns: [
            { name: 'TimeGenerated', type: 'datetime' },
            { name: 'UserId', type: 'string' },
            { name: 'Extra', type: 'dynamic' },
          ],
          rows: [['2026-11-23T11:30:00.0000000Z', 'alice', '{"n":1}']],
        },
      ],
    });
  });

  it('accepts the workspace id in any case', async () => {
    const response = await post(
      { query: 'AppSecurityEvents_CL' },
      bearer,
      `/v1/workspaces/${WORKSPACE.toUpperCase()}/query`,
    );
    expect(response.status).toBe(200);
  });

  it('applies a duration timespan as a window ending now on TimeGenerated', async () => {
    expect(users((await post({ query: 'AppSecurityEvents_CL', timespan: 'PT1H' })).body)).toEqual(['alice']);
    expect(users((await post({ query: 'AppSecurityEvents_CL', timespan: 'P1D' })).body)).toEqual([
      'alice',
      'bob',
    ]);
  });

  it('applies start/end, start/duration and duration/end timespans', async () => {
    const interval = `${hoursAgo(6)}/${hoursAgo(1)}`;
    expect(users((await post({ query: 'AppSecurityEvents_CL', timespan: interval })).body)).toEqual(['bob']);
    expect(
      users((await post({ query: 'AppSecurityEvents_CL', timespan: `${hoursAgo(31)}/PT2H` })).body),
    ).toEqual(['carol']);
    expect(
      users((await post({ query: 'AppSecurityEvents_CL', timespan: `PT1H/${hoursAgo(4.5)}` })).body),
    ).toEqual(['bob']);
  });

  it('answers 400 for a timespan it cannot read', async () => {
    const response = await post({ query: 'AppSecurityEvents_CL', timespan: 'P1M' });
    expect(response.status).toBe(400);
    expect(response.body['error']).toMatchObject({ code: 'BadArgumentError' });
  });

  it('answers 400 BadArgumentError without a query', async () => {
    const response = await post({ timespan: 'PT1H' });
    expect(response.status).toBe(400);
    expect(response.body['error']).toMatchObject({
      code: 'BadArgumentError',
      message: "The request must carry a 'query' string",
    });
  });

  it('answers 400 with a SyntaxError innererror and the position for a query that does not parse', async () => {
    const response = await post({ query: 'AppSecurityEvents_CL | where' });
    expect(response.status).toBe(400);
    expect(response.body['error']).toMatchObject({
      code: 'BadArgumentError',
      message: 'Missing expression [KS006] (line 1, column 29)',
      innererror: {
        code: 'SyntaxError',
        innererror: { code: 'E_KQL_SYNTAX', line: 1, pos: 29 },
      },
    });
  });

  it('answers 400 with a SemanticError naming an unsupported operator', async () => {
    const response = await post({
      query: 'AppSecurityEvents_CL | make-series n = count() on TimeGenerated step 1h',
    });
    expect(response.status).toBe(400);
    const error = response.body['error'] as { innererror: { code: string; message: string } };
    expect(error.innererror.code).toBe('SemanticError');
    expect(error.innererror.message).toMatch(/Query operator 'make-series' is not supported/);
  });

  it('answers 400 with a SemanticError for an unknown table', async () => {
    const response = await post({ query: 'Nope_CL' });
    expect(response.body['error']).toMatchObject({
      code: 'BadArgumentError',
      innererror: { code: 'SemanticError', innererror: { code: 'E_KQL_UNKNOWN_TABLE' } },
    });
  });

  it('answers 404 WorkspaceNotFoundError for another workspace', async () => {
    const response = await post(
      { query: 'AppSecurityEvents_CL' },
      bearer,
      '/v1/workspaces/00000000-0000-0000-0000-000000000000/query',
    );
    expect(response.status).toBe(404);
    expect(response.body['error']).toMatchObject({ code: 'WorkspaceNotFoundError' });
  });
});

describe('GET /v1/workspaces/{id}/query', () => {
  it('runs the query of the query string', async () => {
    const query = encodeURIComponent('AppSecurityEvents_CL | count');
    const response = await app.inject({
      method: 'GET',
      url: `${url}?query=${query}&timespan=PT6H`,
      headers: bearer,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      tables: [{ name: 'PrimaryResult', columns: [{ name: 'Count', type: 'long' }], rows: [[2]] }],
    });
  });
});

describe('authentication', () => {
  it('answers 401 AuthenticationFailed without an Authorization header', async () => {
    const response = await post({ query: 'AppSecurityEvents_CL' }, {});
    expect(response.status).toBe(401);
    expect(response.body['error']).toMatchObject({
      code: 'AuthenticationFailed',
      message: "Authentication failed. The 'Authorization' header is missing.",
    });
  });

  it('answers 401 for an Authorization header that is not a bearer token', async () => {
    const response = await post({ query: 'AppSecurityEvents_CL' }, { authorization: 'Basic dXNlcjpwYXNz' });
    expect(response.status).toBe(401);
    expect(response.body['error']).toMatchObject({ code: 'AuthenticationFailed' });
  });

  it('answers 403 InvalidAuthenticationToken for a token the issuer does not know', async () => {
    const response = await post({ query: 'AppSecurityEvents_CL' }, { authorization: 'Bearer forged' });
    expect(response.status).toBe(403);
    expect(response.body['error']).toMatchObject({
      code: 'InvalidAuthenticationToken',
      message: 'The access token is invalid.',
    });
  });

  it('answers 403 InvalidAuthenticationToken for a token of another tenant', async () => {
    const response = await post(
      { query: 'AppSecurityEvents_CL' },
      { authorization: 'Bearer foreign-tenant-token' },
    );
    expect(response.status).toBe(403);
  });

  it('answers 403 InvalidAuthenticationTokenAudience for a token of another API', async () => {
    const response = await post(
      { query: 'AppSecurityEvents_CL' },
      { authorization: 'Bearer ingestion-token' },
    );
    expect(response.status).toBe(403);
    expect(response.body['error']).toMatchObject({ code: 'InvalidAuthenticationTokenAudience' });
    expect((response.body['error'] as { message: string }).message).toContain("'https://monitor.azure.com'");
  });

  it('accepts the api.loganalytics.azure.com audience with a trailing slash', async () => {
    const response = await post(
      { query: 'AppSecurityEvents_CL' },
      { authorization: 'Bearer azure-host-token' },
    );
    expect(response.status).toBe(200);
  });

  it('checks the token before the workspace', async () => {
    const response = await post({ query: 'x' }, {}, '/v1/workspaces/unknown/query');
    expect(response.status).toBe(401);
  });
});

describe('POST /v1/$batch', () => {
  it('answers each request of the batch with its own status and body', async () => {
    const response = await post(
      {
        requests: [
          {
            id: 'a',
            workspace: WORKSPACE,
            path: '/query',
            method: 'POST',
            body: { query: 'AppSecurityEvents_CL | count', timespan: 'PT1H' },
          },
          {
            id: 'b',
            workspace: WORKSPACE,
            path: '/query',
            method: 'POST',
            body: { query: 'AppSecurityEvents_CL | join' },
          },
          {
            id: 'c',
            workspace: 'other',
            path: '/query',
            method: 'POST',
            body: { query: 'AppSecurityEvents_CL' },
          },
        ],
      },
      bearer,
      '/v1/$batch',
    );
    expect(response.status).toBe(200);
    const responses = response.body['responses'] as {
      id: string;
      status: number;
      body: Record<string, unknown>;
    }[];
    expect(responses.map((r) => [r.id, r.status])).toEqual([
      ['a', 200],
      ['b', 400],
      ['c', 404],
    ]);
    expect(responses[0]?.body).toEqual({
      tables: [{ name: 'PrimaryResult', columns: [{ name: 'Count', type: 'long' }], rows: [[1]] }],
    });
  });
});
