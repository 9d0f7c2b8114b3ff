import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OWASP_EVENTS } from '@otel-sentinel/owasp';
import { asBearer, attr, BOB, isSecurity, signIn, startApp } from './support/capture.js';
import type { Captured } from './support/capture.js';

let t: Captured;
beforeEach(async () => {
  t = await startApp();
});
afterEach(async () => {
  await t.close();
});

async function exercise(): Promise<void> {
  const bob = await signIn(t.app, BOB);
  await asBearer(t.app, bob, { method: 'GET', url: '/api/invoices/inv-1001' });
  await asBearer(t.app, bob, { method: 'GET', url: '/admin/users' });
  await t.app.inject({ method: 'POST', url: '/login', payload: { username: 'bob', password: 'nope' } });
  await t.app.inject({ method: 'GET', url: '/no/such/page' });
}

describe('operational logs', () => {
  it('say the invoice cache was warmed, without the security flag', () => {
    const [warmed] = t.operational().filter((r) => r.body === 'invoice cache warmed');
    expect(attr(warmed, 'cache.entries')).toBe(3);
    expect(warmed?.attributes).not.toHaveProperty('security.event');
  });

  it('log every finished request with its route and status, without the security flag', async () => {
    await exercise();
    const done = t.operational().filter((r) => r.body === 'request done');
    expect(done.map((r) => [attr(r, 'http.route'), attr(r, 'http.response.status_code')])).toEqual([
      ['/login', 200],
      ['/api/invoices/:id', 200],
      ['/admin/users', 403],
      ['/login', 401],
      ['unknown', 404],
    ]);
  });

  it('include debug details at DEBUG severity', async () => {
    await exercise();
    const debug = t.operational().filter((r) => r.severityText === 'DEBUG');
    expect(debug.map((r) => r.body)).toEqual(expect.arrayContaining(['password checked', 'invoice lookup']));
  });

  it('carry the correlation id the security events of their request carry', async () => {
    await exercise();
    const read = t.events('sensitive_read')[0];
    const done = t.operational().filter((r) => r.body === 'request done');
    expect(done.map((r) => attr(r, 'correlation.id'))).toContain(attr(read, 'correlation.id'));
  });

  it('never carry the security flag, while every security record carries it as boolean true', async () => {
    await exercise();
    expect(t.operational().length).toBeGreaterThan(0);
    for (const record of t.operational()) {
      expect(record.attributes).not.toHaveProperty('security.event');
      expect(record.eventName).toBeUndefined();
    }
    expect(t.security().length).toBeGreaterThan(0);
    const vocabulary = new Set(OWASP_EVENTS.map((e) => e.name));
    for (const record of t.security()) {
      expect(record.attributes['security.event']).toBe(true);
      expect(vocabulary.has(record.eventName ?? ''), record.eventName).toBe(true);
    }
    expect(t.records().filter(isSecurity)).toHaveLength(t.security().length);
  });
});
