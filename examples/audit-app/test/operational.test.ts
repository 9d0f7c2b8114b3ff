import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attr, BOB, isSecurity, signIn, startApp } from './support/capture.js';
import type { Captured } from './support/capture.js';

let t: Captured;
beforeEach(() => {
  t = startApp();
});
afterEach(async () => {
  await t.close();
});

async function exercise(): Promise<void> {
  const bob = await signIn(t.app, BOB);
  await t.app.inject({ method: 'GET', url: '/api/invoices/inv-1001', headers: { authorization: bob } });
  await t.app.inject({ method: 'GET', url: '/admin/users', headers: { authorization: bob } });
  await t.app.inject({ method: 'POST', url: '/login', payload: { username: 'bob', password: 'nope' } });
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
    ]);
  });

  it('include debug details at DEBUG severity', async () => {
    await exercise();
    const debug = t.operational().filter((r) => r.severityText === 'DEBUG');
    expect(debug.map((r) => r.body)).toEqual(expect.arrayContaining(['password checked', 'invoice lookup']));
  });

  it('never carry the security flag, while every security record carries it as boolean true', async () => {
    await exercise();
    expect(t.operational().length).toBeGreaterThan(0);
    for (const record of t.operational()) {
      expect(record.attributes).not.toHaveProperty('security.event');
      expect(record.eventName).toBeUndefined();
    }
    expect(t.security().length).toBeGreaterThan(0);
    for (const record of t.security()) {
      expect(record.attributes['security.event']).toBe(true);
      expect(record.eventName).toMatch(/^(authn|authz|sensitive)_[a-z_]+$/);
    }
    expect(t.records().filter(isSecurity)).toHaveLength(t.security().length);
  });
});
