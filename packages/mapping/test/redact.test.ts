import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  createRedactor,
  newRedactionCounts,
  SECRET_KINDS,
  UnknownSecretKindError,
  type RedactionCounts,
  type SecretKind,
} from '../src/redact.js';
import { isSensitiveKey } from '../src/sensitive-keys.js';

const redactor = createRedactor();

function redactCounting(text: string): { out: string; counts: RedactionCounts } {
  const counts = newRedactionCounts();
  return { out: redactor.redact(text, counts), counts };
}

function total(counts: RedactionCounts): number {
  return SECRET_KINDS.reduce((sum, kind) => sum + counts[kind], 0);
}

// Fake but well-formed secrets. None of them is live.
const JWT_HS =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const JWT_RS =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6Im5PbzNaRHJPRFhFSzFqS1doWHNsSFJfS1hFZyIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJhcGk6Ly9vcmRlcnMiLCJpc3MiOiJodHRwczovL2xvZ2luLm1pY3Jvc29mdG9ubGluZS5jb20vNzJmOTg4YmYtODZmMS00MWFmLTkxYWItMmQ3Y2QwMTFkYjQ3L3YyLjAiLCJzdWIiOiJqb2Vib2IxIn0.AHPsJm1PtK2_PRBKpxT58RAy_Yq22IKfxAtSyG9khdeSjMLr1GRvP-PzdL4R2QW_S-J1-obziJ2CqffcXkHdMg';
const JWT_NONE = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.';
const STORAGE_KEY =
  'Z8JnVXw04zKEDV3naouySrICuaHPlXBkDhH5JFUPeuZvKuXyLTibwcLHLd07mU08zCcCVR1aG5ZuNHUC+Zgdzw==';
const STORAGE_KEY_2 =
  'qSppkmvLlp4RbfrG1ROfqCPoEN8pCLm0ZZRyoyRPis5asMv9Uw+ijIV2mzwrb6MkDIxypGyEGajqGjp/KS4NmQ==';
const SERVICE_BUS_KEY = '8JsVpdur4sKPRSJ1vD4JgX6Skk1TQ3tIekP+oqYaF6o=';
const GHP = 'ghp_3TnJIEXbTOneQTvfSWNvbBz7c9kq5m5OAMGW';
const GHS = 'ghs_zZKi61wJtnzQZcrvmKe7jkBiYwuyx1kAaT2v';
const GHO = 'gho_wAZ1pj9vjYDQDW2REnpFhCURyMbFR8ay52Kw';
const GITHUB_PAT =
  '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';
const ENTRA_1 = 'YrT5Q~0CL_3kI5WEAU.2Su9WA9gvuVNp9vh-x4d1';
const ENTRA_2 = 'Ida6Q~92J4Cx0~StZp2l2XpVxkIwUOU4JMLuX0Ku';
const ENTRA_3 = 'xdN7Q~LXUFfSJIMaIBT11DwMF.i6aZiHA0gHeKog';
const RSA_BODY = 'MIIEpAIBAAKCAQEA7v3QzJ1mX0q8wLqkVtQ2Gm3oUdW0bYkE5yJ7s9nHf4aT1cR8';
const EC_BODY = 'MHcCAQEEIBkgPzK0n3mYw7qL1vXb2s8tFz9uR4eJ6hG0aD5cQ3oAoGCCqGSM49';
const SSH_BODY = 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW';
const PKCS8_BODY = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDf2lq0Xb7';
const ENCRYPTED_BODY = 'MIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQIq8Vb3N1mYkQCAggA';

interface SecretCase {
  readonly text: string;
  readonly kind: SecretKind;
  readonly count: number;
  /** Text that must not survive redaction. */
  readonly secrets: readonly string[];
}

const SECRETS: readonly SecretCase[] = [
  // jwt
  { text: `User session token ${JWT_HS} was accepted`, kind: 'jwt', count: 1, secrets: [JWT_HS] },
  { text: `Authorization: Bearer ${JWT_RS}`, kind: 'jwt', count: 1, secrets: [JWT_RS] },
  { text: `{"id_token":"${JWT_NONE}","state":"af0ifjsldkj"}`, kind: 'jwt', count: 1, secrets: [JWT_NONE] },
  { text: `GET /callback?access_token=${JWT_HS}&expires_in=3600`, kind: 'jwt', count: 1, secrets: [JWT_HS] },
  { text: `old=${JWT_NONE} new=${JWT_RS}`, kind: 'jwt', count: 2, secrets: [JWT_NONE, JWT_RS] },
  // bearer
  {
    text: 'Authorization: Bearer 0b79bab50daca910b000d4f1a2b675d604257e42',
    kind: 'bearer',
    count: 1,
    secrets: ['0b79bab50daca910b000d4f1a2b675d604257e42'],
  },
  {
    text: 'curl -H "Authorization: bearer a0AfH6SMBx3-Kq9_Zt2pLmN0vWx.k7" https://api.contoso.com/v1/userinfo',
    kind: 'bearer',
    count: 1,
    secrets: ['a0AfH6SMBx3-Kq9_Zt2pLmN0vWx.k7'],
  },
  {
    text: 'upstream request failed: BEARER mF_9.B5f-4.1JqM retry=2',
    kind: 'bearer',
    count: 1,
    secrets: ['mF_9.B5f-4.1JqM'],
  },
  {
    text: '{"headers":{"authorization":"Bearer Q2xpZW50VG9rZW4xMjM0NTY3ODkw"}}',
    kind: 'bearer',
    count: 1,
    secrets: ['Q2xpZW50VG9rZW4xMjM0NTY3ODkw'],
  },
  // basic-auth
  {
    text: 'Authorization: Basic dXNlcjpwYXNzd29yZA==',
    kind: 'basic-auth',
    count: 1,
    secrets: ['dXNlcjpwYXNzd29yZA=='],
  },
  {
    text: 'Proxy-Authorization: basic am9lYm9iMTpodW50ZXIy',
    kind: 'basic-auth',
    count: 1,
    secrets: ['am9lYm9iMTpodW50ZXIy'],
  },
  {
    text: 'request headers: {"Authorization":"Basic YWRtaW46UzNjcjN0IQ=="}',
    kind: 'basic-auth',
    count: 1,
    secrets: ['YWRtaW46UzNjcjN0IQ=='],
  },
  // azure-key
  {
    text: `DefaultEndpointsProtocol=https;AccountName=contosologs;AccountKey=${STORAGE_KEY};EndpointSuffix=core.windows.net`,
    kind: 'azure-key',
    count: 1,
    secrets: [STORAGE_KEY],
  },
  {
    text: `Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${SERVICE_BUS_KEY}`,
    kind: 'azure-key',
    count: 1,
    secrets: [SERVICE_BUS_KEY],
  },
  {
    text: 'download https://contoso.blob.core.windows.net/reports/q3.pdf?sv=2022-11-02&ss=b&srt=o&sp=r&se=2025-01-01T00:00:00Z&spr=https&sig=N6rW2YdKx0%2FqT3pLh8vZbC1mE5sJ9uA4oI7gF2kD0e%3D failed',
    kind: 'azure-key',
    count: 1,
    secrets: ['N6rW2YdKx0%2FqT3pLh8vZbC1mE5sJ9uA4oI7gF2kD0e%3D'],
  },
  { text: `rotated storage key: ${STORAGE_KEY_2}`, kind: 'azure-key', count: 1, secrets: [STORAGE_KEY_2] },
  {
    text: 'SharedAccessSignature=sv=2021-06-08&ss=q&srt=sco&sp=rwdlacup&se=2024-06-01T00:00:00Z&sig=abcDEF123%2B456ghiJKL789mno%3D;QueueEndpoint=https://contoso.queue.core.windows.net/',
    kind: 'azure-key',
    count: 1,
    secrets: ['abcDEF123%2B456ghiJKL789mno%3D'],
  },
  // url-credentials
  {
    text: 'connecting to postgres://app:S3cr3t!@db.internal:5432/app',
    kind: 'url-credentials',
    count: 1,
    secrets: ['S3cr3t!'],
  },
  {
    text: 'fetching https://joe:hunter2@example.com/private/repo.git',
    kind: 'url-credentials',
    count: 1,
    secrets: ['hunter2'],
  },
  {
    text: 'REDIS_URL=redis://:p4ssw0rd-9x@cache.internal:6379/0',
    kind: 'url-credentials',
    count: 1,
    secrets: ['p4ssw0rd-9x'],
  },
  {
    text: '{"broker":"amqp://svc-orders:Tr0ub4dor&3@rabbitmq.prod:5672/vhost","prefetch":10}',
    kind: 'url-credentials',
    count: 1,
    secrets: ['Tr0ub4dor&3'],
  },
  {
    text: 'mongodb+srv://admin:p@ss:w0rd@cluster0.mongodb.net/orders',
    kind: 'url-credentials',
    count: 1,
    secrets: ['p@ss:w0rd'],
  },
  // private-key
  {
    text: `loaded key -----BEGIN RSA PRIVATE KEY-----\n${RSA_BODY}\n-----END RSA PRIVATE KEY----- from vault`,
    kind: 'private-key',
    count: 1,
    secrets: [RSA_BODY],
  },
  {
    text: `-----BEGIN EC PRIVATE KEY-----\n${EC_BODY}\n-----END EC PRIVATE KEY-----\n`,
    kind: 'private-key',
    count: 1,
    secrets: [EC_BODY],
  },
  {
    text: `id_ed25519:\n-----BEGIN OPENSSH PRIVATE KEY-----\n${SSH_BODY}\n-----END OPENSSH PRIVATE KEY-----`,
    kind: 'private-key',
    count: 1,
    secrets: [SSH_BODY],
  },
  {
    text: `{"key":"-----BEGIN PRIVATE KEY-----\\n${PKCS8_BODY}\\n-----END PRIVATE KEY-----\\n"}`,
    kind: 'private-key',
    count: 1,
    secrets: [PKCS8_BODY],
  },
  {
    text: `truncated: -----BEGIN ENCRYPTED PRIVATE KEY-----\n${ENCRYPTED_BODY}`,
    kind: 'private-key',
    count: 1,
    secrets: [ENCRYPTED_BODY],
  },
  // card
  {
    text: 'payment declined for card 4111 1111 1111 1111 (visa)',
    kind: 'card',
    count: 1,
    secrets: ['4111 1111 1111 1111'],
  },
  { text: 'pan=5500-0000-0000-0004 exp=12/27', kind: 'card', count: 1, secrets: ['5500-0000-0000-0004'] },
  {
    text: '{"card_number":"378282246310005","cvv":"123"}',
    kind: 'card',
    count: 1,
    secrets: ['378282246310005'],
  },
  {
    text: 'Charge 6011111111111117 failed: insufficient funds',
    kind: 'card',
    count: 1,
    secrets: ['6011111111111117'],
  },
  {
    text: 'retry card 4012888888881881, then 5105105105105100',
    kind: 'card',
    count: 2,
    secrets: ['4012888888881881', '5105105105105100'],
  },
  { text: 'legacy Visa 4222222222222 accepted', kind: 'card', count: 1, secrets: ['4222222222222'] },
  { text: 'UnionPay 6220000000000000016 settled', kind: 'card', count: 1, secrets: ['6220000000000000016'] },
  // aws-key
  {
    text: 'aws_access_key_id=AKIAIOSFODNN7EXAMPLE',
    kind: 'aws-key',
    count: 1,
    secrets: ['AKIAIOSFODNN7EXAMPLE'],
  },
  {
    text: '{"AccessKeyId":"ASIAMX7OA6N7RS2XJY5M","Expiration":"2024-01-15T12:00:00Z"}',
    kind: 'aws-key',
    count: 1,
    secrets: ['ASIAMX7OA6N7RS2XJY5M'],
  },
  {
    text: 'export AWS_ACCESS_KEY_ID=AKIA2E0A8F3B244C9986 && aws s3 ls',
    kind: 'aws-key',
    count: 1,
    secrets: ['AKIA2E0A8F3B244C9986'],
  },
  // github-token
  {
    text: `git remote set-url origin https://x-access-token:${GHS}@github.com/contoso/api.git`,
    kind: 'github-token',
    count: 1,
    secrets: [GHS],
  },
  { text: `GITHUB_TOKEN=${GHP}`, kind: 'github-token', count: 1, secrets: [GHP] },
  { text: `oauth token "${GHO}" revoked by user`, kind: 'github-token', count: 1, secrets: [GHO] },
  { text: `using ${GITHUB_PAT} for the release job`, kind: 'github-token', count: 1, secrets: [GITHUB_PAT] },
  // entra-secret
  { text: `client secret created: ${ENTRA_1}`, kind: 'entra-secret', count: 1, secrets: [ENTRA_1] },
  { text: `AZURE_CLIENT_SECRET=${ENTRA_2}`, kind: 'entra-secret', count: 1, secrets: [ENTRA_2] },
  { text: `The new secret is ${ENTRA_3}. Store it now.`, kind: 'entra-secret', count: 1, secrets: [ENTRA_3] },
  // password-field
  {
    text: 'GET /login?user=joe&password=hunter2&next=%2Fhome HTTP/1.1',
    kind: 'password-field',
    count: 1,
    secrets: ['hunter2'],
  },
  {
    text: 'db connect: Server=sql01;Database=orders;User Id=app;pwd=Tr0ub4dor;',
    kind: 'password-field',
    count: 1,
    secrets: ['Tr0ub4dor'],
  },
  {
    text: 'backup job ran: PGPASSWORD=Qw3rty!234 pg_dump -U app orders',
    kind: 'password-field',
    count: 1,
    secrets: ['Qw3rty!234'],
  },
  {
    text: '{"username":"joebob1","password":"correct horse battery staple"}',
    kind: 'password-field',
    count: 1,
    secrets: ['correct horse battery staple'],
  },
  {
    text: 'POST /oauth2/token grant_type=client_credentials&client_id=abc&client_secret=s3cr3tValue42',
    kind: 'secret-field',
    count: 1,
    secrets: ['s3cr3tValue42'],
  },
  {
    text: 'config api_key=9f8e7d6c5b4a3210 apikey=a1b2c3d4e5f6',
    kind: 'secret-field',
    count: 2,
    secrets: ['9f8e7d6c5b4a3210', 'a1b2c3d4e5f6'],
  },
  {
    text: 'access_token="opaque-token-value" scope=read',
    kind: 'secret-field',
    count: 1,
    secrets: ['opaque-token-value'],
  },
  { text: "ldap bind passwd='letmein' failed", kind: 'password-field', count: 1, secrets: ['letmein'] },
];

const PROSE: readonly string[] = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.109 Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
  'curl/8.4.0',
  'Connection from 203.0.113.42:51234 to 10.0.0.5:443 established',
  'IPv6 peer 2001:db8:85a3::8a2e:370:7334 port 8443',
  '2024-01-15T10:23:45.123Z INFO request completed in 12ms',
  'timestamp=1700000000000 level=info msg="heartbeat"',
  'trace 4bf92f3577b34da6a3ce929d0e0e4736 span 00f067aa0ba902b7',
  'request id 550e8400-e29b-41d4-a716-446655440000',
  'https://contoso.com/products?id=42&sort=price#reviews',
  'https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=6731de76-14a6-49ae-97bc-6eba6914391e&response_type=code&scope=openid',
  'order ORD-2024-000187532 shipped',
  'order 4000123456789010 created',
  'Call +1 (555) 010-4477 or +44 20 7946 0958',
  'Phone 555-867-5309, fax 555-867-5310',
  'sha256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  'payload dGVzdA== decoded',
  'greeting aGVsbG8gd29ybGQ= received',
  'authn_login_fail:joebob1',
  'authn_login_successafterfail:joebob1,2',
  'authz_fail:joebob1,resource',
  'authn_token_revoked:joebob1,xyz123',
  'authn_password_change:joebob1',
  'session_created:joebob1',
  'User joebob1 changed their password',
  'password: please reset it',
  'the password was changed by the administrator',
  'Password reset link sent to joe@example.com',
  'Bearer token missing from request',
  'Bearer authentication failed for client app-42',
  'Basic information about the account',
  'Basic authentication is disabled for this tenant',
  'API key rotated for tenant contoso',
  'token expired at 2024-01-15T10:00:00Z, please sign in again',
  'AccountKey rotation is scheduled for Friday',
  'signature check failed (sig mismatch) for message 42',
  'token_count=1532 model=gpt-4',
  'password_changed=true user.id=42',
  '{"user":"joebob1","action":"login","result":"failure","password_changed":false}',
  'EventID 4625: An account failed to log on. Logon Type: 3',
  'PWD=/home/joebob1 SHELL=/bin/bash',
  'process started cwd ok pwd=/srv/app uid=1000',
  'GET /api/v1/users/42?include=roles HTTP/1.1 200 532',
  'Travel to Asia was approved',
  'ghost_user not found',
  'script integrity sha512-XsRJ/hjz6Fv89xFr2w3GNY/2CrOKZ7R3S56jQ/vys+EcMTT58J4OBmtSKF2Vwh6Zrp+e2tbrwJ83SOZpsqDVgw==',
  'latency 0.30000000000000004 s',
  'clone ssh://git@github.com/contoso/api.git',
  'mailto:joe@example.com',
  'WWW-Authenticate: Bearer realm="api", error="invalid_token"',
  'SigninLogs | where ResultType == 0',
  'build 20240115.3 deployed to westeurope',
  'ticket 1234567890123456789012 closed',
];

describe('createRedactor', () => {
  it.each(SECRETS)('redacts $kind in "$text"', ({ text, kind, count, secrets }) => {
    const { out, counts } = redactCounting(text);
    for (const secret of secrets) expect(out).not.toContain(secret);
    expect(out).toContain(`[REDACTED:${kind}]`);
    expect(counts[kind]).toBe(count);
    expect(total(counts)).toBe(count);
  });

  it.each(SECRETS)(
    'finds $kind with a redactor built for that kind alone: "$text"',
    ({ text, kind, secrets }) => {
      const out = createRedactor([kind]).redact(text);
      for (const secret of secrets) expect(out).not.toContain(secret);
    },
  );

  it('has a corpus of at least 40 secrets covering the first eleven kinds and secret-field', () => {
    // Every other kind has its cases in secret-kinds.test.ts.
    expect(SECRETS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(SECRETS.map((c) => c.kind))).toEqual(
      new Set([...SECRET_KINDS.slice(0, 11), 'secret-field']),
    );
  });

  it.each(PROSE)('returns ordinary text unchanged: "%s"', (text) => {
    const { out, counts } = redactCounting(text);
    expect(out).toBe(text);
    expect(total(counts)).toBe(0);
  });

  it('has a corpus of at least 40 ordinary lines', () => {
    expect(PROSE.length).toBeGreaterThanOrEqual(40);
  });

  it('keeps the prefix that says what the secret was', () => {
    expect(redactor.redact('Authorization: Bearer 0b79bab50daca910b000d4f1a2b675d6')).toBe(
      'Authorization: Bearer [REDACTED:bearer]',
    );
    expect(redactor.redact('Authorization: Basic dXNlcjpwYXNzd29yZA==')).toBe(
      'Authorization: Basic [REDACTED:basic-auth]',
    );
    expect(redactor.redact(`AccountName=a;AccountKey=${STORAGE_KEY};x=y`)).toBe(
      'AccountName=a;AccountKey=[REDACTED:azure-key];x=y',
    );
    expect(redactor.redact('https://joe:hunter2@example.com/x')).toBe(
      'https://joe:[REDACTED:url-credentials]@example.com/x',
    );
    expect(redactor.redact('password=hunter2&next=1')).toBe('password=[REDACTED:password-field]&next=1');
    expect(redactor.redact('{"password":"hunter2"}')).toBe('{"password":"[REDACTED:password-field]"}');
  });

  it('ends a URL password at the @ that only a host can follow, whatever the password holds', () => {
    expect(redactor.redact('DATABASE_URL=postgres://app:p@ss/w0rd#x9Lq@db.internal:5432/orders')).toBe(
      'DATABASE_URL=postgres://app:[REDACTED:url-credentials]@db.internal:5432/orders',
    );
    expect(redactor.redact('postgres://app:p@ss@db/app')).toBe(
      'postgres://app:[REDACTED:url-credentials]@db/app',
    );
    expect(redactor.redact('https://bot:Zx9qL2wE@api.example.com/v1?notify=ops@example.com')).toBe(
      'https://bot:[REDACTED:url-credentials]@api.example.com/v1?notify=ops@example.com',
    );
  });

  it('takes a bearer token only where it ends, not a key=value after the word bearer', () => {
    expect(redactor.redact('token_type=bearer expires_in=3600')).toBe('token_type=bearer expires_in=3600');
    expect(redactor.redact('Authorization: bearer AbC123xYz+/9=')).toBe(
      'Authorization: bearer [REDACTED:bearer]',
    );
  });

  it('keeps an IBAN printed in groups, whose digits may pass the Luhn check', () => {
    expect(redactor.redact('refund to IBAN DE44 5001 0517 5407 3249 31 scheduled')).toBe(
      'refund to IBAN DE44 5001 0517 5407 3249 31 scheduled',
    );
    expect(redactor.redact('card 4111 1111 1111 1111 declined')).toBe('card [REDACTED:card] declined');
  });

  it('replaces a private key with its armour lines as one marker', () => {
    expect(
      redactor.redact(`a -----BEGIN RSA PRIVATE KEY-----\n${RSA_BODY}\n-----END RSA PRIVATE KEY----- b`),
    ).toBe('a [REDACTED:private-key] b');
  });

  it('still redacts a value that only starts like a marker', () => {
    expect(redactor.redact('password=[REDACTED:card]hunter2')).toBe('password=[REDACTED:password-field]');
  });

  it('leaves numbers that fail the Luhn check alone', () => {
    for (const text of ['4111 1111 1111 1112', '1700000000000', 'order 5500000000000005']) {
      expect(redactor.redact(text)).toBe(text);
    }
  });

  it('does not take a card number out of a longer digit run or a decimal fraction', () => {
    for (const text of ['94111111111111111', '41111111111111110000', 'x=0.4111111111111111']) {
      expect(redactor.redact(text)).toBe(text);
    }
  });

  it('finds a grouped card that is followed by another number', () => {
    const out = redactor.redact('card 5500 0000 0000 0004 12 times');
    expect(out).not.toContain('5500 0000 0000 0004');
    expect(out.startsWith('card [REDACTED:card]')).toBe(true);
  });

  it('does not take an Entra secret out of a longer token', () => {
    const text = `ref=x${ENTRA_1}abc`;
    expect(redactor.redact(text)).toBe(text);
  });

  it('counts each kind in a line that holds several', () => {
    const { counts } = redactCounting(`user=joe password=hunter2 card=4111111111111111 key=${GHP}`);
    expect(counts).toEqual({ ...newRedactionCounts(), 'password-field': 1, card: 1, 'github-token': 1 });
  });

  it('adds to the counts it is given', () => {
    const counts = newRedactionCounts();
    redactor.redact(`a ${JWT_HS}`, counts);
    redactor.redact(`b ${JWT_NONE}`, counts);
    expect(counts.jwt).toBe(2);
  });

  it('works without counts', () => {
    expect(redactor.redact(`t=${JWT_HS}`)).toBe('t=[REDACTED:jwt]');
  });

  it('looks only for the kinds it was built with: a JWT redactor leaves a card alone', () => {
    const jwtOnly = createRedactor(['jwt']);
    const text = `card 4111 1111 1111 1111 token ${JWT_HS}`;
    expect(jwtOnly.redact(text)).toBe('card 4111 1111 1111 1111 token [REDACTED:jwt]');
    expect(jwtOnly.kinds).toEqual(['jwt']);
  });

  it('redacts nothing when built with no kinds', () => {
    const none = createRedactor([]);
    const text = `password=hunter2 ${JWT_HS}`;
    expect(none.redact(text)).toBe(text);
  });

  it('redacts api_key, client_secret and access_token values for a list that names only password-field', () => {
    const legacy = createRedactor(['password-field']);
    expect(legacy.kinds).toEqual(['password-field', 'secret-field']);
    expect(legacy.redact('client_secret=s3cr3tValue42&api_key=9f8e7d6c5b4a3210')).toBe(
      'client_secret=[REDACTED:secret-field]&api_key=[REDACTED:secret-field]',
    );
  });

  it('lists its kinds in SECRET_KINDS order, without duplicates', () => {
    expect(createRedactor(['card', 'jwt', 'card']).kinds).toEqual(['jwt', 'card']);
    expect(createRedactor().kinds).toEqual(SECRET_KINDS);
  });

  it('rejects a kind it does not know with a coded error', () => {
    const kinds = ['jwt', 'ssn'] as unknown as SecretKind[];
    expect(() => createRedactor(kinds)).toThrow(UnknownSecretKindError);
    expect(() => createRedactor(kinds)).toThrow(/unknown secret kind "ssn"/);
    try {
      createRedactor(kinds);
    } catch (error) {
      expect(error).toMatchObject({ code: 'E_UNKNOWN_SECRET_KIND', kind: 'ssn' });
    }
  });
});

describe('createRedactor properties', () => {
  const lower = 'abcdefghijklmnopqrstuvwxyz';
  const alnumSpace = `${lower}${lower.toUpperCase()}0123456789 `;
  // What could make random letters, digits and spaces look like a secret.
  const TRIGGERS = /[2-6](?:[ -]?\d){12}|bearer|basic|akia|asia/i;
  const randomText = fc.string({ unit: fc.constantFrom(...Array.from(alnumSpace)), maxLength: 200 });
  const lowerText = fc.string({ unit: fc.constantFrom(...Array.from(`${lower} `)), maxLength: 40 });

  it('returns random letters, digits and spaces without trigger patterns unchanged', () => {
    fc.assert(
      fc.property(
        randomText.filter((s) => !TRIGGERS.test(s)),
        (s) => {
          const { out, counts } = redactCounting(s);
          expect(out).toBe(s);
          expect(total(counts)).toBe(0);
        },
      ),
    );
  });

  it('returns sentences about passwords, tokens and keys unchanged', () => {
    const word = fc.oneof(
      fc.constantFrom(
        'password',
        'Password',
        'token',
        'Bearer',
        'Basic',
        'key',
        'secret',
        'AccountKey',
        'api',
        'login',
        'failed',
        'for',
        'user',
        'reset',
        'the',
        'was',
        'changed',
        'authentication',
        'information',
        'password:',
        'token:',
        'sig',
      ),
      fc.nat({ max: 999 }).map(String),
    );
    fc.assert(
      fc.property(fc.array(word, { maxLength: 20 }), (words) => {
        const s = words.join(' ');
        expect(redactor.redact(s)).toBe(s);
      }),
    );
  });

  const luhnCard = fc
    .tuple(
      fc.integer({ min: 2, max: 6 }),
      fc
        .integer({ min: 13, max: 19 })
        .chain((length) =>
          fc.array(fc.integer({ min: 0, max: 9 }), { minLength: length - 2, maxLength: length - 2 }),
        ),
      fc.constantFrom('', ' ', '-'),
    )
    .map(([first, middle, separator]) => {
      const digits = [first, ...middle];
      const card = [...digits, luhnCheckDigit(digits)].join('');
      return separator === '' ? card : (card.match(/.{1,4}/g) ?? []).join(separator);
    });

  it('always redacts a valid card number embedded in text', () => {
    fc.assert(
      fc.property(lowerText, luhnCard, lowerText, (left, card, right) => {
        const { out, counts } = redactCounting(`${left} ${card} ${right}`);
        expect(out).not.toContain(card);
        expect(counts.card).toBe(1);
      }),
    );
  });

  const base64url = (text: string | Uint8Array): string => Buffer.from(text).toString('base64url');
  const jwt = fc
    .tuple(
      fc.record({ alg: fc.constantFrom('HS256', 'RS256', 'ES256', 'none'), typ: fc.constant('JWT') }),
      fc.record({ sub: fc.string(), iat: fc.nat() }),
      fc.uint8Array({ maxLength: 64 }),
    )
    .map(
      ([header, payload, signature]) =>
        `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}.${base64url(signature)}`,
    );

  it('always redacts a JWT embedded in text', () => {
    fc.assert(
      fc.property(lowerText, jwt, lowerText, (left, token, right) => {
        const { out, counts } = redactCounting(`${left} ${token} ${right}`);
        expect(out).not.toContain(token);
        expect(counts.jwt).toBe(1);
      }),
    );
  });

  it('changes nothing when run on its own output', () => {
    // Pieces of secrets and their surroundings, so fragments can meet in awkward ways.
    const piece = fc.constantFrom(
      'password=',
      '"password":"',
      'Bearer ',
      'Basic ',
      'AccountKey=',
      '?sig=',
      '==',
      '://u:',
      '@',
      '4111',
      '-----BEGIN RSA PRIVATE KEY-----',
      '-----END RSA PRIVATE KEY-----',
      'eyJ',
      '.',
      'AKIA',
      '8Q~',
      '[REDACTED:card]',
    );
    const fragment = fc.oneof(
      fc.constantFrom(...SECRETS.map((c) => c.text), ...PROSE),
      piece,
      randomText,
      fc.string({ unit: 'binary', maxLength: 30 }),
      luhnCard,
      jwt,
    );
    const line = fc
      .tuple(fc.array(fragment, { maxLength: 8 }), fc.constantFrom(' ', '\n', '&', ';', '"', ''))
      .map(([parts, separator]) => parts.join(separator));
    fc.assert(
      fc.property(line, (s) => {
        const once = redactor.redact(s);
        const { out, counts } = redactCounting(once);
        expect(out).toBe(once);
        expect(total(counts)).toBe(0);
      }),
    );
  });
});

function luhnCheckDigit(digits: readonly number[]): number {
  // Double every second digit counting from the right, where the check digit will sit.
  let sum = 0;
  for (let i = digits.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = digits[i] ?? 0;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

describe('isSensitiveKey', () => {
  it.each([
    'password',
    'Password',
    'passwd',
    'pwd',
    'secret',
    'client_secret',
    'clientSecret',
    'token',
    'access_token',
    'refresh_token',
    'id_token',
    'api_key',
    'apikey',
    'api-key',
    'API_KEY',
    'authorization',
    'Authorization',
    'cookie',
    'set-cookie',
    'x-api-key',
    'private_key',
    'connection_string',
    'http.request.header.authorization',
    'http.response.header.set-cookie',
    'http.request.header.x-api-key',
    'db.password',
    'db.connection_string',
    'db_password',
    'DB_PASSWORD',
    'dbPassword',
    'github_token',
    'awsSecretAccessKey',
    'aws_secret_access_key',
    'AccountKey',
    'passphrase',
    'http.request.header.proxy-authorization',
  ])('treats %s as a secret key', (key) => {
    expect(isSensitiveKey(key)).toBe(true);
  });

  it.each([
    'token_count',
    'password_changed',
    'user.id',
    'session.id',
    'password.policy',
    'secret_name',
    'tokens',
    'passwordless',
    'api_key_id',
    'cookie_consent',
    'http.request.header.content-type',
    'authorization.result',
    'enduser.id',
    'aws_access_key_id',
    'token_type',
    'password_expires_at',
    'primary_key',
    'monkey',
    '',
    'a.very.long.attribute.name.that.is.not.a.secret.at.all.connection_string_length',
  ])('does not treat %s as a secret key', (key) => {
    expect(isSensitiveKey(key)).toBe(false);
  });
});
