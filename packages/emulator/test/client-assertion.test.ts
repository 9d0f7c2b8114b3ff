// The checks of a client assertion, one refusal each, with JWTs signed here by real keys: what
// Entra answers for a certificate assertion and for a federated (workload identity) token.
import { createHash, createPrivateKey, generateKeyPairSync, sign, X509Certificate } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAppCredentials } from '../src/entra/app-credentials.js';
import type { AppCredentials } from '../src/entra/app-credentials.js';
import type { AssertionKeys } from '../src/entra/client-assertion.js';
import { assertionKeys, checkClientAssertion } from '../src/entra/client-assertion.js';

const CLIENT = '00000000-0000-4000-8000-0000000000bb';
const ENDPOINT = 'https://127.0.0.1:4443/00000000-0000-4000-8000-0000000000aa/oauth2/v2.0/token';
const APP = { clientId: CLIENT, clientSecret: 'unused', displayName: 'assertion test app' };

let dir: string;
let credentials: AppCredentials;
let keys: AssertionKeys;
let certificateKeyPem: string;
let sha256: string;
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emulator-assertion-'));
  credentials = await ensureAppCredentials(dir, {
    tenantId: '00000000-0000-4000-8000-0000000000aa',
    workspaceId: '00000000-0000-4000-8000-0000000000cc',
    apps: [APP],
    dcrs: new Map(),
    tables: new Map(),
  });
  const app = credentials.catalog.apps[0];
  if (app === undefined) throw new Error('no app');
  keys = assertionKeys(app);
  const pem = readFileSync(credentials.certificatePath ?? '', 'utf8');
  certificateKeyPem = pem.slice(pem.indexOf('-----BEGIN PRIVATE KEY-----'));
  sha256 = createHash('sha256').update(new X509Certificate(pem).raw).digest('base64url');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function jwt(header: object, payload: object, keyPem: string): string {
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const content = `${encode(header)}.${encode(payload)}`;
  return `${content}.${sign('sha256', Buffer.from(content), createPrivateKey(keyPem)).toString('base64url')}`;
}

function certificateAssertion(claims: Record<string, unknown> = {}, keyPem = certificateKeyPem): string {
  return jwt(
    { alg: 'RS256', typ: 'JWT', 'x5t#S256': sha256 },
    { aud: ENDPOINT, iss: CLIENT, sub: CLIENT, nbf: now(), exp: now() + 600, jti: 'j', ...claims },
    keyPem,
  );
}

const check = (assertion: string) =>
  checkClientAssertion(assertion, keys, { clientId: CLIENT, tokenEndpoint: ENDPOINT, nowSeconds: now() });

describe('a certificate assertion', () => {
  it('is accepted when signed by the registered certificate for this endpoint and app', () => {
    expect(check(certificateAssertion())).toBeUndefined();
  });

  it('is refused with AADSTS700021 when it names another app', () => {
    expect(check(certificateAssertion({ iss: 'someone-else', sub: 'someone-else' }))?.code).toBe(700021);
  });

  it('is refused with AADSTS700027 when made for another token endpoint', () => {
    expect(
      check(certificateAssertion({ aud: 'https://login.microsoftonline.com/x/oauth2/v2.0/token' }))?.code,
    ).toBe(700027);
  });

  it('is refused with AADSTS700027 when another key made the signature', () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    expect(check(certificateAssertion({}, other))).toMatchObject({
      code: 700027,
      description: expect.stringMatching(/invalid signature/),
    });
  });

  it('is refused with AADSTS700024 once expired beyond the clock skew', () => {
    expect(check(certificateAssertion({ exp: now() - 301 }))?.code).toBe(700024);
  });

  it('is refused with AADSTS50027 when it is not a JWT', () => {
    expect(check('not-a-jwt')?.code).toBe(50027);
  });
});

describe('a federated token', () => {
  it('is accepted from the trusted issuer for the trusted subject and audience', () => {
    expect(check(credentials.workloadIssuer.serviceAccountToken())).toBeUndefined();
  });

  it('is refused with AADSTS700211 from another issuer', () => {
    expect(
      check(credentials.workloadIssuer.serviceAccountToken({ issuer: 'https://evil.example' }))?.code,
    ).toBe(700211);
  });

  it('is refused with AADSTS700212 for another audience', () => {
    expect(check(credentials.workloadIssuer.serviceAccountToken({ audience: 'api://other' }))?.code).toBe(
      700212,
    );
  });

  it('is refused with AADSTS700213 for a subject that differs only in case', () => {
    const subject = credentials.workloadIssuer.subject.toUpperCase();
    expect(check(credentials.workloadIssuer.serviceAccountToken({ subject }))?.code).toBe(700213);
  });

  it('is refused with AADSTS700027 when signed by a key the issuer does not have', () => {
    const { issuer, subject, audience } = credentials.workloadIssuer;
    const forged = jwt(
      { alg: 'RS256' },
      { iss: issuer, sub: subject, aud: audience, exp: now() + 600 },
      certificateKeyPem,
    );
    expect(check(forged)?.code).toBe(700027);
  });

  it('is refused with AADSTS700024 when expired', () => {
    expect(check(credentials.workloadIssuer.serviceAccountToken({ lifetimeSeconds: -400 }))?.code).toBe(
      700024,
    );
  });
});
