// The Logs Ingestion endpoint driven through Fastify's inject (and one real socket for resets):
// every check answers the service's error shape, and accepted rows land typed in the store.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Fastify from 'fastify';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import fc from 'fast-check';
import { isAggregateLogsUploadError, LogsIngestionClient } from '@azure/monitor-ingestion';
import type { LogsIngestionClientOptions } from '@azure/monitor-ingestion';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_DCR_IMMUTABLE_ID, DEMO_APP, DEMO_TENANT_ID } from '../src/catalog/demo-identity.js';
import { catalogFromMappings } from '../src/catalog/from-mappings.js';
import { FaultInjector } from '../src/faults/fault-injector.js';
import type { IngestionDeps } from '../src/ingestion/ingestion-options.js';
import { ingestionRoutes } from '../src/ingestion/routes.js';
import { compileStream, runStream } from '../src/ingestion/stream-pipeline.js';
import type { Catalog, ColumnDef, Row, RowTransform, Store, TokenClaims, TokenIssuer } from '../src/model.js';
import { UnsupportedKqlError } from '@otel-sentinel/kql';
import { openStore } from '../src/store/sqlite-store.js';
import { ensureCertificates } from '../src/tls/certificates.js';

const TENANT = DEMO_TENANT_ID;
const DCR = 'dcr-0123456789abcdef0123456789abcdef';
const STREAM = 'Custom-AppEvents';
const TABLE = 'AppEvents_CL';
const ALLOWED = 'allowed-client';
const OTHER = 'other-client';
const T0 = Date.parse('2025-06-01T12:00:00.500Z');
const URL = `/dataCollectionRules/${DCR}/streams/${STREAM}?api%2Dversion=2023-01-01`;

const COLUMNS: readonly ColumnDef[] = [
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'EventName', type: 'string' },
  { name: 'Count', type: 'int' },
  { name: 'Total', type: 'long' },
  { name: 'Ratio', type: 'real' },
  { name: 'Ok', type: 'boolean' },
  { name: 'Extra', type: 'dynamic' },
];

function catalog(): Catalog {
  return {
    tenantId: TENANT,
    workspaceId: randomUUID(),
    apps: [
      { clientId: ALLOWED, clientSecret: 's', displayName: 'allowed' },
      { clientId: OTHER, clientSecret: 's', displayName: 'other' },
    ],
    dcrs: new Map([
      [
        DCR,
        {
          immutableId: DCR,
          streams: new Map([[STREAM, COLUMNS]]),
          dataFlows: [{ stream: STREAM, transformKql: 'source', outputTable: TABLE }],
          allowedClients: new Set([ALLOWED]),
        },
      ],
    ]),
    tables: new Map([[TABLE, { name: TABLE, columns: COLUMNS }]]),
  };
}

/** Tokens are opaque strings; the fake knows their claims, as the real issuer does. */
class FakeTokens implements TokenIssuer {
  private readonly claims = new Map<string, TokenClaims>();
  constructor(private readonly clock: () => number) {}
  issue(clientId: string, scope: string): { token: string; expiresIn: number } {
    return { token: this.mint({ clientId, audience: scope.replace(/\/\.default$/, '') }), expiresIn: 3600 };
  }
  mint(over: Partial<TokenClaims> = {}): string {
    const token = `token-${randomUUID()}`;
    this.claims.set(token, {
      clientId: ALLOWED,
      tenantId: TENANT,
      audience: 'https://monitor.azure.com',
      expiresAt: this.clock() + 3_600_000,
      ...over,
    });
    return token;
  }
  verify(token: string): TokenClaims | undefined {
    return this.claims.get(token);
  }
}

const passThrough = (): RowTransform => (row) => row;

interface Harness {
  readonly app: FastifyInstance;
  readonly store: Store;
  readonly faults: FaultInjector;
  readonly tokens: FakeTokens;
  readonly token: string;
  readonly logs: string[];
  readonly clock: { now: number };
  post(
    body: unknown,
    options?: { url?: string; headers?: Record<string, string>; gzip?: boolean; raw?: boolean },
  ): Promise<LightMyRequestResponse>;
  rows(table?: string): Row[];
}

let harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses) {
    await h.app.close();
    h.store.close();
  }
  harnesses = [];
});

function start(deps: Partial<IngestionDeps> & { random?: () => number } = {}): Harness {
  const clock = { now: T0 };
  const tokens = new FakeTokens(() => clock.now);
  const store = openStore(':memory:');
  const faults = new FaultInjector(deps.random !== undefined ? { random: deps.random } : {});
  const logs: string[] = [];
  // As the emulator runs it: a server-wide body limit far above the ingestion limit.
  const app = Fastify({ bodyLimit: 64 * 1024 * 1024 });
  ingestionRoutes(app, {
    catalog: catalog(),
    store,
    tokens,
    transforms: passThrough,
    faults,
    now: () => new Date(clock.now),
    log: (line) => logs.push(line),
    ...deps,
  });
  const token = tokens.mint();
  const h: Harness = {
    app,
    store,
    faults,
    tokens,
    token,
    logs,
    clock,
    post(body, options = {}) {
      const text = options.raw === true ? (body as string | Buffer) : JSON.stringify(body);
      const payload = options.gzip === true ? gzipSync(text) : text;
      return app.inject({
        method: 'POST',
        url: options.url ?? URL,
        payload,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          ...(options.gzip === true ? { 'content-encoding': 'gzip' } : {}),
          ...options.headers,
        },
      });
    },
    rows: (table = TABLE) => [...store.scan(table)],
  };
  harnesses.push(h);
  return h;
}

function expectError(
  res: LightMyRequestResponse,
  status: number,
  code: string,
  message?: RegExp | string,
): void {
  expect(res.statusCode).toBe(status);
  expect(res.headers['x-ms-error-code']).toBe(code);
  expect(res.headers['x-ms-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  const body = res.json();
  expect(body.error.code).toBe(code);
  if (typeof message === 'string') expect(body.error.message).toBe(message);
  else if (message) expect(body.error.message).toMatch(message);
}

const EVENT = {
  TimeGenerated: '2025-06-01T11:59:00.1234567Z',
  EventName: 'authn_login_fail',
  Count: 3,
  Total: 9007199254740991,
  Ratio: 0.25,
  Ok: false,
  Extra: { ip: '203.0.113.9', tags: ['a'] },
};

describe('accepted uploads', () => {
  it('answers 204 with x-ms-request-id and stores the rows with _TimeReceived', async () => {
    const h = start();
    const res = await h.post([EVENT, { ...EVENT, EventName: 'authn_login_ok', Ok: true }]);
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect(res.headers['x-ms-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(h.rows()).toEqual([
      { ...EVENT, _TimeReceived: '2025-06-01T12:00:00.5000000Z' },
      { ...EVENT, EventName: 'authn_login_ok', Ok: true, _TimeReceived: '2025-06-01T12:00:00.5000000Z' },
    ]);
  });

  it('accepts a gzipped body, as @azure/monitor-ingestion sends it', async () => {
    const h = start();
    const res = await h.post([EVENT], { gzip: true });
    expect(res.statusCode).toBe(204);
    expect(h.rows()).toHaveLength(1);
  });

  it('accepts a body without Content-Type', async () => {
    const h = start();
    const res = await h.app.inject({
      method: 'POST',
      url: URL,
      payload: JSON.stringify([EVENT]),
      headers: { authorization: `Bearer ${h.token}` },
    });
    expect(res.statusCode).toBe(204);
  });

  it('accepts Content-Type with parameters', async () => {
    const h = start();
    const res = await h.post([EVENT], { headers: { 'content-type': 'Application/JSON; charset=utf-8' } });
    expect(res.statusCode).toBe(204);
  });

  it('accepts an empty array and stores nothing', async () => {
    const h = start();
    expect((await h.post([])).statusCode).toBe(204);
    expect(h.rows()).toEqual([]);
  });

  it('echoes x-ms-client-request-id', async () => {
    const h = start();
    const id = randomUUID();
    const res = await h.post([EVENT], { headers: { 'x-ms-client-request-id': id } });
    expect(res.headers['x-ms-client-request-id']).toBe(id);
  });

  it('fills a missing TimeGenerated with the time the row was received', async () => {
    const h = start();
    await h.post([{ EventName: 'x' }]);
    expect(h.rows()[0]?.TimeGenerated).toBe('2025-06-01T12:00:00.5000000Z');
  });

  it('serves a mapping of the repository: the audit app rows land in their table', async () => {
    const h = start({
      catalog: catalogFromMappings([join(import.meta.dirname, 'fixtures/mappings/two-tables.yaml')], {
        env: {},
      }),
    });
    const token = h.tokens.mint({ clientId: DEMO_APP.clientId });
    const res = await h.app.inject({
      method: 'POST',
      url: `/dataCollectionRules/${DEFAULT_DCR_IMMUTABLE_ID}/streams/Custom-ContosoAuthEvents?api%2Dversion=2023-01-01`,
      payload: gzipSync(
        JSON.stringify([
          {
            TimeGenerated: '2025-06-01T11:00:00.0000000Z',
            EventName: 'authn_login_fail',
            ActorUserId: 'alice',
          },
        ]),
      ),
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      },
    });
    expect(res.statusCode).toBe(204);
    expect(h.rows('ContosoAuthEvents_CL')[0]).toMatchObject({
      EventName: 'authn_login_fail',
      ActorUserId: 'alice',
      EventResult: null,
    });
  });
});

describe('api-version', () => {
  it.each([
    ['percent-encoded key', '?api%2Dversion=2023-01-01'],
    ['plain key', '?api-version=2023-01-01'],
    ['the preview version', '?api-version=2021-11-01-preview'],
    ['other parameters beside it', '?x=1&api%2dversion=2023-01-01'],
  ])('accepts the %s', async (_name, query) => {
    const h = start();
    const res = await h.post([EVENT], { url: `/dataCollectionRules/${DCR}/streams/${STREAM}${query}` });
    expect(res.statusCode).toBe(204);
  });

  it('answers 400 MissingApiVersionParameter without one', async () => {
    const h = start();
    expectError(
      await h.post([EVENT], { url: `/dataCollectionRules/${DCR}/streams/${STREAM}` }),
      400,
      'MissingApiVersionParameter',
    );
  });

  it('answers 400 InvalidApiVersionParameter for another version, naming the supported ones', async () => {
    const h = start();
    const res = await h.post([EVENT], {
      url: `/dataCollectionRules/${DCR}/streams/${STREAM}?api-version=2020-01-01`,
    });
    expectError(
      res,
      400,
      'InvalidApiVersionParameter',
      /'2020-01-01' is invalid.*2023-01-01,2021-11-01-preview/,
    );
  });
});

describe('authentication and authorisation', () => {
  it.each([
    ['no Authorization header', () => ({ authorization: '' }), /header is missing/],
    ['a Basic Authorization header', () => ({ authorization: 'Basic dXNlcjpwYXNz' }), /not a Bearer token/],
    ['a token the emulator never issued', () => ({ authorization: 'Bearer forged' }), /invalid, expired/],
  ])('answers 401 AuthenticationFailed for %s', async (_name, headers, message) => {
    const h = start();
    const res = await h.post([EVENT], { headers: headers() });
    expectError(res, 401, 'AuthenticationFailed', message);
    expect(h.rows()).toEqual([]);
  });

  it.each([
    ['an expired token (milliseconds)', { expiresAt: T0 - 1 }, /has expired/],
    ['an expired token (seconds)', { expiresAt: Math.floor(T0 / 1000) - 1 }, /has expired/],
    [
      'a token for another audience',
      { audience: 'https://management.azure.com' },
      /audience 'https:\/\/management.azure.com' is not Azure Monitor's/,
    ],
    ['a token of another tenant', { tenantId: randomUUID() }, /another tenant/],
  ])('answers 401 AuthenticationFailed for %s', async (_name, claims, message) => {
    const h = start();
    const token = h.tokens.mint(claims);
    expectError(
      await h.post([EVENT], { headers: { authorization: `Bearer ${token}` } }),
      401,
      'AuthenticationFailed',
      message,
    );
  });

  it.each([
    'https://monitor.azure.com/',
    'https://monitor.azure.com//.default',
    'https://monitor.azure.us',
    'https://monitor.azure.cn',
  ])('accepts the audience %s', async (audience) => {
    const h = start();
    const token = h.tokens.mint({ audience });
    expect((await h.post([EVENT], { headers: { authorization: `bearer ${token}` } })).statusCode).toBe(204);
  });

  it('accepts a token issued through the TokenIssuer for the monitor scope', async () => {
    const h = start();
    const { token } = h.tokens.issue(ALLOWED, 'https://monitor.azure.com/.default');
    expect((await h.post([EVENT], { headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(204);
  });

  it('answers 403 OperationFailed with the service message for a client without access to the DCR', async () => {
    const h = start();
    const token = h.tokens.mint({ clientId: OTHER });
    const res = await h.post([EVENT], { headers: { authorization: `Bearer ${token}` } });
    expectError(
      res,
      403,
      'OperationFailed',
      `The authentication token provided does not have access to ingest data for the data collection rule with immutable Id '${DCR}'.`,
    );
    expect(h.rows()).toEqual([]);
  });

  it('lets the same client in once it is granted access to the DCR', async () => {
    const cat = catalog();
    const h = start({ catalog: cat });
    const token = h.tokens.mint({ clientId: OTHER });
    expect((await h.post([EVENT], { headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(403);
    (cat.dcrs.get(DCR)?.allowedClients as Set<string>).add(OTHER);
    expect((await h.post([EVENT], { headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(204);
    expect(h.rows()).toHaveLength(1);
  });
});

describe('unknown DCRs and streams', () => {
  it("answers 404 with the service's message for an unknown DCR", async () => {
    const h = start();
    const res = await h.post([EVENT], {
      url: '/dataCollectionRules/dcr-ffffffffffffffffffffffffffffffff/streams/Custom-AppEvents?api%2Dversion=2023-01-01',
    });
    expectError(
      res,
      404,
      'NotFound',
      "Data collection rule with immutable Id 'dcr-ffffffffffffffffffffffffffffffff' not found.",
    );
  });

  it('answers 400 InvalidStream naming the declared streams for an unknown stream', async () => {
    const h = start();
    const res = await h.post([EVENT], {
      url: `/dataCollectionRules/${DCR}/streams/Custom-Nope?api%2Dversion=2023-01-01`,
    });
    expectError(
      res,
      400,
      'InvalidStream',
      /'Custom-Nope' is not declared .*Declared streams: Custom-AppEvents\./,
    );
  });
});

describe('the body', () => {
  const LIMIT_MESSAGE = 'Maximum allowed content length: 1048576 bytes (1 MB).';
  /** `[{"EventName":"xxx…"}]` of exactly `bytes` bytes. */
  const bodyOf = (bytes: number): string => JSON.stringify([{ EventName: 'x'.repeat(bytes - 18) }]);

  it('accepts a plain body of exactly 1 MB', async () => {
    const h = start();
    const body = bodyOf(1_048_576);
    expect(Buffer.byteLength(body)).toBe(1_048_576);
    expect((await h.post(body, { raw: true })).statusCode).toBe(204);
  });

  it('answers 413 ContentLengthLimitExceeded for a plain body one byte over 1 MB', async () => {
    const h = start();
    expectError(
      await h.post(bodyOf(1_048_577), { raw: true }),
      413,
      'ContentLengthLimitExceeded',
      LIMIT_MESSAGE,
    );
  });

  it('answers 413 for a gzipped body that is small on the wire but over 1 MB decompressed', async () => {
    const h = start();
    const zipped = gzipSync(bodyOf(1_048_577));
    expect(zipped.length).toBeLessThan(10_000);
    const res = await h.post(zipped, { raw: true, headers: { 'content-encoding': 'gzip' } });
    expectError(res, 413, 'ContentLengthLimitExceeded', LIMIT_MESSAGE);
  });

  it('accepts a gzipped body of exactly 1 MB decompressed', async () => {
    const h = start();
    const res = await h.post(gzipSync(bodyOf(1_048_576)), {
      raw: true,
      headers: { 'content-encoding': 'gzip' },
    });
    expect(res.statusCode).toBe(204);
  });

  it('answers 413 for a gzipped body over 1 MB compressed', async () => {
    const h = start();
    const zipped = gzipSync(JSON.stringify([{ EventName: randomBytes(1_100_000).toString('base64') }]));
    expect(zipped.length).toBeGreaterThan(1_048_576);
    expectError(
      await h.post(zipped, { raw: true, headers: { 'content-encoding': 'gzip' } }),
      413,
      'ContentLengthLimitExceeded',
      LIMIT_MESSAGE,
    );
  });

  it('states a lowered limit in the 413 message', async () => {
    const h = start({ limits: { maxBodyBytes: 4096 } });
    expectError(
      await h.post(bodyOf(4097), { raw: true }),
      413,
      'ContentLengthLimitExceeded',
      'Maximum allowed content length: 4096 bytes (4 KB).',
    );
  });

  it.each([
    ['not JSON', '[{"EventName":', /not valid JSON/],
    ['a JSON object', '{"EventName":"x"}', /must be a JSON array of objects; got object/],
    ['null', 'null', /got null/],
    [
      'an array holding a non-object',
      '[{"EventName":"x"}, 5]',
      /Item \[1\] of the request body is not a JSON object/,
    ],
    ['an array holding an array', '[[]]', /Item \[0\]/],
    ['empty', '', /empty/],
  ])('answers 400 InvalidPayload for a body that is %s', async (_name, body, message) => {
    const h = start();
    expectError(await h.post(body, { raw: true }), 400, 'InvalidPayload', message);
  });

  it('never echoes body text in an error', async () => {
    const h = start();
    const res = await h.post('[{"Password":"hunter2"', { raw: true });
    expect(res.body).not.toContain('hunter2');
  });

  it('answers 415 for a content type that is not JSON', async () => {
    const h = start();
    expectError(
      await h.post([EVENT], { headers: { 'content-type': 'text/plain' } }),
      415,
      'UnsupportedMediaType',
      /text\/plain/,
    );
  });

  it('answers 400 InvalidContentEncoding for a gzip header on a body that is not gzip', async () => {
    const h = start();
    expectError(
      await h.post([EVENT], { headers: { 'content-encoding': 'gzip' } }),
      400,
      'InvalidContentEncoding',
      /not valid gzip/,
    );
  });

  it('answers 400 InvalidContentEncoding for an encoding other than gzip', async () => {
    const h = start();
    expectError(
      await h.post([EVENT], { headers: { 'content-encoding': 'br' } }),
      400,
      'InvalidContentEncoding',
      /'br' is not supported/,
    );
  });

  it('leaves the JSON parsing of the rest of the app alone', async () => {
    const h = start();
    h.app.post('/echo', (request) => request.body);
    expect((await h.app.inject({ method: 'POST', url: '/echo', payload: { a: 1 } })).json()).toEqual({
      a: 1,
    });
  });
});

describe('per-DCR rate limits', () => {
  it('answers 429 with Retry-After once the requests of a minute are used, and accepts again after it', async () => {
    const h = start({ limits: { requestsPerMinute: 3 } });
    for (let i = 0; i < 3; i++) expect((await h.post([EVENT])).statusCode).toBe(204);
    const res = await h.post([EVENT]);
    expectError(res, 429, 'TooManyRequests', /requests-per-minute limit/);
    expect(res.headers['retry-after']).toBe('60');
    h.clock.now += 59_000;
    expect((await h.post([EVENT])).headers['retry-after']).toBe('1');
    h.clock.now += 1_000;
    expect((await h.post([EVENT])).statusCode).toBe(204);
  });

  it('frees the window second by second: Retry-After counts to the oldest request that must leave', async () => {
    const h = start({ limits: { requestsPerMinute: 2 } });
    await h.post([EVENT]);
    h.clock.now += 20_000;
    await h.post([EVENT]);
    const res = await h.post([EVENT]);
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBe('40');
  });

  it('answers 429 with Retry-After once the bytes of a minute are used', async () => {
    const h = start({ limits: { bytesPerMinute: 1000 } });
    const body = JSON.stringify([{ EventName: 'x'.repeat(600) }]);
    expect((await h.post(body, { raw: true })).statusCode).toBe(204);
    const res = await h.post(body, { raw: true });
    expectError(res, 429, 'TooManyRequests', /bytes-per-minute limit/);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('counts each DCR on its own', async () => {
    const cat = catalog();
    const second = 'dcr-22222222222222222222222222222222';
    const dcr = cat.dcrs.get(DCR);
    if (!dcr) throw new Error('no dcr');
    (cat.dcrs as Map<string, typeof dcr>).set(second, { ...dcr, immutableId: second });
    const h = start({ catalog: cat, limits: { requestsPerMinute: 1 } });
    expect((await h.post([EVENT])).statusCode).toBe(204);
    expect((await h.post([EVENT])).statusCode).toBe(429);
    expect(
      (
        await h.post([EVENT], {
          url: `/dataCollectionRules/${second}/streams/${STREAM}?api-version=2023-01-01`,
        })
      ).statusCode,
    ).toBe(204);
  });

  it('refuses limits above the service limits at start-up', () => {
    expect(() => start({ limits: { maxBodyBytes: 2_000_000 } })).toThrow(
      expect.objectContaining({ code: 'E_INGESTION_CONFIG', option: 'limits.maxBodyBytes' }),
    );
    expect(() => start({ limits: { requestsPerMinute: 0 } })).toThrow(/limits.requestsPerMinute/);
  });
});

describe('fields', () => {
  it('truncates a string over 64 KB to 64 KB', async () => {
    const h = start();
    await h.post([{ EventName: 'x'.repeat(70_000) }]);
    expect(h.rows()[0]?.EventName).toBe('x'.repeat(65_536));
    expect(h.logs.at(-1)).toMatch(/truncated=1/);
  });

  it('truncates on a code-point boundary under a lowered limit', async () => {
    const h = start({ limits: { maxFieldBytes: 10 } });
    await h.post([{ EventName: '😀😀😀', Extra: { note: 'a long enough value' } }]);
    const [row] = h.rows();
    expect(row?.EventName).toBe('😀😀');
    expect(row?.Extra).toBe('{"note":"a');
    expect(h.logs.at(-1)).toMatch(/truncated=2/);
  });

  it('drops fields the stream does not declare, counting them', async () => {
    const h = start();
    expect((await h.post([{ ...EVENT, Password: 'hunter2', toString: 'x' }])).statusCode).toBe(204);
    expect(h.rows()[0]).not.toHaveProperty('Password');
    expect(h.logs.at(-1)).toMatch(/dropped=2/);
  });

  it('converts a mistyped value whose meaning is plain and stores null for the others', async () => {
    const h = start();
    await h.post([
      { Count: '5', Total: 'lots', Ok: 'true', Ratio: '0.5', EventName: 7, TimeGenerated: 'yesterday' },
    ]);
    const [row] = h.rows();
    expect([row?.Count, row?.Total, row?.Ok, row?.Ratio, row?.EventName]).toEqual([5, null, true, 0.5, '7']);
    expect(row?.TimeGenerated).toBe('2025-06-01T12:00:00.5000000Z');
    expect(h.logs.at(-1)).toMatch(/mistyped=6/);
  });

  it('truncates any string to at most the limit, as a prefix that ends on a whole code point (property)', () => {
    const stream = compileStream(STREAM, COLUMNS, [
      { transform: (r) => r, table: { name: TABLE, columns: COLUMNS } },
    ]);
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        fc.integer({ min: 1, max: 64 }),
        (s, max) => {
          const run = runStream(stream, [{ EventName: s }], new Date(T0), {
            maxFieldBytes: max,
            checkSizes: true,
            strict: false,
          });
          const out = run.batches.get(TABLE)?.[0]?.EventName as string;
          expect(Buffer.byteLength(out)).toBeLessThanOrEqual(max);
          expect(s.startsWith(out)).toBe(true);
          expect(out).toBe(Buffer.from(out).toString());
          expect(run.truncated).toBe(out.length === s.length ? 0 : 1);
          if (Buffer.byteLength(s) > max) {
            const next = String.fromCodePoint(s.codePointAt(out.length) ?? 0);
            expect(Buffer.byteLength(out + next)).toBeGreaterThan(max);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('strict mode', () => {
  it('answers 400 StrictModeViolation listing every undeclared and mistyped field, and stores nothing', async () => {
    const h = start({ strict: true });
    const res = await h.post([
      { ...EVENT, Password: 'hunter2' },
      { ...EVENT, Count: 'three' },
    ]);
    expectError(res, 400, 'StrictModeViolation', /strict mode and found 2 field problem/);
    expect(res.json().error.details).toEqual([
      {
        code: 'UndeclaredField',
        target: '[0].Password',
        message: expect.stringMatching(/not declared in stream 'Custom-AppEvents'/),
      },
      {
        code: 'MistypedField',
        target: '[1].Count',
        message: expect.stringMatching(/declared int but is a JSON string; the emulator stores null/),
      },
    ]);
    expect(res.body).not.toContain('hunter2');
    expect(h.rows()).toEqual([]);
    expect(h.logs.at(-1)).toMatch(/400 StrictModeViolation .*Password.*Count/);
    expect(h.logs.at(-1)).not.toContain('hunter2');
  });

  it('reports a long beyond 64 bits and a TimeGenerated the service would replace', async () => {
    const h = start({ strict: true });
    const body = `[{"TimeGenerated":"2025-05-29T11:59:00Z","EventName":"x","Total":9223372036854775808}]`;
    const res = await h.post(body, { raw: true });
    expectError(res, 400, 'StrictModeViolation', /found 2 field problem/);
    expect(res.json().error.details).toEqual([
      {
        code: 'OutOfRangeField',
        target: '[0].Total',
        message: expect.stringMatching(/declared long .*stores null \(out of the type's range\)/),
      },
      {
        code: 'TimeGeneratedReplaced',
        target: '[0].TimeGenerated',
        message: expect.stringMatching(/more than 2 days old .*replaces it with the time received/),
      },
    ]);
    expect(h.rows()).toEqual([]);
  });

  it('accepts rows that match the declaration exactly', async () => {
    const h = start({ strict: true });
    expect((await h.post([EVENT])).statusCode).toBe(204);
  });

  it('reports transform output columns the table does not have', async () => {
    const h = start({ strict: true, transforms: () => (row) => ({ ...row, Extra2: 1 }) });
    const res = await h.post([EVENT]);
    expect(res.json().error.details).toEqual([
      expect.objectContaining({ code: 'NotInTable', target: '[0].Extra2' }),
    ]);
  });
});

describe('transforms', () => {
  it('runs the data flow transform on each row and stores what it returns', async () => {
    const h = start({
      transforms: () => (row) =>
        row.EventName === 'drop' ? undefined : { ...row, EventName: String(row.EventName).toUpperCase() },
    });
    await h.post([{ EventName: 'keep' }, { EventName: 'drop' }]);
    expect(h.rows().map((r) => r.EventName)).toEqual(['KEEP']);
    expect(h.logs.at(-1)).toMatch(/rows=1 items=2 .*filtered=1/);
  });

  it('gets each flow compiled once, at start-up', async () => {
    let compiled = 0;
    const h = start({
      transforms: () => {
        compiled++;
        return (row) => row;
      },
    });
    await h.post([EVENT]);
    await h.post([EVENT]);
    expect(compiled).toBe(1);
  });

  it('lets an unsupported transform stop start-up', () => {
    expect(() =>
      start({
        transforms: () => {
          throw new UnsupportedKqlError('parse_json is not supported');
        },
      }),
    ).toThrow(UnsupportedKqlError);
  });

  it('stops start-up for a data flow into a table the catalog lacks', () => {
    const cat = catalog();
    const dcr = cat.dcrs.get(DCR);
    if (!dcr) throw new Error('no dcr');
    (cat.dcrs as Map<string, typeof dcr>).set(DCR, {
      ...dcr,
      dataFlows: [{ stream: STREAM, transformKql: 'source', outputTable: 'Nope_CL' }],
    });
    expect(() => start({ catalog: cat })).toThrow(/Nope_CL, which is not a table of the catalog/);
  });
});

describe('fault injection', () => {
  it('answers 429 with Retry-After for a throttle fault', async () => {
    const h = start();
    h.faults.add({ kind: 'throttle', seconds: 3 });
    const res = await h.post([EVENT]);
    expectError(res, 429, 'TooManyRequests', /Injected fault/);
    expect(res.headers['retry-after']).toBe('3');
    expect((await h.post([EVENT])).statusCode).toBe(204);
  });

  it('answers 429 without Retry-After for throttle-no-retry-after', async () => {
    const h = start();
    h.faults.add({ kind: 'throttle-no-retry-after' });
    const res = await h.post([EVENT]);
    expectError(res, 429, 'TooManyRequests');
    expect(res.headers['retry-after']).toBeUndefined();
  });

  it('answers 500 for error-500', async () => {
    const h = start();
    h.faults.add({ kind: 'error-500' });
    expectError(await h.post([EVENT]), 500, 'InternalServerError');
  });

  it('answers 503, with Retry-After only when the rule gives seconds', async () => {
    const h = start();
    h.faults.add({ kind: 'error-503' });
    h.faults.add({ kind: 'error-503', seconds: 2 });
    const first = await h.post([EVENT]);
    expectError(first, 503, 'ServiceUnavailable');
    expect(first.headers['retry-after']).toBeUndefined();
    expect((await h.post([EVENT])).headers['retry-after']).toBe('2');
  });

  it('delays a request, then handles it as usual', async () => {
    const h = start();
    h.faults.add({ kind: 'delay', delayMs: 150 });
    const started = performance.now();
    const res = await h.post([EVENT]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(res.statusCode).toBe(204);
    expect(h.rows()).toHaveLength(1);
  });

  it('resets the connection of a real socket', async () => {
    const h = start();
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    const address = h.app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    h.faults.add({ kind: 'reset' });
    const error = await new Promise<NodeJS.ErrnoException>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: URL,
          headers: { authorization: `Bearer ${h.token}`, 'content-type': 'application/json' },
        },
        () => {
          reject(new Error('expected no response'));
        },
      );
      req.on('error', resolve);
      req.end(JSON.stringify([EVENT]));
    });
    expect(error.code).toBe('ECONNRESET');
    expect(h.rows()).toEqual([]);
    expect(h.logs.at(-1)).toMatch(/reset \(injected fault\)/);
  });

  it('drops a TLS connection (which has no TCP handle to reset) without a response', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ingestion-tls-'));
    const certs = await ensureCertificates(dataDir);
    const clock = { now: T0 };
    const tokens = new FakeTokens(() => clock.now);
    const store = openStore(':memory:');
    const faults = new FaultInjector();
    const app = Fastify({ https: { key: certs.keyPem, cert: certs.certPem } });
    ingestionRoutes(app, { catalog: catalog(), store, tokens, transforms: passThrough, faults });
    try {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const address = app.server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      faults.add({ kind: 'reset' });
      const error = await new Promise<NodeJS.ErrnoException>((resolve, reject) => {
        const req = httpsRequest(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: URL,
            ca: certs.caCertPem,
            headers: { authorization: `Bearer ${tokens.mint()}`, 'content-type': 'application/json' },
          },
          () => {
            reject(new Error('expected no response'));
          },
        );
        req.on('error', resolve);
        req.end(JSON.stringify([EVENT]));
      });
      expect(error.code).toBe('ECONNRESET');
    } finally {
      await app.close();
      store.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('ends an injected request under inject without a response', async () => {
    const h = start();
    h.faults.add({ kind: 'reset' });
    await expect(h.post([EVENT])).rejects.toThrow();
  });

  it('fails the next count requests, then lets them through', async () => {
    const h = start();
    h.faults.add({ kind: 'error-500', count: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await h.post([EVENT])).statusCode);
    expect(statuses).toEqual([500, 500, 204]);
  });

  it('fails the fraction of requests a rate gives', async () => {
    const draws = [0.1, 0.6, 0.2, 0.9];
    let i = 0;
    const h = start({ random: () => draws[i++ % draws.length] ?? 0 });
    h.faults.add({ kind: 'error-503', rate: 0.5 });
    const statuses = [];
    for (let n = 0; n < 4; n++) statuses.push((await h.post([EVENT])).statusCode);
    expect(statuses).toEqual([503, 204, 503, 204]);
  });

  it('applies a fault before any other check, even without a token', async () => {
    const h = start();
    h.faults.add({ kind: 'error-503' });
    expectError(await h.post([EVENT], { headers: { authorization: '' } }), 503, 'ServiceUnavailable');
  });
});

describe('the request log', () => {
  it('writes one line per request with method, path, status and rows, never the token or values', async () => {
    const h = start();
    await h.post([{ ...EVENT, EventName: 'secret-value' }]);
    await h.post([EVENT], { headers: { authorization: 'Bearer nope' } });
    expect(h.logs).toHaveLength(2);
    expect(h.logs[0]).toMatch(
      new RegExp(
        `^ingestion POST /dataCollectionRules/${DCR}/streams/${STREAM} 204 rows=1 items=1 dropped=0 mistyped=0 truncated=0 filtered=0 \\d+ms$`,
      ),
    );
    expect(h.logs[1]).toMatch(/ 401 AuthenticationFailed \d+ms$/);
    for (const line of h.logs) {
      expect(line).not.toContain(h.token);
      expect(line).not.toContain('secret-value');
      expect(line).not.toContain('api');
    }
  });

  it('logs 413s answered before the handler runs', async () => {
    const h = start({ limits: { maxBodyBytes: 100 } });
    await h.post('x'.repeat(200), { raw: true });
    expect(h.logs).toEqual([expect.stringMatching(/ 413 ContentLengthLimitExceeded \d+ms$/)]);
  });
});

type HttpClient = NonNullable<LogsIngestionClientOptions['httpClient']>;
type PipelineRequest = Parameters<HttpClient['sendRequest']>[0];
type PipelineResponse = Awaited<ReturnType<HttpClient['sendRequest']>>;

/** The SDK's HttpHeaders over a plain map (the real class is in a package the emulator does not depend on). */
function headersOf(raw: Record<string, string | string[] | number | undefined>): PipelineResponse['headers'] {
  const map = new Map<string, string>();
  for (const [k, v] of Object.entries(raw)) if (v !== undefined) map.set(k.toLowerCase(), String(v));
  return {
    get: (name) => map.get(name.toLowerCase()),
    has: (name) => map.has(name.toLowerCase()),
    set: (name, value) => map.set(name.toLowerCase(), String(value)),
    delete: (name) => map.delete(name.toLowerCase()),
    toJSON: () => Object.fromEntries(map),
    [Symbol.iterator]: () => map.entries(),
  };
}

/** Sends the SDK's requests (https URLs, so its TLS checks pass) into the app with inject. */
function injectingClient(app: FastifyInstance, seen: PipelineRequest[]): HttpClient {
  return {
    async sendRequest(request) {
      seen.push(request);
      const url = new globalThis.URL(request.url);
      const body = request.body;
      const payload =
        typeof body === 'string'
          ? body
          : ArrayBuffer.isView(body)
            ? Buffer.from(body.buffer, body.byteOffset, body.byteLength)
            : undefined;
      const res = await app.inject({
        method: request.method,
        url: url.pathname + url.search,
        headers: request.headers.toJSON(),
        ...(payload !== undefined ? { payload } : {}),
      });
      return { request, status: res.statusCode, headers: headersOf(res.headers), bodyAsText: res.body };
    },
  };
}

describe('with the real LogsIngestionClient', () => {
  function client(h: Harness, seen: PipelineRequest[], clientId = ALLOWED): LogsIngestionClient {
    const token = h.tokens.mint({ clientId });
    return new LogsIngestionClient(
      'https://emulator.test',
      { getToken: () => Promise.resolve({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) },
      {
        httpClient: injectingClient(h.app, seen),
        retryOptions: { retryDelayInMs: 5, maxRetryDelayInMs: 10 },
      },
    );
  }
  const events = (n: number): Row[] =>
    Array.from({ length: n }, (_, i) => ({ ...EVENT, EventName: `e${i}`, Extra: { pad: 'p'.repeat(200) } }));

  it('uploads gzipped chunks that are all stored, in order', async () => {
    const h = start();
    const seen: PipelineRequest[] = [];
    await client(h, seen).upload(DCR, STREAM, events(5000));
    expect(seen.length).toBeGreaterThan(1);
    expect(seen[0]?.url).toContain('api%2Dversion=2023-01-01');
    expect(seen[0]?.headers.get('content-encoding')).toBe('gzip');
    expect(
      h
        .rows()
        .map((r) => r.EventName)
        .sort(),
    ).toEqual(
      events(5000)
        .map((r) => r.EventName)
        .sort(),
    );
  });

  it('delivers every row exactly once through an injected 429 with Retry-After, a 503 and a 500', async () => {
    const h = start();
    h.faults.add({ kind: 'throttle', seconds: 0 });
    h.faults.add({ kind: 'error-503', seconds: 0 });
    h.faults.add({ kind: 'error-500' });
    await client(h, []).upload(DCR, STREAM, events(10), { maxConcurrency: 1 });
    expect(h.rows().map((r) => r.EventName)).toEqual(events(10).map((r) => r.EventName));
  });

  it('fails on a 429 without Retry-After, which the SDK does not retry', async () => {
    const h = start();
    h.faults.add({ kind: 'throttle-no-retry-after' });
    const seen: PipelineRequest[] = [];
    const error: unknown = await client(h, seen)
      .upload(DCR, STREAM, events(1))
      .catch((e: unknown) => e);
    expect(isAggregateLogsUploadError(error)).toBe(true);
    expect(seen).toHaveLength(1);
  });

  it('surfaces the 403 as a RestError with code OperationFailed', async () => {
    const h = start();
    const error: unknown = await client(h, [], OTHER)
      .upload(DCR, STREAM, events(1))
      .catch((e: unknown) => e);
    if (!isAggregateLogsUploadError(error)) throw new Error('expected an AggregateLogsUploadError');
    expect(error.errors[0]?.cause).toMatchObject({ statusCode: 403, code: 'OperationFailed' });
    expect(error.errors[0]?.cause.message).toMatch(/does not have access to ingest data/);
  });

  it("surfaces an unknown DCR with the service's message", async () => {
    const h = start();
    const error: unknown = await client(h, [])
      .upload('dcr-99999999999999999999999999999999', STREAM, events(1))
      .catch((e: unknown) => e);
    if (!isAggregateLogsUploadError(error)) throw new Error('expected an AggregateLogsUploadError');
    expect(error.errors[0]?.cause.message).toBe(
      "Data collection rule with immutable Id 'dcr-99999999999999999999999999999999' not found.",
    );
  });
});
