import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALICE, asBearer, attr, BOB, GRACE, only, signIn, startApp } from './support/capture.js';
import type { Captured } from './support/capture.js';

let t: Captured;
beforeEach(async () => {
  t = await startApp();
});
afterEach(async () => {
  await t.close();
});

describe('the admin routes', () => {
  it('answer 403 to a clerk and emit authz_fail with who, where and the route refused', async () => {
    const bob = await signIn(t.app, BOB);
    const response = await asBearer(t.app, bob, { method: 'GET', url: '/admin/users' });
    expect(response.statusCode).toBe(403);
    const fail = only(t, 'authz_fail');
    expect(fail.severityText).toBe('CRITICAL');
    expect(fail.attributes).toMatchObject({
      'security.event': true,
      'owasp.category': 'AUTHZ',
      'owasp.result': 'Failure',
      'user.id': 'bob',
      'owasp.resource': 'GET /admin/users',
      'client.address': '127.0.0.1',
      'http.request.method': 'GET',
      'url.path': '/admin/users',
    });
  });

  it('let an admin list the users, recorded as authz_admin', async () => {
    const alice = await signIn(t.app, ALICE);
    const response = await asBearer(t.app, alice, { method: 'GET', url: '/admin/users' });
    expect(response.statusCode).toBe(200);
    expect(response.json<{ id: string; role: string }[]>()).toContainEqual({ id: 'bob', role: 'clerk' });
    expect(t.events('authz_fail')).toHaveLength(0);
    expect(only(t, 'authz_admin').attributes).toMatchObject({
      'user.id': 'alice',
      'owasp.admin_event': 'user_list',
    });
  });

  it('answer 401, not 403, without a session', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/admin/users' });
    expect(response.statusCode).toBe(401);
    expect(t.events('authz_fail')).toHaveLength(0);
  });
});

describe('a role change', () => {
  it('emits authz_change for the account and authz_admin for the admin who made it', async () => {
    const alice = await signIn(t.app, ALICE);
    const response = await asBearer(t.app, alice, {
      method: 'PUT',
      url: '/admin/users/grace/role',
      payload: { role: 'admin' },
    });
    expect(response.statusCode).toBe(200);
    expect(only(t, 'authz_change').attributes).toMatchObject({
      'user.id': 'grace',
      'owasp.from_role': 'clerk',
      'owasp.to_role': 'admin',
      'url.path': '/admin/users/grace/role',
    });
    expect(only(t, 'authz_admin').attributes).toMatchObject({
      'user.id': 'alice',
      'owasp.admin_event': 'user_privilege_change',
    });
  });

  it('applies to the sessions the user already has', async () => {
    const grace = await signIn(t.app, GRACE);
    expect((await asBearer(t.app, grace, { method: 'GET', url: '/admin/users' })).statusCode).toBe(403);
    const alice = await signIn(t.app, ALICE);
    await asBearer(t.app, alice, {
      method: 'PUT',
      url: '/admin/users/grace/role',
      payload: { role: 'admin' },
    });
    expect((await asBearer(t.app, grace, { method: 'GET', url: '/admin/users' })).statusCode).toBe(200);
  });

  it('emits nothing when the role does not change, and 404 for an unknown user', async () => {
    const alice = await signIn(t.app, ALICE);
    const same = await asBearer(t.app, alice, {
      method: 'PUT',
      url: '/admin/users/bob/role',
      payload: { role: 'clerk' },
    });
    expect(same.statusCode).toBe(200);
    const unknown = await asBearer(t.app, alice, {
      method: 'PUT',
      url: '/admin/users/zed/role',
      payload: { role: 'admin' },
    });
    expect(unknown.statusCode).toBe(404);
    expect(t.events('authz_change')).toHaveLength(0);
  });

  it('is refused to a clerk, with authz_fail', async () => {
    const bob = await signIn(t.app, BOB);
    const response = await asBearer(t.app, bob, {
      method: 'PUT',
      url: '/admin/users/bob/role',
      payload: { role: 'admin' },
    });
    expect(response.statusCode).toBe(403);
    expect(attr(only(t, 'authz_fail'), 'owasp.resource')).toBe('PUT /admin/users/:id/role');
    expect(t.events('authz_change')).toHaveLength(0);
  });
});

describe('lifting a lockout', () => {
  it('lets the user sign in again and is recorded as authz_admin', async () => {
    for (let i = 0; i < 3; i++)
      await t.app.inject({
        method: 'POST',
        url: '/login',
        payload: { username: 'bob', password: `wrong-${i}` },
      });
    const alice = await signIn(t.app, ALICE);
    const response = await asBearer(t.app, alice, { method: 'POST', url: '/admin/users/bob/unlock' });
    expect(response.json()).toEqual({ id: 'bob', wasLocked: true });
    expect(t.events('authz_admin').map((r) => attr(r, 'owasp.admin_event'))).toEqual(['user_unlock']);
    await signIn(t.app, BOB);
    expect(attr(only(t, 'authn_login_successafterfail'), 'owasp.retries')).toBe(3);
  });

  it('records nothing when the account was not locked', async () => {
    const alice = await signIn(t.app, ALICE);
    const response = await asBearer(t.app, alice, { method: 'POST', url: '/admin/users/bob/unlock' });
    expect(response.json()).toEqual({ id: 'bob', wasLocked: false });
    expect(t.events('authz_admin')).toHaveLength(0);
  });
});

describe('the invoice read audit', () => {
  const readAudit = '/admin/monitors/invoice-read-audit';

  it('can be switched off by an admin (sys_monitor_disabled), and reads then go unaudited', async () => {
    const alice = await signIn(t.app, ALICE);
    const off = await asBearer(t.app, alice, { method: 'PUT', url: readAudit, payload: { enabled: false } });
    expect(off.statusCode).toBe(200);
    expect(only(t, 'sys_monitor_disabled').attributes).toMatchObject({
      'user.id': 'alice',
      'owasp.monitor': 'invoice-read-audit',
      'owasp.result': 'NA',
    });
    await asBearer(t.app, alice, { method: 'GET', url: '/api/invoices/inv-1001' });
    expect(t.events('sensitive_read')).toHaveLength(0);
  });

  it('is audited again once switched back on (sys_monitor_enabled)', async () => {
    const alice = await signIn(t.app, ALICE);
    await asBearer(t.app, alice, { method: 'PUT', url: readAudit, payload: { enabled: false } });
    await asBearer(t.app, alice, { method: 'PUT', url: readAudit, payload: { enabled: true } });
    expect(t.events('sys_monitor_enabled')).toHaveLength(1);
    await asBearer(t.app, alice, { method: 'GET', url: '/api/invoices/inv-1001' });
    expect(t.events('sensitive_read')).toHaveLength(1);
  });

  it('cannot be switched off by a clerk', async () => {
    const bob = await signIn(t.app, BOB);
    const response = await asBearer(t.app, bob, {
      method: 'PUT',
      url: readAudit,
      payload: { enabled: false },
    });
    expect(response.statusCode).toBe(403);
    expect(t.events('sys_monitor_disabled')).toHaveLength(0);
  });
});
