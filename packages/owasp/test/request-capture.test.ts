import { describe, expect, it } from 'vitest';

import { fastifySecurityContext, getSecurityContext, securityContextMiddleware } from '../src/index.js';
import type { SecurityEventsError } from '../src/index.js';
import { correlationIdOf, hostOf, pathOf } from '../src/request-capture.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('the correlation id', () => {
  it('is x-correlation-id first', () => {
    expect(
      correlationIdOf({ 'x-correlation-id': 'corr', 'x-request-id': 'req', traceparent: TRACEPARENT }),
    ).toBe('corr');
  });

  it('is x-request-id next', () => {
    expect(correlationIdOf({ 'x-request-id': 'req', traceparent: TRACEPARENT })).toBe('req');
  });

  it("is the W3C traceparent's trace id next", () => {
    expect(correlationIdOf({ traceparent: TRACEPARENT })).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it.each([
    ['an all-zero trace id', '00-00000000000000000000000000000000-00f067aa0ba902b7-01'],
    ['version ff', 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    ['a short trace id', '00-4bf92f3577b34da6-00f067aa0ba902b7-01'],
    ['garbage', 'not a traceparent'],
  ])('is a new UUID when the traceparent has %s', (_what, traceparent) => {
    expect(correlationIdOf({ traceparent })).toMatch(UUID);
  });

  it('is a new UUID for each request that brings none', () => {
    const a = correlationIdOf({});
    const b = correlationIdOf({ 'x-request-id': '   ' });

    expect(a).toMatch(UUID);
    expect(b).toMatch(UUID);
    expect(a).not.toBe(b);
  });

  it('takes the first of repeated headers', () => {
    expect(correlationIdOf({ 'x-request-id': ['first', 'second'] })).toBe('first');
  });
});

describe('the path', () => {
  it.each([
    ['/login?next=%2F&token=abc', '/login'],
    ['/a/b#frag', '/a/b'],
    ['/a?x=1#frag', '/a'],
    ['/plain', '/plain'],
    ['/', '/'],
  ])('of %s is %s', (url, path) => {
    expect(pathOf(url)).toBe(path);
  });
});

describe('the host', () => {
  it.each([
    [{ host: 'App.Example.com:8443' }, 'app.example.com'],
    [{ host: 'app.example.com' }, 'app.example.com'],
    [{ host: '[2001:db8::1]:3000' }, '2001:db8::1'],
    [{ host: '[::1]' }, '::1'],
    [{ host: '127.0.0.1:80' }, '127.0.0.1'],
    [{ ':authority': 'h2.example:443' }, 'h2.example'],
  ])('of %j is %s', (headers, host) => {
    expect(hostOf(headers)).toBe(host);
  });

  it('is absent without a Host header', () => {
    expect(hostOf({})).toBeUndefined();
  });
});

describe('a request of an unexpected shape', () => {
  it('goes on without a context, reported once, through the Express middleware and the Fastify hook', async () => {
    const codes: string[] = [];
    const onError = (e: SecurityEventsError): void => {
      codes.push(e.code);
    };
    const hooks: ((request: unknown, reply: unknown, done: () => void) => void)[] = [];
    await fastifySecurityContext(
      { addHook: (_name, hook) => hooks.push(hook as (typeof hooks)[number]) },
      { onError },
    );
    const middleware = securityContextMiddleware({ onError });
    const seen: unknown[] = [];
    const next = (): void => {
      seen.push(getSecurityContext());
    };

    middleware({} as never, {}, next);
    middleware({} as never, {}, next);
    hooks[0]?.({}, {}, next);

    expect(seen).toStrictEqual([undefined, undefined, undefined]);
    expect(codes).toStrictEqual(['E_CONTEXT_CAPTURE', 'E_CONTEXT_CAPTURE']);
  });
});
