import { afterEach, describe, expect, it } from 'vitest';
import { ALICE, attr, BOB, startApp } from './support/capture.js';
import type { Captured } from './support/capture.js';

let t: Captured;
afterEach(async () => {
  await t.close();
});

function login(username: string, password: string) {
  return t.app.inject({
    method: 'POST',
    url: '/login',
    payload: { username, password },
    headers: { 'user-agent': 'curl/8.5.0' },
  });
}

describe('POST /login', () => {
  it('emits authn_login_fail with the user id and client address for a wrong password', async () => {
    t = startApp();
    const response = await login('bob', 'not-bobs-password');
    expect(response.statusCode).toBe(401);
    const [fail, ...more] = t.events('authn_login_fail');
    expect(more).toHaveLength(0);
    expect(fail?.severityText).toBe('WARN');
    expect(attr(fail, 'user.id')).toBe('bob');
    expect(attr(fail, 'client.address')).toBe('127.0.0.1');
    expect(attr(fail, 'http.request.method')).toBe('POST');
    expect(attr(fail, 'url.path')).toBe('/login');
    expect(attr(fail, 'user_agent.original')).toBe('curl/8.5.0');
    expect(attr(fail, 'event.reason')).toBe('wrong_password');
    expect(attr(fail, 'correlation.id')).toBe(response.headers['x-correlation-id']);
  });

  it('never puts the password, or its hash, in any record', async () => {
    t = startApp();
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
    t = startApp();
    const response = await login('mallory', 'whatever-it-is');
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ error: 'wrong user name or password' });
    expect(attr(t.events('authn_login_fail')[0], 'event.reason')).toBe('unknown_user');
  });

  it('emits authn_login_lock on the third failure within the window, and refuses even the right password', async () => {
    t = startApp();
    for (let i = 0; i < 3; i++) await login('bob', `wrong-${i}`);
    expect(t.events('authn_login_fail')).toHaveLength(3);
    const [lock, ...more] = t.events('authn_login_lock');
    expect(more).toHaveLength(0);
    expect(attr(lock, 'user.id')).toBe('bob');
    expect(attr(lock, 'authn.failures')).toBe(3);

    const locked = await login(BOB.username, BOB.password);
    expect(locked.statusCode).toBe(423);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(t.events('authn_login_success')).toHaveLength(0);
    expect(attr(t.events('authn_login_fail').at(-1), 'event.reason')).toBe('account_locked');
  });

  it('does not lock when the failures are further apart than the window', async () => {
    let clock = Date.parse('2025-01-01T00:00:00Z');
    t = startApp({ now: () => clock, lockout: { maxFailures: 3, windowMs: 60_000 } });
    for (let i = 0; i < 3; i++) {
      await login('bob', `wrong-${i}`);
      clock += 40_000;
    }
    expect(t.events('authn_login_lock')).toHaveLength(0);
    expect((await login(BOB.username, BOB.password)).statusCode).toBe(200);
  });

  it('locks after N failures when N is configured', async () => {
    t = startApp({ lockout: { maxFailures: 5 } });
    for (let i = 0; i < 4; i++) await login('bob', `wrong-${i}`);
    expect(t.events('authn_login_lock')).toHaveLength(0);
    await login('bob', 'wrong-4');
    expect(t.events('authn_login_lock')).toHaveLength(1);
  });

  it('emits authn_login_success with the session id it issued', async () => {
    t = startApp();
    const response = await login(ALICE.username, ALICE.password);
    expect(response.statusCode).toBe(200);
    const { sessionId } = response.json<{ sessionId: string }>();
    const [success] = t.events('authn_login_success');
    expect(success?.severityText).toBe('INFO');
    expect(attr(success, 'user.id')).toBe('alice');
    expect(attr(success, 'session.id')).toBe(sessionId);
    expect(attr(success, 'event.outcome')).toBe('success');
  });

  it('answers 400 to a body without a password, and emits no security event', async () => {
    t = startApp();
    const response = await t.app.inject({ method: 'POST', url: '/login', payload: { username: 'bob' } });
    expect(response.statusCode).toBe(400);
    expect(t.security()).toHaveLength(0);
  });
});
