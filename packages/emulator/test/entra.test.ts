import { ClientSecretCredential } from '@azure/identity';
import fc from 'fast-check';
import Fastify, { type FastifyInstance } from 'fastify';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entraRoutes } from '../src/entra/routes.js';
import { audienceForScope } from '../src/entra/scopes.js';
import { ConfigError, OtelSentinelError } from '@otel-sentinel/mapping';
import { createTokenIssuer, UnsupportedScopeError } from '../src/entra/token-issuer.js';
import type { Catalog, TokenIssuer } from '../src/model.js';
import { ensureCertificates } from '../src/tls/certificates.js';

const TENANT = '00000000-0000-4000-8000-0000000000aa';
const APP = {
  clientId: '00000000-0000-4000-8000-0000000000bb',
  clientSecret: 'S3cret~value.only-for-tests',
  displayName: 'test app',
};
const MONITOR = 'https://monitor.azure.com/.default';
const SECRET_KEY = new Uint8Array(32).fill(7);

const catalog: Catalog = {
  tenantId: TENANT,
  workspaceId: '00000000-0000-4000-8000-0000000000cc',
  apps: [APP],
  dcrs: new Map(),
  tables: new Map(),
};

/** AZURE_* variables change what @azure/identity does (authority, region); the tests run without them. */
const savedAzureEnv = new Map<string, string>();

let dataDir: string;
let ca: string;
let app: FastifyInstance;
let origin: string;
let port: number;
let issuer: TokenIssuer;
const requests: string[] = [];

beforeAll(async () => {
  for (const [name, value] of Object.entries(process.env)) {
    if (name.startsWith('AZURE_') && value !== undefined) {
      savedAzureEnv.set(name, value);
      Reflect.deleteProperty(process.env, name);
    }
  }
  dataDir = await mkdtemp(join(tmpdir(), 'emulator-entra-'));
  const certs = await ensureCertificates(dataDir);
  ca = certs.caCertPem;
  app = Fastify({ https: { key: certs.keyPem, cert: certs.certPem }, logger: false });
  app.addHook('onRequest', (request, _reply, done) => {
    requests.push(`${request.method} ${request.url.split('?')[0] ?? ''}`);
    done();
  });
  // The issuer names the origin, known only once the server listens on port 0.
  const tokens: TokenIssuer = {
    issue: (clientId, scope) => issuer.issue(clientId, scope),
    verify: (token) => issuer.verify(token),
  };
  entraRoutes(app, { catalog, tokens, origin: () => origin });
  app.post('/outside', () => ({ ok: true }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as AddressInfo).port;
  origin = `https://127.0.0.1:${port}`;
  issuer = createTokenIssuer({ tenantId: TENANT, issuerOrigin: origin, secret: SECRET_KEY });
});

afterAll(async () => {
  await app.close();
  await rm(dataDir, { recursive: true, force: true });
  for (const [name, value] of savedAzureEnv) process.env[name] = value;
});

function credential(secret = APP.clientSecret, clientId = APP.clientId): ClientSecretCredential {
  return new ClientSecretCredential(TENANT, clientId, secret, {
    authorityHost: origin,
    disableInstanceDiscovery: true,
    tlsOptions: { ca },
  });
}

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Record<string, unknown>;
  readonly text: string;
}

function call(
  method: 'GET' | 'POST',
  path: string,
  options: {
    form?: Record<string, string>;
    headers?: Record<string, string>;
    body?: string;
    servername?: string;
  } = {},
): Promise<Answer> {
  const payload = options.form !== undefined ? new URLSearchParams(options.form).toString() : options.body;
  const headers: Record<string, string> = {
    ...(options.form !== undefined
      ? { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' }
      : {}),
    ...options.headers,
  };
  return new Promise((resolve, reject) => {
    const tls = options.servername !== undefined ? { servername: options.servername } : {};
    const req = httpsRequest(
      { host: '127.0.0.1', port, path, method, headers, ca, agent: false, ...tls },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
            text,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const tokenPath = `/${TENANT}/oauth2/v2.0/token`;
const goodForm = {
  grant_type: 'client_credentials',
  client_id: APP.clientId,
  client_secret: APP.clientSecret,
  scope: MONITOR,
};

function payloadOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

describe('the real ClientSecretCredential against the emulator', () => {
  it('gets a token for https://monitor.azure.com/.default that the issuer verifies', async () => {
    const token = await credential().getToken(MONITOR);

    const claims = issuer.verify(token.token);
    expect(claims).toEqual({
      clientId: APP.clientId,
      tenantId: TENANT,
      audience: 'https://monitor.azure.com',
      expiresAt: expect.any(Number) as number,
    });
    expect(Math.abs((claims?.expiresAt ?? 0) - token.expiresOnTimestamp)).toBeLessThan(5_000);
    expect(payloadOf(token.token)).toMatchObject({
      iss: `${origin}/${TENANT}/v2.0`,
      appid: APP.clientId,
      azp: APP.clientId,
      tid: TENANT,
    });
  });

  it('gets a Log Analytics token for https://api.loganalytics.io/.default', async () => {
    const token = await credential().getToken('https://api.loganalytics.io/.default');

    expect(issuer.verify(token.token)?.audience).toBe('https://api.loganalytics.io');
  });

  it('asks for discovery and a token once, then reuses the cached token', async () => {
    const cred = credential();
    requests.length = 0;

    const first = await cred.getToken(MONITOR);
    const second = await cred.getToken(MONITOR);

    expect(second.token).toBe(first.token);
    expect(requests).toEqual([`GET /${TENANT}/v2.0/.well-known/openid-configuration`, `POST ${tokenPath}`]);
  });

  it('fails on a wrong secret with invalid_client AADSTS7000215, without echoing the secret', async () => {
    const wrong = 'wrong-secret-value-1234';

    const error = await credential(wrong)
      .getToken(MONITOR)
      .then(
        () => undefined,
        (reason: unknown) => reason as Error,
      );

    expect(error?.name).toMatch(/^(AuthenticationRequiredError|CredentialUnavailableError)$/);
    expect(error?.message).toContain('invalid_client');
    expect(error?.message).toContain('7000215');
    expect(error?.message).not.toContain(wrong);
  });

  it('fails for an unknown client with AADSTS700016', async () => {
    await expect(
      credential(APP.clientSecret, '00000000-0000-4000-8000-00000000dead').getToken(MONITOR),
    ).rejects.toThrow(/700016/);
  });
});

describe('GET /{tenant}/v2.0/.well-known/openid-configuration', () => {
  it('puts the issuer and every endpoint on the emulator origin', async () => {
    const { status, body } = await call('GET', `/${TENANT}/v2.0/.well-known/openid-configuration`);

    expect(status).toBe(200);
    expect(body).toMatchObject({
      issuer: `${origin}/${TENANT}/v2.0`,
      token_endpoint: `${origin}${tokenPath}`,
      authorization_endpoint: `${origin}/${TENANT}/oauth2/v2.0/authorize`,
      jwks_uri: `${origin}/${TENANT}/discovery/v2.0/keys`,
      token_endpoint_auth_methods_supported: expect.arrayContaining([
        'client_secret_post',
        'client_secret_basic',
      ]) as unknown,
      response_types_supported: expect.any(Array) as unknown,
      subject_types_supported: expect.any(Array) as unknown,
      id_token_signing_alg_values_supported: expect.any(Array) as unknown,
      tenant_region_scope: expect.any(String) as unknown,
      cloud_instance_name: expect.any(String) as unknown,
      msgraph_host: expect.any(String) as unknown,
    });
  });

  it('names localhost as issuer to a client that addressed localhost', async () => {
    const { body } = await call('GET', `/${TENANT}/v2.0/.well-known/openid-configuration`, {
      headers: { host: `localhost:${port}` },
    });

    expect(body['issuer']).toBe(`https://localhost:${port}/${TENANT}/v2.0`);
  });

  it('keeps the configured origin for a host that is not a loopback name', async () => {
    const { body } = await call('GET', `/${TENANT}/v2.0/.well-known/openid-configuration`, {
      headers: { host: `login.example.com:${port}` },
      servername: 'localhost',
    });

    expect(body['issuer']).toBe(`${origin}/${TENANT}/v2.0`);
  });

  it('answers an unknown tenant with 400 invalid_tenant AADSTS90002', async () => {
    const { status, body } = await call(
      'GET',
      '/11111111-0000-4000-8000-000000000000/v2.0/.well-known/openid-configuration',
    );

    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'invalid_tenant', error_codes: [90002] });
  });
});

describe('the other discovery endpoints', () => {
  it('serves an empty key set, since tokens are signed with a secret key', async () => {
    const { status, body } = await call('GET', `/${TENANT}/discovery/v2.0/keys`);

    expect(status).toBe(200);
    expect(body).toEqual({ keys: [] });
  });

  it('answers instance discovery for its own authorization endpoint', async () => {
    const endpoint = encodeURIComponent(`${origin}/${TENANT}/oauth2/v2.0/authorize`);

    const { status, body } = await call(
      'GET',
      `/common/discovery/instance?api-version=1.1&authorization_endpoint=${endpoint}`,
    );

    expect(status).toBe(200);
    expect(body).toEqual({
      tenant_discovery_endpoint: `${origin}/${TENANT}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [
        {
          preferred_network: `127.0.0.1:${port}`,
          preferred_cache: `127.0.0.1:${port}`,
          aliases: [`127.0.0.1:${port}`],
        },
      ],
    });
  });

  it('answers instance discovery for a foreign authority with invalid_instance AADSTS50049', async () => {
    const endpoint = encodeURIComponent('https://login.example.com/x/oauth2/v2.0/authorize');

    const { status, body } = await call(
      'GET',
      `/common/discovery/instance?authorization_endpoint=${endpoint}`,
    );

    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'invalid_instance', error_codes: [50049] });
  });
});

describe('POST /{tenant}/oauth2/v2.0/token', () => {
  it('answers a Bearer token with expires_in 3599 and no refresh token', async () => {
    const { status, headers, body } = await call('POST', tokenPath, { form: goodForm });

    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'ext_expires_in', 'token_type']);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599 });
    expect(headers['cache-control']).toContain('no-store');
  });

  it('accepts the client credentials as HTTP Basic', async () => {
    const basic = Buffer.from(`${APP.clientId}:${encodeURIComponent(APP.clientSecret)}`).toString('base64');

    const { status, body } = await call('POST', tokenPath, {
      form: { grant_type: 'client_credentials', scope: MONITOR },
      headers: { authorization: `Basic ${basic}` },
    });

    expect(status).toBe(200);
    expect(issuer.verify(String(body['access_token']))?.clientId).toBe(APP.clientId);
  });

  it('answers a bad secret in the Entra error shape, echoing the correlation id and not the secret', async () => {
    const correlationId = '12345678-1234-4234-8234-123456789abc';
    const wrong = 'not-the-secret-987';

    const { status, body, text } = await call('POST', `${tokenPath}?client-request-id=${correlationId}`, {
      form: { ...goodForm, client_secret: wrong },
    });

    expect(status).toBe(401);
    expect(Object.keys(body).sort()).toEqual([
      'correlation_id',
      'error',
      'error_codes',
      'error_description',
      'error_uri',
      'timestamp',
      'trace_id',
    ]);
    expect(body['error']).toBe('invalid_client');
    expect(body['error_codes']).toEqual([7000215]);
    expect(body['error_description']).toMatch(/^AADSTS7000215: Invalid client secret provided\. /);
    expect(body['error_description']).toContain(`\r\nCorrelation ID: ${correlationId}\r\n`);
    expect(body['correlation_id']).toBe(correlationId);
    expect(body['timestamp']).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
    expect(text).not.toContain(wrong);
  });

  const other = '00000000-0000-4000-8000-00000000dead';
  it.each([
    {
      case: 'an unknown tenant',
      path: `/${other}/oauth2/v2.0/token`,
      form: goodForm,
      status: 400,
      error: 'invalid_request',
      code: 90002,
    },
    {
      case: 'an unsupported grant',
      form: { ...goodForm, grant_type: 'password' },
      status: 400,
      error: 'unsupported_grant_type',
      code: 70003,
    },
    {
      case: 'no grant type',
      form: { ...goodForm, grant_type: '' },
      status: 400,
      error: 'invalid_request',
      code: 900144,
    },
    {
      case: 'no client id',
      form: { ...goodForm, client_id: '' },
      status: 400,
      error: 'invalid_request',
      code: 900144,
    },
    { case: 'no scope', form: { ...goodForm, scope: '' }, status: 400, error: 'invalid_scope', code: 70011 },
    {
      case: 'a scope of another resource',
      form: { ...goodForm, scope: 'https://graph.microsoft.com/.default' },
      status: 400,
      error: 'invalid_scope',
      code: 70011,
    },
    {
      case: 'a scope without /.default',
      form: { ...goodForm, scope: 'https://monitor.azure.com/Data.Write' },
      status: 400,
      error: 'invalid_scope',
      code: 70011,
    },
    {
      case: 'an unknown client',
      form: { ...goodForm, client_id: other },
      status: 400,
      error: 'unauthorized_client',
      code: 700016,
    },
    {
      case: 'no secret',
      form: { ...goodForm, client_secret: '' },
      status: 401,
      error: 'invalid_client',
      code: 7000216,
    },
    {
      case: 'a bad secret',
      form: { ...goodForm, client_secret: 'nope' },
      status: 401,
      error: 'invalid_client',
      code: 7000215,
    },
  ])('answers $case with $status $error AADSTS$code', async ({ path, form, status, error, code }) => {
    const answer = await call('POST', path ?? tokenPath, { form });

    expect(answer.status).toBe(status);
    expect(answer.body).toMatchObject({ error, error_codes: [code] });
    expect(answer.body['error_description']).toMatch(new RegExp(`^AADSTS${code}: `));
  });

  it('reads no parameters from a JSON body, as Entra reads only forms', async () => {
    const { status, body } = await call('POST', tokenPath, {
      body: JSON.stringify(goodForm),
      headers: { 'content-type': 'application/json' },
    });

    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'invalid_request', error_codes: [900144] });
  });

  it('keeps its form parser to its own routes', async () => {
    const { status } = await call('POST', '/outside', { form: { a: 'b' } });

    expect(status).toBe(415);
  });
});

describe('createTokenIssuer', () => {
  const start = Date.UTC(2030, 0, 1);
  const issuerAt = (clock: { now: number }): TokenIssuer =>
    createTokenIssuer({ tenantId: TENANT, issuerOrigin: 'https://127.0.0.1:4443', now: () => clock.now });

  it('verifies its own token until it expires', () => {
    const clock = { now: start };
    const tokens = issuerAt(clock);
    const { token, expiresIn } = tokens.issue(APP.clientId, MONITOR);

    clock.now = start + (expiresIn - 1) * 1000;
    expect(tokens.verify(token)).toEqual({
      clientId: APP.clientId,
      tenantId: TENANT,
      audience: 'https://monitor.azure.com',
      expiresAt: start + 3599 * 1000,
    });
  });

  it('rejects an expired token', () => {
    const clock = { now: start };
    const tokens = issuerAt(clock);
    const { token, expiresIn } = tokens.issue(APP.clientId, MONITOR);

    clock.now = start + expiresIn * 1000;

    expect(tokens.verify(token)).toBeUndefined();
  });

  it('rejects a token before its nbf', () => {
    const clock = { now: start };
    const tokens = issuerAt(clock);
    const { token } = tokens.issue(APP.clientId, MONITOR);

    clock.now = start - 1000;

    expect(tokens.verify(token)).toBeUndefined();
  });

  it('rejects a token whose claims were changed', () => {
    const tokens = createTokenIssuer({ tenantId: TENANT, issuerOrigin: 'https://127.0.0.1:4443' });
    const [header, payload, signature] = tokens.issue(APP.clientId, MONITOR).token.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    const forged = Buffer.from(JSON.stringify({ ...claims, aud: 'https://api.loganalytics.io' })).toString(
      'base64url',
    );

    expect(tokens.verify(`${header ?? ''}.${forged}.${signature ?? ''}`)).toBeUndefined();
  });

  it('rejects a token signed by another emulator process', () => {
    const other = createTokenIssuer({ tenantId: TENANT, issuerOrigin: 'https://127.0.0.1:4443' });
    const tokens = createTokenIssuer({ tenantId: TENANT, issuerOrigin: 'https://127.0.0.1:4443' });

    expect(tokens.verify(other.issue(APP.clientId, MONITOR).token)).toBeUndefined();
  });

  it('rejects every single-character change to a token', () => {
    const tokens = createTokenIssuer({ tenantId: TENANT, issuerOrigin: 'https://127.0.0.1:4443' });
    const { token } = tokens.issue(APP.clientId, MONITOR);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.'.split('');

    fc.assert(
      fc.property(fc.nat({ max: token.length - 1 }), fc.constantFrom(...alphabet), (index, replacement) => {
        fc.pre(token[index] !== replacement);
        const tampered = `${token.slice(0, index)}${replacement}${token.slice(index + 1)}`;
        expect(tokens.verify(tampered)).toBeUndefined();
      }),
    );
  });

  it('rejects arbitrary strings', () => {
    const tokens = createTokenIssuer({ tenantId: TENANT, issuerOrigin: 'https://127.0.0.1:4443' });

    fc.assert(
      fc.property(fc.string(), (value) => {
        expect(tokens.verify(value)).toBeUndefined();
      }),
    );
  });

  it('refuses to issue for a scope it does not serve', () => {
    const tokens = createTokenIssuer({ tenantId: TENANT, issuerOrigin: 'https://127.0.0.1:4443' });

    expect(() => tokens.issue(APP.clientId, 'https://graph.microsoft.com/.default')).toThrow(
      UnsupportedScopeError,
    );
  });

  it.each([
    { option: 'secret', override: { secret: new Uint8Array(16) }, why: 'a key shorter than 32 bytes' },
    { option: 'issuerOrigin', override: { issuerOrigin: 'http://127.0.0.1:4443' }, why: 'an http origin' },
    { option: 'issuerOrigin', override: { issuerOrigin: '127.0.0.1:4443' }, why: 'an origin that is no URL' },
    { option: 'lifetimeSeconds', override: { lifetimeSeconds: 0 }, why: 'a lifetime of 0' },
    { option: 'tenantId', override: { tenantId: ' ' }, why: 'a blank tenant' },
  ])('refuses $why, naming $option', ({ override, option }) => {
    const create = (): TokenIssuer =>
      createTokenIssuer({ tenantId: TENANT, issuerOrigin: 'https://127.0.0.1:4443', ...override });

    expect(create).toThrow(ConfigError);
    expect(create).toThrow(OtelSentinelError);
    expect(create).toThrow(expect.objectContaining({ code: 'E_TOKEN_ISSUER_CONFIG', option }) as Error);
  });
});

describe('audienceForScope', () => {
  it.each([
    ['https://monitor.azure.com/.default', 'https://monitor.azure.com'],
    ['https://monitor.azure.com//.default', 'https://monitor.azure.com'],
    ['HTTPS://Monitor.Azure.com/.default', 'https://monitor.azure.com'],
    ['https://monitor.azure.us/.default', 'https://monitor.azure.us'],
    ['https://monitor.azure.cn/.default', 'https://monitor.azure.cn'],
    ['https://api.loganalytics.io/.default', 'https://api.loganalytics.io'],
  ])('maps %s to the audience %s', (scope, audience) => {
    expect(audienceForScope(scope)).toBe(audience);
  });

  it.each([
    'https://graph.microsoft.com/.default',
    'https://monitor.azure.com',
    'https://monitor.azure.com/.default openid',
    'https://monitor.azure.com.evil.example/.default',
    '',
  ])('issues nothing for %j', (scope) => {
    expect(audienceForScope(scope)).toBeUndefined();
  });
});
