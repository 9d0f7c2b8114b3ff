import { diag, DiagLogLevel } from '@opentelemetry/api';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { createSecurityEvents, InvalidEventArgsError, OtelSentinelError } from '../src/index.js';
import type { SecurityEventsError } from '../src/index.js';
import { defaultErrorHandler } from '../src/report.js';
import { captureSecurityEvents } from './support/capture.js';

/** Calls a helper the way untyped JavaScript could. */
function callUntyped(security: object, method: string, args: unknown): void {
  const helper: unknown = Reflect.get(security, method);
  if (typeof helper !== 'function') throw new Error(`no helper ${method}`);
  helper.call(security, args);
}

afterEach(() => {
  diag.disable();
  vi.restoreAllMocks();
});

describe('bad arguments', () => {
  it('emits the record without an argument of the wrong type, lists it in owasp.invalid_args and reports it', () => {
    const { security, only, errors } = captureSecurityEvents();

    callUntyped(security, 'authnLoginSuccessafterfail', { userId: 'joebob1', retries: 'hunter2' });

    expect(only().attributes).toStrictEqual({
      'security.event': true,
      'owasp.level': 'INFO',
      'owasp.category': 'AUTHN',
      'owasp.result': 'Success',
      'user.id': 'joebob1',
      'owasp.invalid_args': ['retries'],
    });
    expect(only().body).toBe('User joebob1 login successfully after unknown failures');
    expect(errors).toHaveLength(1);
    const error = errors[0];
    expect(error).toBeInstanceOf(InvalidEventArgsError);
    expect(error).toBeInstanceOf(OtelSentinelError);
    expect(error).toMatchObject({
      code: 'E_INVALID_ARGS',
      eventName: 'authn_login_successafterfail',
      fields: ['retries'],
    });
    expect(error?.message).toContain('retries must be an integer, got string');
    expect(error?.message).not.toContain('hunter2');
  });

  it('lists every missing required argument', () => {
    const { security, only, errors } = captureSecurityEvents();

    callUntyped(security, 'authzChange', {});

    expect(only().attributes['owasp.invalid_args']).toStrictEqual(['userId', 'fromRole', 'toRole']);
    expect(only().body).toBe('User unknown has changed entitlement from unknown to unknown');
    expect(errors[0]?.message).toContain('userId is required (string) but missing');
  });

  it('rejects non-integers, and arrays holding anything but strings', () => {
    const { security, records } = captureSecurityEvents();

    callUntyped(security, 'excessRateLimitExceeded', { max: 2.5 });
    callUntyped(security, 'excessRateLimitExceeded', { max: Number.NaN });
    callUntyped(security, 'authnTokenCreated', { userId: 'u', entitlements: ['read', 7] });

    expect(records().map((r) => r.attributes['owasp.invalid_args'])).toStrictEqual([
      ['max'],
      ['max'],
      ['entitlements'],
    ]);
    expect(
      records().map((r) => r.attributes['owasp.max'] ?? r.attributes['owasp.entitlements']),
    ).toStrictEqual([undefined, undefined, undefined]);
  });

  it('leaves out arguments the event does not have, such as a payload, naming them only', () => {
    const { security, only } = captureSecurityEvents();

    callUntyped(security, 'maliciousSqli', {
      parameter: 'search',
      ruleId: 'SQLI-UNION',
      payload: "' UNION SELECT password FROM users --",
    });

    expect(only().attributes['owasp.invalid_args']).toStrictEqual(['payload']);
    expect(JSON.stringify([only().attributes, only().body])).not.toContain('UNION SELECT');
  });

  it('marks arguments that are not an object', () => {
    const { security, only } = captureSecurityEvents();

    callUntyped(security, 'sysCrash', 'outofmemory');

    expect(only().attributes['owasp.invalid_args']).toStrictEqual(['(arguments)', 'reason']);
    expect(only().body).toBe('The application crashed due to unknown');
  });

  it('reports once per event name, while every record is still marked', () => {
    const { security, records, errors } = captureSecurityEvents();

    for (let i = 0; i < 5; i++) callUntyped(security, 'sysCrash', {});
    callUntyped(security, 'authzFail', {});

    expect(records()).toHaveLength(6);
    expect(records().every((r) => Array.isArray(r.attributes['owasp.invalid_args']))).toBe(true);
    expect(errors.map((e) => e.message.split(':')[0])).toStrictEqual(['sys_crash', 'authz_fail']);
  });

  it('reports an unknown event name given to emit once, and emits nothing for it', () => {
    const { security, records, errors } = captureSecurityEvents();
    callUntyped(security, 'emit', 'authn_login_fail_everywhere');
    callUntyped(security, 'emit', 'authn_login_fail_everywhere');

    expect(records()).toHaveLength(0);
    expect(errors.map((e) => e.code)).toStrictEqual(['E_UNKNOWN_EVENT']);
  });
});

describe('never throwing into the app', () => {
  it('survives a logger that throws, reporting it once per event', () => {
    const errors: SecurityEventsError[] = [];
    const security = createSecurityEvents({
      logger: {
        emit: () => {
          throw new Error('exporter exploded');
        },
      },
      onError: (e) => errors.push(e),
    });

    expect(() => {
      security.sysCrash({ reason: 'oom' });
      security.sysCrash({ reason: 'oom' });
    }).not.toThrow();
    expect(errors.map((e) => e.code)).toStrictEqual(['E_EMIT_FAILED']);
    expect(errors[0]?.cause).toBeInstanceOf(Error);
  });

  it('survives an onError that throws', () => {
    const { security, records } = captureSecurityEvents({
      onError: () => {
        throw new Error('onError exploded');
      },
    });

    expect(() => {
      callUntyped(security, 'sysCrash', {});
    }).not.toThrow();
    expect(records()).toHaveLength(1);
  });

  it('survives arguments whose getters throw', () => {
    const errors: SecurityEventsError[] = [];
    const { security } = captureSecurityEvents({ onError: (e) => errors.push(e) });
    const hostile = Object.defineProperty({}, 'reason', {
      enumerable: true,
      get: () => {
        throw new Error('boom');
      },
    });

    expect(() => {
      callUntyped(security, 'sysCrash', hostile);
    }).not.toThrow();
    expect(errors.map((e) => e.code)).toStrictEqual(['E_EMIT_FAILED']);
  });
});

describe('the default onError', () => {
  it('warns through OpenTelemetry diag when @opentelemetry/api is installed', () => {
    const warnings: string[] = [];
    diag.setLogger(
      {
        error: () => undefined,
        warn: (...args: unknown[]) => warnings.push(args.map(String).join(' ')),
        info: () => undefined,
        debug: () => undefined,
        verbose: () => undefined,
      },
      DiagLogLevel.WARN,
    );
    const { security } = captureSecurityEvents({}, false);

    callUntyped(security, 'sysCrash', {});
    callUntyped(security, 'sysCrash', {});

    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('@otel-sentinel/owasp');
    expect(warnings[0]).toContain('E_INVALID_ARGS: sys_crash: reason is required');
  });

  it('falls back to a single console.warn without @opentelemetry/api', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const handler = defaultErrorHandler(() => ({ ok: false, error: new Error('not installed') }));

    handler(new InvalidEventArgsError('sys_crash', ['reason is required'], ['reason']));
    handler(new InvalidEventArgsError('authz_fail', ['userId is required'], ['userId']));

    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toContain('E_INVALID_ARGS: sys_crash');
  });
});
