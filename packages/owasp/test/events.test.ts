import { describe, expect, it } from 'vitest';

import { OWASP_EVENTS, resultOf, withSecurityContext } from '../src/index.js';
import { methodNameOf } from '../src/method-name.js';
import type { OwaspEvent } from '../src/index.js';
import { captureSecurityEvents, millisOf, TEST_HASH_KEY } from './support/capture.js';
import {
  expectedBody,
  expectedParamAttributes,
  expectedSeverity,
  hmacHex,
  sampleArgs,
} from './support/sample-args.js';
import type { SampleArgs } from './support/sample-args.js';

const CONTEXT = {
  clientAddress: '203.0.113.7',
  userAgent: 'Mozilla/5.0 (test)',
  method: 'POST',
  path: '/login',
  host: 'app.example',
  correlationId: 'corr-1',
  userId: 'context-user',
};
const SESSION_ID = 'raw-session-id-1';

function callHelper(security: object, event: OwaspEvent, args: SampleArgs): void {
  const helper: unknown = Reflect.get(security, methodNameOf(event.name));
  if (typeof helper !== 'function') throw new Error(`no helper ${methodNameOf(event.name)}`);
  helper.call(security, args);
}

function callEmit(security: object, name: string, args: SampleArgs): void {
  const emit: unknown = Reflect.get(security, 'emit');
  if (typeof emit !== 'function') throw new Error('no emit');
  emit.call(security, name, args);
}

function commonAttributes(event: OwaspEvent): Record<string, unknown> {
  return {
    'security.event': true,
    'owasp.level': event.level,
    'owasp.category': event.category,
    'owasp.result': resultOf(event),
  };
}

describe.each(OWASP_EVENTS.map((event) => [event.name, event] as const))('%s', (_name, event) => {
  it('emits one record with every argument at its attribute, outside any request context', () => {
    const capture = captureSecurityEvents();
    const args = sampleArgs(event, 'all');
    const before = Date.now();

    callHelper(capture.security, event, args);

    const record = capture.only();
    expect(record.eventName).toBe(event.name);
    expect(record.severityNumber).toBe(expectedSeverity(event.level));
    expect(record.severityText).toBe(event.level);
    expect(record.body).toBe(expectedBody(event, args));
    expect(record.attributes).toStrictEqual({
      ...commonAttributes(event),
      ...expectedParamAttributes(event, args),
    });
    expect(millisOf(record)).toBeGreaterThanOrEqual(before);
    expect(millisOf(record)).toBeLessThanOrEqual(Date.now());
    expect(capture.errors).toEqual([]);
  });

  it('adds the request context to the required arguments, the arguments winning', () => {
    const capture = captureSecurityEvents();
    const args = sampleArgs(event, 'required');

    withSecurityContext({ ...CONTEXT, sessionId: SESSION_ID }, () => {
      callHelper(capture.security, event, args);
    });

    const record = capture.only();
    expect(record.body).toBe(expectedBody(event, args, CONTEXT));
    expect(record.attributes).toStrictEqual({
      ...commonAttributes(event),
      'client.address': CONTEXT.clientAddress,
      'user_agent.original': CONTEXT.userAgent,
      'http.request.method': CONTEXT.method,
      'url.path': CONTEXT.path,
      'server.address': CONTEXT.host,
      'correlation.id': CONTEXT.correlationId,
      'user.id': args.userId ?? CONTEXT.userId,
      'owasp.session_hash': hmacHex(TEST_HASH_KEY, SESSION_ID),
      ...expectedParamAttributes(event, args),
    });
    expect(capture.errors).toEqual([]);
  });

  it('emits the same record through emit(name, args)', () => {
    const byHelper = captureSecurityEvents();
    const byName = captureSecurityEvents();
    const args = sampleArgs(event, 'all');

    callHelper(byHelper.security, event, args);
    callEmit(byName.security, event.name, args);

    const a = byHelper.only();
    const b = byName.only();
    expect([b.eventName, b.severityNumber, b.severityText, b.body, b.attributes]).toStrictEqual([
      a.eventName,
      a.severityNumber,
      a.severityText,
      a.body,
      a.attributes,
    ]);
  });
});

describe('records spelled out', () => {
  it('writes authn_login_fail as a WARN failure with the user and the reason', () => {
    const { security, only } = captureSecurityEvents();

    security.authnLoginFail({ userId: 'joebob1', reason: 'bad_password' });

    const record = only();
    expect({
      eventName: record.eventName,
      severityNumber: record.severityNumber,
      severityText: record.severityText,
      body: record.body,
      attributes: record.attributes,
    }).toStrictEqual({
      eventName: 'authn_login_fail',
      severityNumber: 13,
      severityText: 'WARN',
      body: 'User joebob1 login failed',
      attributes: {
        'security.event': true,
        'owasp.level': 'WARN',
        'owasp.category': 'AUTHN',
        'owasp.result': 'Failure',
        'user.id': 'joebob1',
        'owasp.reason': 'bad_password',
      },
    });
  });

  it('makes a FAILED upload_validation CRITICAL (18) and a Failure, whatever the case of FAILED', () => {
    const { security, records } = captureSecurityEvents();

    security.uploadValidation({ fileName: 'a.png', validator: 'virusscan', result: 'FAILED' });
    security.uploadValidation({ fileName: 'a.png', validator: 'virusscan', result: 'failed' });
    security.uploadValidation({ fileName: 'a.png', validator: 'virusscan', result: 'incomplete' });

    expect(
      records().map((r) => [
        r.severityNumber,
        r.severityText,
        r.attributes['owasp.level'],
        r.attributes['owasp.result'],
      ]),
    ).toStrictEqual([
      [18, 'CRITICAL', 'CRITICAL', 'Failure'],
      [18, 'CRITICAL', 'CRITICAL', 'Failure'],
      [9, 'INFO', 'INFO', 'Success'],
    ]);
    expect(records()[0]?.body).toBe('File a.png validation by virusscan: FAILED');
  });

  it('names the client address of the request context in a malicious_excess_404 body', () => {
    const { security, only } = captureSecurityEvents();

    withSecurityContext({ clientAddress: '198.51.100.9' }, () => {
      security.maliciousExcess404();
    });

    expect(only().body).toBe('A user at 198.51.100.9 has generated a large number of 404 requests');
    expect(only().attributes['client.address']).toBe('198.51.100.9');
  });

  it('reads a missing placeholder value as "unknown"', () => {
    const { security, only } = captureSecurityEvents();

    security.maliciousAttackTool({ toolName: 'nikto' });

    expect(only().body).toBe('Attack traffic indicating use of nikto from unknown');
  });

  it('joins a string-array argument in the body and keeps it an array attribute', () => {
    const { security, only } = captureSecurityEvents();

    security.authnTokenCreated({ userId: 'app.foobarapi.prod', entitlements: ['create', 'read', 'update'] });

    expect(only().body).toBe('A token has been created for app.foobarapi.prod with create, read, update');
    expect(only().attributes['owasp.entitlements']).toStrictEqual(['create', 'read', 'update']);
  });

  it('keeps an integer argument a number attribute', () => {
    const { security, only } = captureSecurityEvents();

    security.authnLoginSuccessafterfail({ userId: 'joebob1', retries: 2 });

    expect(only().attributes['owasp.retries']).toBe(2);
    expect(only().body).toBe('User joebob1 login successfully after 2 failures');
  });
});

it('offers exactly one helper per event, plus emit', () => {
  const { security } = captureSecurityEvents();

  expect(Object.keys(security).sort()).toStrictEqual(
    [...OWASP_EVENTS.map((e) => methodNameOf(e.name)), 'emit'].sort(),
  );
});
