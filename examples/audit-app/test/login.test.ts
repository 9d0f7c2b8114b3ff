import { afterEach, describe, expect, it } from 'vitest';
import { ALICE, asBearer, attr, BOB, only, sessionHash, signIn, startApp } from './support/capture.js';
import type { Captured } from './support/capture.js';

let t: Captured;
afterEach(async () => {
  await t.close();
});

function login(username: string, password: string, headers: Record<string, string> = {}) {
  return t.app.inject({
    method: 'POST',
    url: '/login',
    payload: { username, password },
    headers: { 'user-agent': 'curl/8.5.0', ...headers },
  });
}

describe('POST /login', () => {
  it('emits authn_login_fail with the user, the reason and the request context for a wrong password', async () => {
    t = await startApp();
    const response = await login('bob', 'not-bobs-password', { 'x-forwarded-for': '198.51.100.7' });
    expect(response.statusCode).toBe(401);
    const fail = only(t, 'authn_login_fail');
    expect(fail.severityText).toBe('WARN');
    expect(fail.body).toBe('User bob login failed');
    expect(fail.attributes).toMatchObject({
      'security.event': true,
      'owasp.category': 'AUTHN',
      'owasp.result': 'Failure',
      'user.id': 'bob',
      'owasp.reason': 'wrong_password',
      'client.address': '198.51.100.7',
      'http.request.method': 'POST',
      'url.path': '/login',
      'user_agent.original': 'curl/8.5.0',
      'correlation.id': response.headers['x-correlation-id'],
    });
    expect(fail.attributes).not.toHaveProperty('owasp.session_hash');
  });

  it('never puts the password, or its hash, in any record', async () => {
    t = await startApp();
    await login('bob', 'not-bobs-password');
    await login('nobody', 'hunter2-secret');
    await login(ALICE.username, ALICE.password);
    const text = JSON.stringify(t.records().map((r) => ({ body: r.body, attributes: r.attributes })));
    for (const secret of ['not-bobs-password', 'hunter2-secret', ALICE.password, 'scrypt$']) {
      expect(text).not.toContain(secret);
    }
    expect(t.records().some((r) => Object.keys(r.attributes).some((k) => /password/i.test(k)))).toBe(false);
  });

  it('says unknown_user when the user name does not exist, and answers as for a wrong password', async () => {
    t = await startApp();
    const response = await login('mallory', 'whatever-it-is');
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ error: 'wrong user name or password' });
    expect(attr(only(t, 'authn_login_fail'), 'owasp.reason')).toBe('unknown_user');
  });

  it('emits authn_login_lock on the third failure within the window, and refuses even the right password', async () => {
    t = await startApp();
    for (let i = 0; i < 3; i++) await login('bob', `wrong-${i}`);
    expect(t.events('authn_login_fail')).toHaveLength(3);
    const lock = only(t, 'authn_login_lock');
    expect(lock.attributes).toMatchObject({ 'user.id': 'bob', 'owasp.reason': 'maxretries' });

    const locked = await login(BOB.username, BOB.password);
    expect(locked.statusCode).toBe(423);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(t.events('authn_login_success')).toHaveLength(0);
    expect(attr(t.events('authn_login_fail').at(-1), 'owasp.reason')).toBe('account_locked');
  });

  it('does not lock when the failures are further apart than the window', async () => {
    let clock = Date.parse('2025-01-01T00:00:00Z');
    t = await startApp({ now: () => clock, lockout: { maxFailures: 3, windowMs: 60_000 } });
    for (let i = 0; i < 3; i++) {
      await login('bob', `wrong-${i}`);
      clock += 40_000;
    }
    expect(t.events('authn_login_lock')).toHaveLength(0);
    expect((await login(BOB.username, BOB.password)).statusCode).toBe(200);
  });

  it('locks after N failures when N is configured', async () => {
    t = await startApp({ lockout: { maxFailures: 5 } });
    for (let i = 0; i < 4; i++) await login('bob', `wrong-${i}`);
    expect(t.events('authn_login_lock')).toHaveLength(0);
    await login('bob', 'wrong-4');
    expect(t.events('authn_login_lock')).toHaveLength(1);
  });

  it('emits authn_login_success with the hash of the session it issued, never the session id', async () => {
    t = await startApp();
    const response = await login(ALICE.username, ALICE.password);
    expect(response.statusCode).toBe(200);
    const { sessionId } = response.json<{ sessionId: string }>();
    const success = only(t, 'authn_login_success');
    expect(success.severityText).toBe('INFO');
    expect(success.attributes).toMatchObject({
      'user.id': 'alice',
      'owasp.result': 'Success',
      'owasp.session_hash': sessionHash(sessionId),
    });
    expect(JSON.stringify(t.records().map((r) => r.attributes))).not.toContain(sessionId);
  });

  it('reports a success after failures as authn_login_successafterfail, with the failures since the last success', async () => {
    t = await startApp();
    await login('bob', 'wrong-1');
    await login('bob', 'wrong-2');
    expect((await login(BOB.username, BOB.password)).statusCode).toBe(200);
    expect(t.events('authn_login_success')).toHaveLength(0);
    expect(only(t, 'authn_login_successafterfail').attributes).toMatchObject({
      'user.id': 'bob',
      'owasp.retries': 2,
    });
    // The count starts again after a success.
    expect((await login(BOB.username, BOB.password)).statusCode).toBe(200);
    expect(t.events('authn_login_success')).toHaveLength(1);
  });

  it('answers 400 to a body without a password, and emits no security event', async () => {
    t = await startApp();
    const response = await t.app.inject({ method: 'POST', url: '/login', payload: { username: 'bob' } });
    expect(response.statusCode).toBe(400);
    expect(t.security()).toHaveLength(0);
  });
});

describe('impossible travel', () => {
  const from = (region: string, ip: string) => ({ 'x-client-region': region, 'x-forwarded-for': ip });

  it('emits authn_impossible_travel when a user signs in from another region within the window', async () => {
    t = await startApp();
    await signIn(t.app, BOB, from('NL-NH', '192.0.2.10'));
    expect(t.events('authn_impossible_travel')).toHaveLength(0);
    await signIn(t.app, BOB, from('CN-SH', '203.0.113.88'));
    const travel = only(t, 'authn_impossible_travel');
    expect(travel.severityText).toBe('CRITICAL');
    expect(travel.attributes).toMatchObject({
      'user.id': 'bob',
      'owasp.from_region': 'NL-NH',
      'owasp.to_region': 'CN-SH',
      'client.address': '203.0.113.88',
    });
  });

  it('says nothing for the same region, or for another region after the window', async () => {
    let clock = Date.parse('2025-01-01T08:00:00Z');
    t = await startApp({ now: () => clock, travel: { windowMs: 3_600_000 } });
    await signIn(t.app, BOB, from('NL-NH', '192.0.2.10'));
    await signIn(t.app, BOB, from('NL-NH', '192.0.2.99'));
    clock += 3_600_000;
    await signIn(t.app, BOB, from('US-OR', '198.51.100.1'));
    expect(t.events('authn_impossible_travel')).toHaveLength(0);
  });

  it('ignores the region header when the app trusts no proxy, as any client could send it', async () => {
    t = await startApp({ trustProxy: false });
    await signIn(t.app, BOB, from('NL-NH', '192.0.2.10'));
    await signIn(t.app, BOB, from('CN-SH', '203.0.113.88'));
    expect(t.events('authn_impossible_travel')).toHaveLength(0);
    expect(attr(t.events('authn_login_success')[0], 'client.address')).toBe('127.0.0.1');
  });
});

describe('sessions', () => {
  it('ends at POST /logout with session_logout, and the session no longer works', async () => {
    t = await startApp();
    const session = await signIn(t.app, BOB);
    expect((await asBearer(t.app, session, { method: 'POST', url: '/logout' })).statusCode).toBe(204);
    expect(only(t, 'session_logout').attributes).toMatchObject({
      'user.id': 'bob',
      'owasp.session_hash': sessionHash(session),
    });
    const again = await asBearer(t.app, session, { method: 'GET', url: '/api/invoices/inv-1001' });
    expect(again.statusCode).toBe(401);
  });

  it('reports a logged-out session presented again as session_use_after_expire, from where and by whom', async () => {
    t = await startApp();
    const session = await signIn(t.app, BOB);
    await asBearer(t.app, session, { method: 'POST', url: '/logout' });
    await asBearer(t.app, session, {
      method: 'GET',
      url: '/api/invoices/inv-1001',
      headers: { 'x-forwarded-for': '198.51.100.71' },
    });
    const replay = only(t, 'session_use_after_expire');
    expect(replay.severityText).toBe('CRITICAL');
    expect(replay.attributes).toMatchObject({
      'user.id': 'bob',
      'client.address': '198.51.100.71',
      'owasp.session_hash': sessionHash(session),
    });
  });

  it('reports a timed-out session presented again the same way', async () => {
    let clock = Date.parse('2025-01-01T08:00:00Z');
    t = await startApp({ now: () => clock, sessions: { ttlMs: 60_000 } });
    const session = await signIn(t.app, BOB);
    expect(
      (await asBearer(t.app, session, { method: 'GET', url: '/api/invoices/inv-1001' })).statusCode,
    ).toBe(200);
    clock += 60_000;
    expect(
      (await asBearer(t.app, session, { method: 'GET', url: '/api/invoices/inv-1001' })).statusCode,
    ).toBe(401);
    expect(attr(only(t, 'session_use_after_expire'), 'user.id')).toBe('bob');
  });

  it('answers 401 to an id it never issued, without a security event', async () => {
    t = await startApp();
    const response = await asBearer(t.app, 'x'.repeat(43), { method: 'GET', url: '/api/invoices/inv-1001' });
    expect(response.statusCode).toBe(401);
    expect(t.security()).toHaveLength(0);
  });
});
