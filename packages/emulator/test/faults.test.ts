// Fault injection: rules that fire on the next N requests or a fraction of them, and the admin
// endpoint that adds, lists and clears them with clear 400s for malformed rules.
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { FaultInjector } from '../src/faults/fault-injector.js';
import { checkFaultRule, parseFaultRules } from '../src/faults/fault-rule.js';
import { faultRoutes } from '../src/faults/routes.js';

const PATH = '/dataCollectionRules/dcr-1/streams/Custom-A';

/** A fixed sequence of draws for rate rules, repeated. */
function draws(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length] ?? 0;
}

describe('FaultInjector', () => {
  it('fires a rule once by default, then lets requests through', () => {
    const faults = new FaultInjector();
    faults.add({ kind: 'error-500' });
    expect(faults.take(PATH)?.kind).toBe('error-500');
    expect(faults.take(PATH)).toBeUndefined();
  });

  it('fires a rule on the next count requests, counting down in list()', () => {
    const faults = new FaultInjector();
    faults.add({ kind: 'error-503', count: 3 });
    faults.take(PATH);
    expect(faults.list()).toEqual([{ kind: 'error-503', count: 2 }]);
    expect([faults.take(PATH)?.kind, faults.take(PATH)?.kind, faults.take(PATH)]).toEqual([
      'error-503',
      'error-503',
      undefined,
    ]);
    expect(faults.list()).toEqual([]);
  });

  it('applies rules in the order they were added', () => {
    const faults = new FaultInjector();
    faults.add({ kind: 'reset' });
    faults.add({ kind: 'throttle' });
    expect([faults.take(PATH)?.kind, faults.take(PATH)?.kind]).toEqual(['reset', 'throttle']);
  });

  it('fires a rate rule on the fraction of requests whose draw is below the rate, until cleared', () => {
    const faults = new FaultInjector({ random: draws(0.1, 0.9, 0.49, 0.5) });
    faults.add({ kind: 'error-500', rate: 0.5 });
    const fired = Array.from({ length: 8 }, () => faults.take(PATH) !== undefined);
    expect(fired).toEqual([true, false, true, false, true, false, true, false]);
    faults.clear();
    expect(faults.take(PATH)).toBeUndefined();
  });

  it('stops a rate rule after count faults when it has a count', () => {
    const faults = new FaultInjector({ random: draws(0) });
    faults.add({ kind: 'error-500', rate: 1, count: 2 });
    expect([faults.take(PATH), faults.take(PATH), faults.take(PATH)].map((r) => r?.kind)).toEqual([
      'error-500',
      'error-500',
      undefined,
    ]);
  });

  it('fires roughly the given fraction with the default random source', () => {
    const faults = new FaultInjector();
    faults.add({ kind: 'error-500', rate: 0.25 });
    let fired = 0;
    for (let i = 0; i < 4000; i++) if (faults.take(PATH)) fired++;
    expect(fired / 4000).toBeGreaterThan(0.2);
    expect(fired / 4000).toBeLessThan(0.3);
  });

  it('fires a rule with a pathPrefix only on requests under it', () => {
    const faults = new FaultInjector();
    faults.add({ kind: 'throttle', pathPrefix: '/dataCollectionRules/dcr-2/' });
    expect(faults.take(PATH)).toBeUndefined();
    expect(faults.take('/dataCollectionRules/dcr-2/streams/Custom-A')?.kind).toBe('throttle');
  });

  it('fills the defaults: Retry-After 1 s for throttle, 1000 ms for delay', () => {
    const faults = new FaultInjector();
    faults.add({ kind: 'throttle' });
    faults.add({ kind: 'delay' });
    expect(faults.list()).toEqual([
      { kind: 'throttle', count: 1, seconds: 1 },
      { kind: 'delay', count: 1, delayMs: 1000 },
    ]);
  });

  it('refuses a malformed rule added in code', () => {
    const faults = new FaultInjector();
    expect(() => {
      faults.add({ kind: 'error-500', count: 0 });
    }).toThrow(expect.objectContaining({ code: 'E_FAULT_RULE' }));
  });
});

describe('fault rule validation', () => {
  it.each([
    [
      { kind: 'explode' },
      /kind: must be one of throttle, throttle-no-retry-after, error-500, error-503, reset, delay; got "explode"/,
    ],
    [{}, /kind: must be one of .*got nothing/],
    [{ kind: 'throttle', cout: 2 }, /cout: unknown field/],
    [{ kind: 'throttle', count: 1.5 }, /count: must be a whole number from 1/],
    [{ kind: 'throttle', rate: 0 }, /rate: must be a number above 0 and at most 1/],
    [{ kind: 'throttle', rate: 1.5 }, /rate:/],
    [{ kind: 'throttle', seconds: -1 }, /seconds: must be a whole number/],
    [
      { kind: 'delay', seconds: 2 },
      /seconds: only throttle and error-503 send Retry-After; a delay takes delayMs/,
    ],
    [{ kind: 'throttle', delayMs: 5 }, /delayMs: only a delay rule takes delayMs/],
    [{ kind: 'delay', delayMs: 10_000_000 }, /delayMs: must be a whole number 0–600000/],
    [{ kind: 'reset', pathPrefix: 'dataCollectionRules' }, /pathPrefix: must be a path starting with \//],
    ['throttle', /must be a JSON object/],
  ])('refuses %o', (rule, message) => {
    expect(() => checkFaultRule(rule)).toThrow(message);
  });

  it('names the position of a bad rule in an array', () => {
    expect(() => parseFaultRules([{ kind: 'reset' }, { kind: 'reset', count: -1 }])).toThrow(
      /^\[1\]\.count:/,
    );
  });

  it('refuses an empty array', () => {
    expect(() => parseFaultRules([])).toThrow(/empty/);
  });
});

describe('the /admin/faults endpoint', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
  });
  function start(): FaultInjector {
    const faults = new FaultInjector();
    app = Fastify();
    faultRoutes(app, faults);
    return faults;
  }

  it('adds one rule and answers 201 with the active rules', async () => {
    const faults = start();
    const res = await app?.inject({
      method: 'POST',
      url: '/admin/faults',
      payload: { kind: 'throttle', count: 2, seconds: 3 },
    });
    expect(res?.statusCode).toBe(201);
    expect(res?.json()).toEqual({ rules: [{ kind: 'throttle', count: 2, seconds: 3 }] });
    expect(faults.list()).toHaveLength(1);
  });

  it('adds an array of rules', async () => {
    const faults = start();
    const res = await app?.inject({
      method: 'POST',
      url: '/admin/faults',
      payload: [{ kind: 'reset' }, { kind: 'error-500', rate: 0.1 }],
    });
    expect(res?.statusCode).toBe(201);
    expect(faults.list().map((r) => r.kind)).toEqual(['reset', 'error-500']);
  });

  it('lists the active rules', async () => {
    const faults = start();
    faults.add({ kind: 'error-503', count: 4 });
    const res = await app?.inject({ method: 'GET', url: '/admin/faults' });
    expect(res?.json()).toEqual({ rules: [{ kind: 'error-503', count: 4 }] });
  });

  it('clears every rule with DELETE', async () => {
    const faults = start();
    faults.add({ kind: 'error-503', count: 4 });
    const res = await app?.inject({ method: 'DELETE', url: '/admin/faults' });
    expect(res?.statusCode).toBe(204);
    expect(faults.list()).toEqual([]);
  });

  it('answers 400 naming the field of a malformed rule, and adds nothing', async () => {
    const faults = start();
    const res = await app?.inject({
      method: 'POST',
      url: '/admin/faults',
      payload: [{ kind: 'reset' }, { kind: 'nope' }],
    });
    expect(res?.statusCode).toBe(400);
    expect(res?.headers['x-ms-error-code']).toBe('InvalidFaultRule');
    expect(res?.json().error.message).toMatch(/^\[1\]\.kind: must be one of/);
    expect(faults.list()).toEqual([]);
  });

  it('answers 400 for a body that is not JSON, whatever its content type', async () => {
    start();
    for (const headers of [{ 'content-type': 'application/json' }, { 'content-type': 'text/plain' }, {}]) {
      const res = await app?.inject({ method: 'POST', url: '/admin/faults', payload: '{kind:', headers });
      expect(res?.statusCode).toBe(400);
      expect(res?.json().error.message).toMatch(/the body must be JSON/);
    }
  });

  it('leaves the JSON parsing of the rest of the app alone', async () => {
    start();
    app?.post('/echo', (request) => request.body);
    const res = await app?.inject({ method: 'POST', url: '/echo', payload: { a: 1 } });
    expect(res?.json()).toEqual({ a: 1 });
  });
});
