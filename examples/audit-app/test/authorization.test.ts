import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALICE, attr, BOB, signIn, startApp } from './support/capture.js';
import type { Captured } from './support/capture.js';

let t: Captured;
beforeEach(() => {
  t = startApp();
});
afterEach(async () => {
  await t.close();
});

describe('the admin route', () => {
  it('answers 403 to a non-admin and emits authz_fail with who, where and the missing role', async () => {
    const bob = await signIn(t.app, BOB);
    const response = await t.app.inject({
      method: 'GET',
      url: '/admin/users',
      headers: { authorization: bob },
    });
    expect(response.statusCode).toBe(403);
    const [fail, ...more] = t.events('authz_fail');
    expect(more).toHaveLength(0);
    expect(fail?.severityText).toBe('ERROR');
    expect(fail?.attributes).toMatchObject({
      'security.event': true,
      'user.id': 'bob',
      'user.roles': ['clerk'],
      'client.address': '127.0.0.1',
      'http.request.method': 'GET',
      'url.path': '/admin/users',
      'event.outcome': 'failure',
      'authz.required_role': 'admin',
    });
  });

  it('lets an admin in, without authz_fail, and audits the read of the user list', async () => {
    const alice = await signIn(t.app, ALICE);
    const response = await t.app.inject({
      method: 'GET',
      url: '/admin/users',
      headers: { authorization: alice },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual([
      { id: 'alice', role: 'admin' },
      { id: 'bob', role: 'clerk' },
    ]);
    expect(t.events('authz_fail')).toHaveLength(0);
    expect(attr(t.events('sensitive_read')[0], 'audit.entity.type')).toBe('user');
  });

  it('answers 401, not 403, without a session', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/admin/users' });
    expect(response.statusCode).toBe(401);
    expect(t.events('authz_fail')).toHaveLength(0);
  });
});
