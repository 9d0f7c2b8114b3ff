import { Buffer } from 'node:buffer';
import { inspect } from 'node:util';

import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';

import { MAX_ARRAY_ITEMS, MAX_VALUE_BYTES, setSecuritySession, withSecurityContext } from '../src/index.js';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { captureSecurityEvents, TEST_HASH_KEY } from './support/capture.js';
import { hmacHex } from './support/sample-args.js';

const UNSAFE = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';

/** Everything a record carries, as text: the place a leaked value would show. */
function wholeRecord(record: ReadableLogRecord): string {
  return inspect(record, { depth: 8, maxStringLength: Infinity, maxArrayLength: Infinity });
}

const savedEnv = process.env.OTEL_SENTINEL_HASH_KEY;
afterEach(() => {
  if (savedEnv === undefined) delete process.env.OTEL_SENTINEL_HASH_KEY;
  else process.env.OTEL_SENTINEL_HASH_KEY = savedEnv;
});

describe('string values', () => {
  it('escapes CR and LF, so an argument cannot forge a second log line', () => {
    const { security, only } = captureSecurityEvents();

    security.authnLoginFail({ userId: 'joebob1\r\n2026-01-01 INFO authn_login_success admin' });

    expect(only().attributes['user.id']).toBe('joebob1\\r\\n2026-01-01 INFO authn_login_success admin');
    expect(only().body).toBe('User joebob1\\r\\n2026-01-01 INFO authn_login_success admin login failed');
  });

  it('escapes bidi overrides and ANSI escapes', () => {
    const { security, only } = captureSecurityEvents();

    security.authzFail({ userId: 'admin\u202Etxt.exe', resource: '\u001b[31mred' });

    expect(only().attributes['user.id']).toBe('admin\\u202Etxt.exe');
    expect(only().attributes['owasp.resource']).toBe('\\u001B[31mred');
  });

  it('redacts a JWT and a bearer token given as arguments', () => {
    const { security, records } = captureSecurityEvents();

    security.authnTokenRevoked({ userId: 'svc', tokenId: JWT });
    security.authnLoginFail({ userId: 'svc', reason: 'header was Bearer abcDEF1234567890xyz' });

    expect(records()[0]?.attributes['owasp.token_id']).toBe('[REDACTED:jwt]');
    expect(records()[0]?.body).toBe('Token ID: [REDACTED:jwt] was revoked for user svc');
    expect(records()[1]?.attributes['owasp.reason']).toBe('header was Bearer [REDACTED:bearer]');
    expect(records().map(wholeRecord).join('')).not.toContain('SflKxwRJSMeKKF2QT4fw');
  });

  it('redacts and escapes request-context values too', () => {
    const { security, only } = captureSecurityEvents();

    withSecurityContext({ userAgent: `curl\nAuthorization: Bearer ${JWT}` }, () => {
      security.maliciousCsrf();
    });

    expect(only().attributes['user_agent.original']).toBe('curl\\nAuthorization: Bearer [REDACTED:jwt]');
  });

  it(`cuts a long value to ${MAX_VALUE_BYTES} bytes, on a character boundary`, () => {
    const { security, records } = captureSecurityEvents();

    security.sysCrash({ reason: 'x'.repeat(20_000) });
    security.sysCrash({ reason: '😀'.repeat(5_000) });

    const ascii = records()[0]?.attributes['owasp.reason'];
    const emoji = records()[1]?.attributes['owasp.reason'];
    expect(ascii).toBe('x'.repeat(MAX_VALUE_BYTES));
    expect(emoji).toBe('😀'.repeat(MAX_VALUE_BYTES / 4));
  });

  it(`keeps at most ${MAX_ARRAY_ITEMS} elements of a string-array argument`, () => {
    const { security, only } = captureSecurityEvents();
    const fields = Array.from({ length: 1000 }, (_, i) => `field${i}`);

    security.inputValidationFail({ fields });

    expect(only().attributes['owasp.fields']).toStrictEqual(fields.slice(0, MAX_ARRAY_ITEMS));
  });

  it('never emits an unsafe character or more than the byte bound, for any string (property)', () => {
    const { security, records } = captureSecurityEvents();

    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 3000 }), fc.string({ unit: 'grapheme' }), (a, b) => {
        security.authzChange({ userId: a, fromRole: b, toRole: a + b });
        const record = records().at(-1);
        for (const value of [record?.body, ...Object.values(record?.attributes ?? {})]) {
          if (typeof value !== 'string') continue;
          expect(value).not.toMatch(UNSAFE);
        }
        for (const key of ['user.id', 'owasp.from_role', 'owasp.to_role']) {
          const value = record?.attributes[key];
          expect(typeof value).toBe('string');
          expect(Buffer.byteLength(value as string)).toBeLessThanOrEqual(MAX_VALUE_BYTES);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('session ids', () => {
  const RAW = 'sid-9f8e7d6c5b4a39281706f5e4d3c2b1a0';

  it('writes a session id argument only as its lower-case hex HMAC-SHA-256', () => {
    const { security, only } = captureSecurityEvents();

    security.sessionLogout({ userId: 'joebob1', sessionId: RAW });

    expect(only().attributes['owasp.session_hash']).toBe(hmacHex(TEST_HASH_KEY, RAW));
    expect(wholeRecord(only())).not.toContain(RAW);
  });

  it('hashes the session set on the request context, and the argument wins over it', () => {
    const { security, records } = captureSecurityEvents();

    withSecurityContext({}, () => {
      setSecuritySession(RAW);
      security.sessionCreated({ userId: 'joebob1' });
      security.sessionRenewed({ userId: 'joebob1', sessionId: 'sid-other-0123456789' });
    });

    expect(records().map((r) => r.attributes['owasp.session_hash'])).toStrictEqual([
      hmacHex(TEST_HASH_KEY, RAW),
      hmacHex(TEST_HASH_KEY, 'sid-other-0123456789'),
    ]);
    expect(records().map(wholeRecord).join('')).not.toContain(RAW);
  });

  it('never emits a session id raw, whatever it is (property)', () => {
    const { security, records } = captureSecurityEvents();

    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9+/=_-]{24,64}$/), (sid) => {
        withSecurityContext({ sessionId: sid, userId: 'u' }, () => {
          security.sessionExpired({ userId: 'u', reason: 'timeout' });
          security.sessionLogout({ userId: 'u', sessionId: sid });
        });
        for (const record of records().slice(-2)) {
          expect(wholeRecord(record)).not.toContain(sid);
          expect(record.attributes['owasp.session_hash']).toBe(hmacHex(TEST_HASH_KEY, sid));
        }
      }),
      { numRuns: 100 },
    );
  });

  it('leaves the hash out and reports once when there is no key', () => {
    delete process.env.OTEL_SENTINEL_HASH_KEY;
    const { security, records, errors } = captureSecurityEvents({ hashKey: '' });

    security.sessionLogout({ userId: 'joebob1', sessionId: RAW });
    withSecurityContext({ sessionId: RAW }, () => {
      security.sessionCreated({ userId: 'joebob1' });
    });

    expect(records()).toHaveLength(2);
    expect(records().map((r) => r.attributes['owasp.session_hash'])).toStrictEqual([undefined, undefined]);
    expect(records().map(wholeRecord).join('')).not.toContain(RAW);
    expect(errors.map((e) => e.code)).toStrictEqual(['E_HASH_KEY_MISSING']);
    expect(errors[0]?.message).toContain('OTEL_SENTINEL_HASH_KEY');
  });

  it('takes the key from OTEL_SENTINEL_HASH_KEY by default', () => {
    process.env.OTEL_SENTINEL_HASH_KEY = 'key-from-the-environment';
    const { security, only } = captureSecurityEvents({ onError: () => undefined }, false);

    security.sessionLogout({ userId: 'joebob1', sessionId: RAW });

    expect(only().attributes['owasp.session_hash']).toBe(hmacHex('key-from-the-environment', RAW));
  });

  it('hashes the same with a key given as bytes', () => {
    const { security, only } = captureSecurityEvents({ hashKey: new TextEncoder().encode(TEST_HASH_KEY) });

    security.sessionLogout({ userId: 'joebob1', sessionId: RAW });

    expect(only().attributes['owasp.session_hash']).toBe(hmacHex(TEST_HASH_KEY, RAW));
  });
});
