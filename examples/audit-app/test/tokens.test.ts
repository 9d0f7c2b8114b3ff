import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asBearer, attr, BOB, only, signIn, startApp } from './support/capture.js';
import type { Captured } from './support/capture.js';

let t: Captured;
let bob: string;
beforeEach(async () => {
  t = await startApp();
  bob = await signIn(t.app, BOB);
});
afterEach(async () => {
  await t.close();
});

async function createToken(): Promise<{ tokenId: string; token: string }> {
  const response = await asBearer(t.app, bob, { method: 'POST', url: '/api/tokens' });
  expect(response.statusCode).toBe(201);
  return response.json<{ tokenId: string; token: string }>();
}

describe('API tokens', () => {
  it('are created with authn_token_created naming what they allow, and shown once', async () => {
    const { tokenId, token } = await createToken();
    expect(tokenId).toMatch(/^tok-[0-9a-f]{12}$/);
    expect(token).toMatch(/^cat_[A-Za-z0-9_-]{43}$/);
    expect(only(t, 'authn_token_created').attributes).toMatchObject({
      'user.id': 'bob',
      'owasp.entitlements': ['invoices:read'],
    });
  });

  it('read invoices as their owner, audited without a session hash', async () => {
    const { token } = await createToken();
    const response = await asBearer(t.app, token, { method: 'GET', url: '/api/invoices/inv-1001' });
    expect(response.statusCode).toBe(200);
    const read = only(t, 'sensitive_read');
    expect(attr(read, 'user.id')).toBe('bob');
    expect(read.attributes).not.toHaveProperty('owasp.session_hash');
  });

  it('may not change anything: 403 and authz_fail', async () => {
    const { token } = await createToken();
    const response = await asBearer(t.app, token, { method: 'DELETE', url: '/api/invoices/inv-1001' });
    expect(response.statusCode).toBe(403);
    expect(only(t, 'authz_fail').attributes).toMatchObject({
      'user.id': 'bob',
      'owasp.resource': 'DELETE /api/invoices/:id',
    });
    expect(t.events('sensitive_delete')).toHaveLength(0);
  });

  it('are revoked with authn_token_revoked, and a revoked token presented again is authn_token_reuse', async () => {
    const { tokenId, token } = await createToken();
    const revoked = await asBearer(t.app, bob, { method: 'DELETE', url: `/api/tokens/${tokenId}` });
    expect(revoked.statusCode).toBe(204);
    expect(only(t, 'authn_token_revoked').attributes).toMatchObject({
      'user.id': 'bob',
      'owasp.token_id': tokenId,
    });

    const reused = await asBearer(t.app, token, {
      method: 'GET',
      url: '/api/invoices/inv-1001',
      headers: { 'x-forwarded-for': '198.51.100.99' },
    });
    expect(reused.statusCode).toBe(401);
    const reuse = only(t, 'authn_token_reuse');
    expect(reuse.severityText).toBe('CRITICAL');
    expect(reuse.attributes).toMatchObject({
      'user.id': 'bob',
      'owasp.token_id': tokenId,
      'client.address': '198.51.100.99',
    });
  });

  it('never appear in any record, only their id', async () => {
    const { tokenId, token } = await createToken();
    await asBearer(t.app, token, { method: 'GET', url: '/api/invoices/inv-1001' });
    await asBearer(t.app, bob, { method: 'DELETE', url: `/api/tokens/${tokenId}` });
    await asBearer(t.app, token, { method: 'GET', url: '/api/invoices/inv-1001' });
    const text = JSON.stringify(t.records().map((r) => [r.body, r.attributes]));
    expect(text).not.toContain(token);
    expect(text).toContain(tokenId);
  });

  it('can be revoked only by their owner, and only once', async () => {
    const { tokenId } = await createToken();
    const alice = await signIn(t.app, { username: 'alice', password: 'alice-demo-password' });
    expect(
      (await asBearer(t.app, alice, { method: 'DELETE', url: `/api/tokens/${tokenId}` })).statusCode,
    ).toBe(404);
    expect((await asBearer(t.app, bob, { method: 'DELETE', url: `/api/tokens/${tokenId}` })).statusCode).toBe(
      204,
    );
    expect((await asBearer(t.app, bob, { method: 'DELETE', url: `/api/tokens/${tokenId}` })).statusCode).toBe(
      404,
    );
    expect(t.events('authn_token_revoked')).toHaveLength(1);
  });

  it('answers 401 to a token it never issued, without a security event', async () => {
    const response = await asBearer(t.app, `cat_${'A'.repeat(43)}`, {
      method: 'GET',
      url: '/api/invoices/inv-1001',
    });
    expect(response.statusCode).toBe(401);
    expect(t.security().filter((r) => r.eventName !== 'authn_login_success')).toHaveLength(0);
  });
});
