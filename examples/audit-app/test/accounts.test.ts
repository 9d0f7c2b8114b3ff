// Opening and closing accounts (admin only): user_created and user_archived, and a closed account
// refused at sign-in as account_disabled.
import { afterEach, describe, expect, it } from 'vitest';
import { ALICE, asBearer, BOB, only, signIn, startApp } from './support/capture.js';
import type { Captured } from './support/capture.js';

let t: Captured;
afterEach(async () => {
  await t.close();
});

const KIM = { username: 'kim', password: 'kim-demo-password' } as const;

function open(session: string, id: string) {
  return asBearer(t.app, session, {
    method: 'POST',
    url: '/admin/users',
    payload: { id, role: 'clerk', password: `${id}-demo-password` },
  });
}

describe('POST /admin/users', () => {
  it('opens an account the new user signs in with, and emits user_created by the admin', async () => {
    t = await startApp();
    const response = await open(await signIn(t.app, ALICE), 'kim');
    expect(response.statusCode).toBe(201);
    expect(only(t, 'user_created').attributes).toMatchObject({
      'user.id': 'alice',
      'owasp.target_user_id': 'kim',
      'owasp.user_attributes': ['clerk'],
    });
    await signIn(t.app, KIM);
  });

  it('answers 409 to an id that is taken, and 403 (authz_fail) to a clerk', async () => {
    t = await startApp();
    expect((await open(await signIn(t.app, ALICE), 'bob')).statusCode).toBe(409);
    expect((await open(await signIn(t.app, BOB), 'kim')).statusCode).toBe(403);
    expect(t.events('user_created')).toHaveLength(0);
    expect(only(t, 'authz_fail').attributes).toMatchObject({ 'user.id': 'bob' });
  });
});

describe('POST /admin/users/:id/archive', () => {
  it('closes the account (user_archived); signing in with it is refused as account_disabled', async () => {
    t = await startApp();
    const admin = await signIn(t.app, ALICE);
    const response = await asBearer(t.app, admin, { method: 'POST', url: '/admin/users/bob/archive' });
    expect(response.statusCode).toBe(200);
    expect(only(t, 'user_archived').attributes).toMatchObject({
      'user.id': 'alice',
      'owasp.target_user_id': 'bob',
    });
    const login = await t.app.inject({ method: 'POST', url: '/login', payload: BOB });
    expect(login.statusCode).toBe(401);
    expect(only(t, 'authn_login_fail').attributes).toMatchObject({
      'user.id': 'bob',
      'owasp.reason': 'account_disabled',
    });
  });
});
