import { afterEach, describe, expect, it } from 'vitest';
import { asBearer, attr, BOB, only, signIn, startApp } from './support/capture.js';
import type { Captured } from './support/capture.js';

let t: Captured;
afterEach(async () => {
  await t.close();
});

describe('attack tools', () => {
  it('are refused with 403 and malicious_attack_tool naming the tool, before any route runs', async () => {
    t = await startApp();
    const response = await t.app.inject({
      method: 'POST',
      url: '/login',
      payload: { username: 'bob', password: 'x' },
      headers: {
        'user-agent': 'Mozilla/5.00 (Nikto/2.1.6) (Evasions:None)',
        'x-forwarded-for': '203.0.113.5',
      },
    });
    expect(response.statusCode).toBe(403);
    const tool = only(t, 'malicious_attack_tool');
    expect(tool.severityText).toBe('CRITICAL');
    expect(tool.attributes).toMatchObject({
      'owasp.tool_name': 'nikto',
      'client.address': '203.0.113.5',
      'user_agent.original': 'Mozilla/5.00 (Nikto/2.1.6) (Evasions:None)',
    });
    expect(t.events('authn_login_fail')).toHaveLength(0);
  });

  it.each([
    'sqlmap/1.8.4#stable (https://sqlmap.org)',
    'gobuster/3.6',
    'Mozilla/5.0 (compatible; Nmap Scripting Engine)',
  ])('recognises %s', async (userAgent) => {
    t = await startApp();
    const response = await t.app.inject({ method: 'GET', url: '/', headers: { 'user-agent': userAgent } });
    expect(response.statusCode).toBe(403);
    expect(t.events('malicious_attack_tool')).toHaveLength(1);
  });

  it.each([
    'curl/8.5.0',
    'nmapviewer/1.0',
    'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  ])('lets %s through', async (userAgent) => {
    t = await startApp();
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/invoices/inv-1001',
      headers: { 'user-agent': userAgent },
    });
    expect(response.statusCode).toBe(401);
    expect(t.events('malicious_attack_tool')).toHaveLength(0);
  });
});

describe('requests for paths that do not exist', () => {
  const probe = (path: string, ip: string) =>
    t.app.inject({ method: 'GET', url: path, headers: { 'x-forwarded-for': ip } });

  it('are reported once per client that reaches the threshold, as malicious_excess_404', async () => {
    t = await startApp({ notFound: { threshold: 3 } });
    for (const path of ['/.env', '/wp-admin/', '/backup.zip', '/db.sql']) {
      expect((await probe(path, '203.0.113.44')).statusCode).toBe(404);
    }
    const report = only(t, 'malicious_excess_404');
    expect(report.body).toBe('A user at 203.0.113.44 has generated a large number of 404 requests');
    expect(report.attributes).toMatchObject({ 'client.address': '203.0.113.44', 'url.path': '/backup.zip' });
  });

  it('are counted per client address', async () => {
    t = await startApp({ notFound: { threshold: 3 } });
    await probe('/a', '192.0.2.1');
    await probe('/b', '192.0.2.2');
    await probe('/c', '192.0.2.1');
    await probe('/d', '192.0.2.2');
    expect(t.events('malicious_excess_404')).toHaveLength(0);
  });

  it('are forgotten after the window', async () => {
    let clock = Date.parse('2025-01-01T08:00:00Z');
    t = await startApp({ now: () => clock, notFound: { threshold: 3, windowMs: 60_000 } });
    for (const path of ['/a', '/b', '/c']) {
      await probe(path, '192.0.2.1');
      clock += 30_000;
    }
    expect(t.events('malicious_excess_404')).toHaveLength(0);
  });
});

describe('the API rate limit', () => {
  it('answers 429 with Retry-After and excess_rate_limit_exceeded past the limit', async () => {
    t = await startApp({ rateLimit: { max: 3, windowMs: 10_000 } });
    const bob = await signIn(t.app, BOB);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push(
        (await asBearer(t.app, bob, { method: 'GET', url: '/api/invoices/inv-1001' })).statusCode,
      );
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const limits = t.events('excess_rate_limit_exceeded');
    expect(limits).toHaveLength(2);
    expect(limits[0]?.attributes).toMatchObject({
      'user.id': 'bob',
      'owasp.max': 3,
      'url.path': '/api/invoices/inv-1001',
    });
    expect(t.events('sensitive_read')).toHaveLength(3);
  });

  it('counts per user, and frees up as the window moves on', async () => {
    let clock = Date.parse('2025-01-01T08:00:00Z');
    t = await startApp({ now: () => clock, rateLimit: { max: 2, windowMs: 10_000 } });
    const bob = await signIn(t.app, BOB);
    const alice = await signIn(t.app, { username: 'alice', password: 'alice-demo-password' });
    const read = (who: string) => asBearer(t.app, who, { method: 'GET', url: '/api/invoices/inv-1001' });
    await read(bob);
    await read(bob);
    expect((await read(alice)).statusCode).toBe(200);
    expect((await read(bob)).statusCode).toBe(429);
    clock += 10_000;
    expect((await read(bob)).statusCode).toBe(200);
    expect(attr(only(t, 'excess_rate_limit_exceeded'), 'user.id')).toBe('bob');
  });
});
