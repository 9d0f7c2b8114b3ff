import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALICE, attr, BOB, signIn, startApp } from './support/capture.js';
import type { Captured } from './support/capture.js';

let t: Captured;
let bob: string;

beforeEach(async () => {
  t = startApp();
  bob = await signIn(t.app, BOB);
});
afterEach(async () => {
  await t.close();
});

function audit(eventName: string) {
  const records = t.events(eventName);
  expect(records).toHaveLength(1);
  return records[0];
}

describe('the audit trail of invoices', () => {
  it('records a read with who, what, where and the caller’s correlation id', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/invoices/inv-1001?expand=lines',
      headers: { authorization: bob, 'x-correlation-id': 'req-7f3a' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-correlation-id']).toBe('req-7f3a');
    const read = audit('sensitive_read');
    expect(read?.body).toBe('Read invoice inv-1001');
    expect(read?.attributes).toMatchObject({
      'security.event': true,
      'user.id': 'bob',
      'audit.action': 'Read',
      'audit.entity.type': 'invoice',
      'audit.entity.id': 'inv-1001',
      'correlation.id': 'req-7f3a',
      'client.address': '127.0.0.1',
      'http.request.method': 'GET',
      'url.path': '/api/invoices/inv-1001',
    });
    expect(typeof attr(read, 'session.id')).toBe('string');
  });

  it('generates a correlation id when the caller sends none, or one that is not safe to keep', async () => {
    for (const header of [undefined, 'line\nforged: yes', 'x'.repeat(200)]) {
      const response = await t.app.inject({
        method: 'GET',
        url: '/api/invoices/inv-1001',
        headers:
          header === undefined ? { authorization: bob } : { authorization: bob, 'x-correlation-id': header },
      });
      expect(response.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
    const ids = t.events('sensitive_read').map((r) => attr(r, 'correlation.id'));
    expect(new Set(ids).size).toBe(3);
  });

  it('records a create with the new invoice id and the stated reason', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/invoices',
      headers: { authorization: bob, 'x-audit-reason': 'order 5521' },
      payload: { customer: 'Wide World Importers', amountCents: 31_500, currency: 'EUR' },
    });
    expect(response.statusCode).toBe(201);
    const { id } = response.json<{ id: string }>();
    expect(audit('sensitive_create')?.attributes).toMatchObject({
      'audit.action': 'Create',
      'audit.entity.id': id,
      'audit.reason': 'order 5521',
      'url.path': '/api/invoices',
    });
  });

  it('records an update with the names of the changed fields, never their values', async () => {
    const response = await t.app.inject({
      method: 'PATCH',
      url: '/api/invoices/inv-1002',
      headers: { authorization: bob, 'x-audit-reason': 'credit note 88' },
      payload: { amountCents: 40_000, currency: 'EUR' },
    });
    expect(response.statusCode).toBe(200);
    const update = audit('sensitive_update');
    expect(update?.attributes).toMatchObject({
      'audit.action': 'Update',
      'audit.entity.id': 'inv-1002',
      'audit.reason': 'credit note 88',
      'audit.changed_fields': ['amountCents'],
    });
    expect(JSON.stringify(update?.attributes)).not.toContain('40000');
  });

  it('records a delete with its required reason', async () => {
    const response = await t.app.inject({
      method: 'DELETE',
      url: '/api/invoices/inv-1003',
      headers: { authorization: bob, 'x-audit-reason': 'duplicate of inv-1001' },
    });
    expect(response.statusCode).toBe(204);
    expect(audit('sensitive_delete')?.attributes).toMatchObject({
      'audit.action': 'Delete',
      'audit.entity.id': 'inv-1003',
      'audit.reason': 'duplicate of inv-1001',
      'http.request.method': 'DELETE',
    });
  });

  it('refuses a delete without a reason and audits nothing', async () => {
    const response = await t.app.inject({
      method: 'DELETE',
      url: '/api/invoices/inv-1003',
      headers: { authorization: bob },
    });
    expect(response.statusCode).toBe(400);
    expect(t.events('sensitive_delete')).toHaveLength(0);
  });

  it('uses only the fixed action enum, each with its OWASP event name', async () => {
    const alice = await signIn(t.app, ALICE);
    await t.app.inject({ method: 'GET', url: '/api/invoices/inv-1001', headers: { authorization: alice } });
    await t.app.inject({
      method: 'POST',
      url: '/api/invoices',
      headers: { authorization: alice },
      payload: { customer: 'Contoso', amountCents: 1, currency: 'USD', status: 'sent' },
    });
    await t.app.inject({
      method: 'PATCH',
      url: '/api/invoices/inv-1001',
      headers: { authorization: alice },
      payload: { status: 'paid' },
    });
    await t.app.inject({
      method: 'DELETE',
      url: '/api/invoices/inv-1002',
      headers: { authorization: alice, 'x-audit-reason': 'test' },
    });
    const pairs = t
      .security()
      .filter((r) => attr(r, 'audit.action') !== undefined)
      .map((r) => [r.eventName, attr(r, 'audit.action')]);
    expect(pairs).toEqual([
      ['sensitive_read', 'Read'],
      ['sensitive_create', 'Create'],
      ['sensitive_update', 'Update'],
      ['sensitive_delete', 'Delete'],
    ]);
  });

  it('answers 401 without a session and audits nothing', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/invoices/inv-1001' });
    expect(response.statusCode).toBe(401);
    expect(t.security().filter((r) => r.eventName?.startsWith('sensitive_'))).toHaveLength(0);
  });

  it('answers 404 for an invoice that does not exist and audits nothing', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/invoices/inv-9999',
      headers: { authorization: bob },
    });
    expect(response.statusCode).toBe(404);
    expect(t.events('sensitive_read')).toHaveLength(0);
  });
});
