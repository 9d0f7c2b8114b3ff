// Values that look like secrets to a pattern but are not: each must come through redaction
// unchanged, with nothing counted. One list per look-alike class the issue names.
import { describe, expect, it } from 'vitest';

import { createRedactor, newRedactionCounts, SECRET_KINDS } from '../src/redact.js';

const redactor = createRedactor();

const SHA512_B64 = 'ZPdJLyhTDiOh4lU9W/nr3dU38EwuZsziRMI2utIA9YbnMa7Mejg/g2qsO9l/bkteEhu+G9CpZZmrD/3dYYKy1A==';

const LOOK_ALIKES: Readonly<Record<string, readonly string[]>> = {
  'digests and SRI hashes': [
    `Digest: sha-512=${SHA512_B64}`,
    `Content-Digest: sha-512=:${SHA512_B64}:`,
    `Repr-Digest: sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:`,
    `integrity="sha512-${SHA512_B64}"`,
    'integrity="sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC"',
    `{"checksum": "${SHA512_B64}"}`,
    `x-ms-content-sha512: ${SHA512_B64}`,
    'sha256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  ],
  UUIDs: [
    'request id 550e8400-e29b-41d4-a716-446655440000',
    'tenant 72f988bf-86f1-41af-91ab-2d7cd011db47 client 6731de76-14a6-49ae-97bc-6eba6914391e',
    '{"correlationId":"3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f"}',
  ],
  'trace and span ids': [
    'trace 4bf92f3577b34da6a3ce929d0e0e4736 span 00f067aa0ba902b7',
    'traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    'X-Amzn-Trace-Id: Root=1-67891233-abcdef012345678912345678',
  ],
  'hex and base64 hashes': [
    'commit 9fceb02d0ae598e95dc970b74767f19372d61af8',
    'etag "d41d8cd98f00b204e9800998ecf8427e"',
    'md5 d41d8cd98f00b204e9800998ecf8427e sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709',
    'blob sha dGhpcyBpcyBqdXN0IGEgYmFzZTY0IHN0cmluZyBvZiBzb21lIHRleHQ=',
    'docker pull contoso/api@sha256:4bf92f3577b34da6a3ce929d0e0e47364bf92f3577b34da6a3ce929d0e0e4736',
  ],
  'base64 images': [
    `<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==">`,
    `avatar data:image/jpeg;base64,${SHA512_B64}`,
  ],
  'version strings': [
    'version 1.2.3-beta.4',
    'Chrome/120.0.6099.109 Safari/537.36',
    'node v24.21.0, npm 11.6.2, pnpm 12.21.0',
    'build 20240115.3 deployed to westeurope',
  ],
  'upper-case words': [
    'region ASIAPACIFICSOUTHEAST selected',
    'AKIAWORDSWITHOUTDIGITS is not a key',
    'ABIAABCDEFGHIJKLMNOP ANPAQRSTUVWXYZABCDEF',
    'status ACCESSDENIEDEXCEPTION thrown',
    'SKIPPED_TESTS_FOR_NOW_BECAUSE_FLAKY',
  ],
  'order numbers': [
    'order 4000123456789010 created',
    'order ORD-2024-000187532 shipped',
    'invoice INV-000000000000042 paid',
    'ticket 1234567890123456789012 closed',
  ],
  'epoch times': ['timestamp=1700000000000 level=info', 'token=1700000000', 'exp 1735689600 iat 1735686000'],
  'device ids with a Luhn digit': [
    'IMEI 357611032681499',
    'device imei=351182688541250',
    '{"iccid": "8944500102198304826"}',
  ],
  'prose about secrets': [
    'password: please reset it',
    'password: 3 attempts left',
    'token: expired',
    'secret=true',
    'password=${DB_PASSWORD}',
    'password: ********',
    'api_key=<your key here>',
    'max_token=100',
    'Authorization: denied for user joe',
    '--password-stdin was given',
    'mkdir -p /var/lib/app',
    'docker run -u 1000:1000 app',
    'Bearer token missing from request',
    'desk-top-configuration-for-the-office',
    'https://host:8443/reset?email=joe@example.com',
    'Credential=AKIA scope only in AWS4 docs',
    'ghp_abcdefghijklmnopqrstuvwxyzabcdefghij',
  ],
};

const CASES = Object.entries(LOOK_ALIKES).flatMap(([kind, texts]) => texts.map((text) => ({ kind, text })));

function total(counts: ReturnType<typeof newRedactionCounts>): number {
  return SECRET_KINDS.reduce((sum, kind) => sum + counts[kind], 0);
}

describe('look-alikes', () => {
  it.each(CASES)('keeps $kind: "$text"', ({ text }) => {
    const counts = newRedactionCounts();
    expect(redactor.redact(text, counts)).toBe(text);
    expect(total(counts)).toBe(0);
  });

  it('still redacts a real storage key after a key name, though digests alike are kept', () => {
    expect(redactor.redact(`AccountKey=${SHA512_B64}`)).toBe('AccountKey=[REDACTED:azure-key]');
    expect(redactor.redact(`rotated key ${SHA512_B64}`)).toBe('rotated key [REDACTED:azure-key]');
  });

  it('still redacts an AWS key id without digits where the text calls it an access key', () => {
    expect(redactor.redact('aws_access_key_id=AKIAIOSFODNNEXAMPLEK')).toBe(
      'aws_access_key_id=[REDACTED:aws-key]',
    );
    expect(redactor.redact('{"AccessKeyId": "ASIAPACIFICSOUTHEAST"}')).toBe(
      '{"AccessKeyId": "[REDACTED:aws-key]"}',
    );
  });
});
