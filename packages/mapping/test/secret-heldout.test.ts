// A held-out check of redaction, written by hand apart from the secret corpus and without looking
// at it or at the detectors: secrets in contexts of their own (log lines, headers, command lines,
// env, JSON, YAML, URLs) and harmless look-alikes. Every secret must lose every 8-character piece
// and leave a `[REDACTED:…]` marker; every look-alike must come back unchanged. All values are
// made up in the providers' formats; none is a live credential.
import { describe, expect, it } from 'vitest';

import { createRedactor } from '../src/index.js';

const SECRETS: readonly (readonly [kind: string, text: string, secret: string])[] = [
  [
    'slack',
    'posting with token xoxb-2048123456-4096123456789-AbCdEfGhIjKlMnOpQrStUvWx to #alerts',
    'xoxb-2048123456-4096123456789-AbCdEfGhIjKlMnOpQrStUvWx',
  ],
  [
    'slack-webhook',
    'notify url=https://hooks.slack.com/services/T0ABCDEFG/B0HIJKLMN/abcdEFGHijklMNOPqrstUVWX failed',
    'T0ABCDEFG/B0HIJKLMN/abcdEFGHijklMNOPqrstUVWX',
  ],
  [
    'stripe',
    'charge failed for key sk_live_51H8xYzAbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefGHIJKLmnop',
    'sk_live_51H8xYzAbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefGHIJKLmnop',
  ],
  [
    'gitlab-url',
    'cloning https://oauth2:glpat-Ab3dEf6hIj9kLm2nOp5q@gitlab.example.com/group/x.git',
    'glpat-Ab3dEf6hIj9kLm2nOp5q',
  ],
  [
    'openai-header',
    'upstream call with Authorization: Bearer sk-proj-Q3rT5yU7iO9pA1sD3fG5hJ7kL9zX1cV3bN5mQ7wE9rT1yU3iO5pA7sD9fG1hJ3kL5zX7cV9bN1mQ3wE5rT7yU9i',
    'sk-proj-Q3rT5yU7iO9pA1sD3fG5hJ7kL9zX1cV3bN5mQ7wE9rT1yU3iO5pA7sD9fG1hJ3kL5zX7cV9bN1mQ3wE5rT7yU9i',
  ],
  [
    'openai-bare',
    'using OPENAI key sk-Zx8Cv7Bn6Mq5Wl4Ek3Rj2Th1Yg0Uf9Id8Oa7Ps6Dz5Xc4Vb3N',
    'sk-Zx8Cv7Bn6Mq5Wl4Ek3Rj2Th1Yg0Uf9Id8Oa7Ps6Dz5Xc4Vb3N',
  ],
  [
    'sendgrid',
    'mail api SG.aBcDeFgHiJkLmNoPqRsTuV.wXyZaBcDeFgHiJkLmNoPqRsTuVwXyZaBcDeFgHiJkLm rejected',
    'SG.aBcDeFgHiJkLmNoPqRsTuV.wXyZaBcDeFgHiJkLmNoPqRsTuVwXyZaBcDeFgHiJkLm',
  ],
  [
    'aws-secret',
    'aws_secret_access_key = Zq8vR2nL5tY1uK7pW3eX9sA4dF6gH0jC2bM8nQ1r',
    'Zq8vR2nL5tY1uK7pW3eX9sA4dF6gH0jC2bM8nQ1r',
  ],
  [
    'aws-secret-env',
    'env AWS_SECRET_ACCESS_KEY=Zq8vR2nL5tY1uK7pW3eX9sA4dF6gH0jC2bM8nQ1r set',
    'Zq8vR2nL5tY1uK7pW3eX9sA4dF6gH0jC2bM8nQ1r',
  ],
  ['aws-id', 'assumed role with key AKIA4YQ7ZP2LM3NBVC6X', 'AKIA4YQ7ZP2LM3NBVC6X'],
  ['password-kv', 'login ok user=bob password=hunter2!xyz next', 'hunter2!xyz'],
  ['password-flag', 'running mysqldump --password s3cr3tPa55 --all-databases', 's3cr3tPa55'],
  ['password-flag-eq', 'psql --password=Tr0ub4dor&3 -h db', 'Tr0ub4dor&3'],
  ['pgpassword', 'PGPASSWORD=Qw3rty!234 psql -U app', 'Qw3rty!234'],
  [
    'json-secret',
    '{"client_id":"abc","client_secret":"9f8e7d6c5b4a39281706f5e4d3c2b1a0"}',
    '9f8e7d6c5b4a39281706f5e4d3c2b1a0',
  ],
  ['yaml-token', 'config dump: token: 7Hq2Lx9Vb4Nc8Mz1Kw5Pd3Rf', '7Hq2Lx9Vb4Nc8Mz1Kw5Pd3Rf'],
  ['api-key-header', 'X-Api-Key: 3f9a1c7e5b2d8f4a6c0e9b1d7f3a5c8e sent', '3f9a1c7e5b2d8f4a6c0e9b1d7f3a5c8e'],
  [
    'token-header',
    'Authorization: Token 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b',
    '9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b',
  ],
  ['curl', 'ran: curl -u deploy:Sup3r-S3cret https://ci.example.com/api', 'Sup3r-S3cret'],
  ['url-hash', 'connecting redis://:p4ss#w/rd@cache:6379/0', 'p4ss#w/rd'],
  ['url-at', 'amqp://guest:gu@st!23@rabbit:5672/vhost', 'gu@st!23'],
  [
    'npm',
    '//registry.npmjs.org/:_authToken=npm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789',
    'npm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789',
  ],
  [
    'pypi',
    'twine upload with pypi-AgEIcHlwaS5vcmcCJGFiY2RlZmdoLWlqa2wtbW5vcC1xcnN0LXV2d3h5ejAxMjM0NQACKlszLCJ4eXoiXQAABiBabcdefghij',
    'pypi-AgEIcHlwaS5vcmcCJGFiY2RlZmdoLWlqa2wtbW5vcC1xcnN0LXV2d3h5ejAxMjM0NQACKlszLCJ4eXoiXQAABiBabcdefghij',
  ],
  ['hf', 'HF_TOKEN hf_aBcDeFgHiJkLmNoPqRsTuVwXyZaBcDeFgH loaded', 'hf_aBcDeFgHiJkLmNoPqRsTuVwXyZaBcDeFgH'],
  ['gcp', 'maps key AIzaSyD3xQ9vLk2mN8pR4tU6wY1zB5cE7gH0jKl', 'AIzaSyD3xQ9vLk2mN8pR4tU6wY1zB5cE7gH0jKl'],
  [
    'azure-conn',
    'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmE=;EndpointSuffix=core.windows.net',
    'Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmE=',
  ],
  [
    'sas',
    'GET /c/b.txt?sv=2022-11-02&ss=b&srt=o&sp=r&se=2026-12-08T00:00:00Z&sig=Xy7%2Bk9Lm2Np4Qr6St8Uv0Wx1Yz3Ab5Cd7Ef9Gh%3D',
    'Xy7%2Bk9Lm2Np4Qr6St8Uv0Wx1Yz3Ab5Cd7Ef9Gh%3D',
  ],
  [
    'discord',
    'bot login NzkyNzE1NDU0MTk2MDg4ODQy.X-hvzA.Ovy4MCQywSkoMRRclStW4xAYK7I',
    'NzkyNzE1NDU0MTk2MDg4ODQy.X-hvzA.Ovy4MCQywSkoMRRclStW4xAYK7I',
  ],
  [
    'telegram',
    'bot api https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawQ/sendMessage',
    '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawQ',
  ],
  [
    'vault',
    'VAULT_TOKEN is hvs.CAESIJ7xY2zQ9wE3rT5yU7iO9pA1sD3fG5hJ7kL9zX1cV3bN5mQ',
    'hvs.CAESIJ7xY2zQ9wE3rT5yU7iO9pA1sD3fG5hJ7kL9zX1cV3bN5mQ',
  ],
  [
    'ssh-key',
    'key=-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----',
    'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW',
  ],
  [
    'anthropic',
    'claude key sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEfGhIjKlMnOpQrSt-AbCdEfAA',
    'sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEfGhIjKlMnOpQrSt-AbCdEfAA',
  ],
  [
    'jwt-cookie',
    'Cookie: session=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
    'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
  ],
  ['card', 'payment with 4111-1111-1111-1111 declined', '4111-1111-1111-1111'],
  ['secret-colon', 'loaded (secret: 8xK2pQ9mW4zR7tY1) from vault', '8xK2pQ9mW4zR7tY1'],
];

const LOOKALIKES: readonly string[] = [
  'Digest: sha-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=',
  'integrity sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==',
  'request 3fa85f64-5717-4562-b3fc-2c963f66afa6 done',
  'trace 4bf92f3577b34da6a3ce929d0e0e4736 span 00f067aa0ba902b7',
  'commit 9fceb02d0ae598e95dc970b74767f19372d61af8 deployed',
  'region ASIAPACIFICSOUTHEAST selected',
  'AKIAPOLICYDOCUMENTATION page',
  'password reset requested for user bob',
  'token count 42 exceeded',
  'the secret sauce is love',
  'order 4000123412341234567 shipped',
  'ts=1733572800123 level=info',
  'version 1.21.0-beta.47+build.2026',
  'path /var/lib/app/tokens/cache.db opened',
  'pod api-7d9f8c6b5-x2k4q ready',
  'image data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  'Bearer authentication is required',
  'Basic information about the account',
  'user password_changed=true at 10:02',
  'IBAN DE89370400440532013000 verified',
  'call +1 415 555 2671 logged',
  'pwd=/home/app',
  'PWD=/srv/www ls',
  'key_id=kid-2026-01 rotated',
];

const redactor = createRedactor();

/** The first 8-character piece of `secret` still in `out` outside the markers, if any. */
function survivingPiece(secret: string, redacted: string): string | undefined {
  const out = redacted.replace(/\[REDACTED:[a-z0-9-]+\]/g, '');
  for (let i = 0; i + 8 <= secret.length; i++) {
    const piece = secret.slice(i, i + 8);
    if (out.includes(piece)) return piece;
  }
  return undefined;
}

describe('redaction on a held-out set written apart from the corpus', () => {
  it.each(SECRETS)('%s: the secret is gone', (_kind, text, secret) => {
    const out = redactor.redact(text);
    expect({ out, marker: out.includes('[REDACTED:'), left: survivingPiece(secret, out) }).toEqual({
      out: expect.any(String),
      marker: true,
      left: undefined,
    });
  });

  it.each(LOOKALIKES)('keeps %j', (text) => {
    expect(redactor.redact(text)).toBe(text);
  });
});
