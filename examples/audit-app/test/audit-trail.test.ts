import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALICE, asBearer, attr, BOB, only, sessionHash, signIn, startApp } from './support/capture.js';
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

describe('the audit trail of invoices', () => {
  it('records a read with who, which invoice, from where and the caller’s correlation id', async () => {
    const response = await asBearer(t.app, bob, {
      method: 'GET',
      url: '/api/invoices/inv-1001?expand=lines',
      headers: { 'x-correlation-id': 'req-7f3a', 'x-forwarded-for': '203.0.113.7' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-correlation-id']).toBe('req-7f3a');
    const read = only(t, 'sensitive_read');
    expect(read.body).toBe('User bob read the sensitive object /api/invoices/inv-1001');
    expect(read.severityText).toBe('WARN');
    expect(read.attributes).toMatchObject({
      'security.event': true,
      'owasp.category': 'DATA',
      'user.id': 'bob',
      'owasp.object': '/api/invoices/inv-1001',
      'correlation.id': 'req-7f3a',
      'client.address': '203.0.113.7',
      'http.request.method': 'GET',
      'url.path': '/api/invoices/inv-1001',
      'owasp.session_hash': sessionHash(bob),
    });
  });

  it('generates a correlation id when the caller sends none, and echoes it', async () => {
    const response = await asBearer(t.app, bob, { method: 'GET', url: '/api/invoices/inv-1001' });
    const id = response.headers['x-correlation-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(attr(only(t, 'sensitive_read'), 'correlation.id')).toBe(id);
  });

  it('keeps a caller’s correlation id only with its control characters escaped, so it cannot forge a log line', async () => {
    const response = await asBearer(t.app, bob, {
      method: 'GET',
      url: '/api/invoices/inv-1001',
      headers: { 'x-correlation-id': 'line\nforged: yes' },
    });
    const kept = attr(only(t, 'sensitive_read'), 'correlation.id');
    expect(kept).toBe('line\\nforged: yes');
    expect(response.headers['x-correlation-id']).toBe(kept);
  });

  it('records a create with the new invoice as its object', async () => {
    const response = await asBearer(t.app, bob, {
      method: 'POST',
      url: '/api/invoices',
      payload: { customer: 'Wide World Importers', amountCents: 31_500, currency: 'EUR' },
    });
    expect(response.statusCode).toBe(201);
    const { id, status } = response.json<{ id: string; status: string }>();
    expect(status).toBe('draft');
    expect(only(t, 'sensitive_create').attributes).toMatchObject({
      'user.id': 'bob',
      'owasp.object': `/api/invoices/${id}`,
      'url.path': '/api/invoices',
    });
  });

  it('records an update without the values it wrote', async () => {
    const response = await asBearer(t.app, bob, {
      method: 'PATCH',
      url: '/api/invoices/inv-1002',
      payload: { amountCents: 40_000, currency: 'EUR' },
    });
    expect(response.statusCode).toBe(200);
    const update = only(t, 'sensitive_update');
    expect(attr(update, 'owasp.object')).toBe('/api/invoices/inv-1002');
    expect(JSON.stringify(update.attributes)).not.toContain('40000');
  });

  it('records a delete', async () => {
    const response = await asBearer(t.app, bob, { method: 'DELETE', url: '/api/invoices/inv-1003' });
    expect(response.statusCode).toBe(204);
    expect(only(t, 'sensitive_delete').attributes).toMatchObject({
      'owasp.object': '/api/invoices/inv-1003',
      'http.request.method': 'DELETE',
    });
  });

  it('uses one OWASP event per kind of access', async () => {
    const alice = await signIn(t.app, ALICE);
    await asBearer(t.app, alice, { method: 'GET', url: '/api/invoices/inv-1001' });
    await asBearer(t.app, alice, {
      method: 'POST',
      url: '/api/invoices',
      payload: { customer: 'Contoso', amountCents: 1, currency: 'USD', status: 'sent' },
    });
    await asBearer(t.app, alice, {
      method: 'PATCH',
      url: '/api/invoices/inv-1001',
      payload: { status: 'paid' },
    });
    await asBearer(t.app, alice, { method: 'DELETE', url: '/api/invoices/inv-1002' });
    const names = t
      .security()
      .filter((r) => attr(r, 'user.id') === 'alice' && r.eventName?.startsWith('sensitive_'))
      .map((r) => r.eventName);
    expect(names).toEqual(['sensitive_read', 'sensitive_create', 'sensitive_update', 'sensitive_delete']);
  });

  it('answers 401 without a session and audits nothing', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/invoices/inv-1001' });
    expect(response.statusCode).toBe(401);
    expect(t.security().filter((r) => r.eventName?.startsWith('sensitive_'))).toHaveLength(0);
  });

  it('answers 404 for an invoice that does not exist and audits nothing', async () => {
    const response = await asBearer(t.app, bob, { method: 'GET', url: '/api/invoices/inv-9999' });
    expect(response.statusCode).toBe(404);
    expect(t.events('sensitive_read')).toHaveLength(0);
  });
});

describe('the invoice flow', () => {
  it('moves an invoice draft → sent → paid', async () => {
    for (const status of ['sent', 'paid']) {
      const response = await asBearer(t.app, bob, {
        method: 'PATCH',
        url: '/api/invoices/inv-1003',
        payload: { status },
      });
      expect(response.statusCode).toBe(200);
    }
    expect(t.events('sensitive_update')).toHaveLength(2);
    expect(t.events('sequence_fail')).toHaveLength(0);
  });

  it('refuses to mark a draft paid with 409 and sequence_fail, and changes nothing', async () => {
    const response = await asBearer(t.app, bob, {
      method: 'PATCH',
      url: '/api/invoices/inv-1003',
      payload: { status: 'paid' },
    });
    expect(response.statusCode).toBe(409);
    const fail = only(t, 'sequence_fail');
    expect(fail.severityText).toBe('CRITICAL');
    expect(fail.attributes).toMatchObject({
      'user.id': 'bob',
      'url.path': '/api/invoices/inv-1003',
      'owasp.result': 'Failure',
    });
    expect(t.events('sensitive_update')).toHaveLength(0);
    const invoice = await asBearer(t.app, bob, { method: 'GET', url: '/api/invoices/inv-1003' });
    expect(invoice.json<{ status: string }>().status).toBe('draft');
  });

  it('refuses to send a paid invoice back to draft', async () => {
    const response = await asBearer(t.app, bob, {
      method: 'PATCH',
      url: '/api/invoices/inv-1002',
      payload: { status: 'draft' },
    });
    expect(response.statusCode).toBe(409);
    expect(t.events('sequence_fail')).toHaveLength(1);
  });
});

describe('input screening', () => {
  it('finds invoices by customer and audits the search', async () => {
    const response = await asBearer(t.app, bob, { method: 'GET', url: '/api/invoices?customer=northwind' });
    expect(response.statusCode).toBe(200);
    expect(response.json<{ id: string }[]>().map((i) => i.id)).toEqual(['inv-1002']);
    expect(attr(only(t, 'sensitive_read'), 'owasp.object')).toBe('/api/invoices');
  });

  it.each([
    ["' OR 1=1 --", 'SQLI-TAUTOLOGY'],
    ["x' UNION SELECT id FROM users", 'SQLI-UNION'],
    ["admin'--", 'SQLI-COMMENT'],
    ['x; drop table invoices', 'SQLI-STACKED'],
  ])(
    'refuses the search %j with 400 and malicious_sqli naming rule %s, never the text',
    async (text, ruleId) => {
      const response = await asBearer(t.app, bob, {
        method: 'GET',
        url: `/api/invoices?customer=${encodeURIComponent(text)}`,
      });
      expect(response.statusCode).toBe(400);
      const sqli = only(t, 'malicious_sqli');
      expect(sqli.attributes).toMatchObject({
        'user.id': 'bob',
        'owasp.parameter': 'customer',
        'security_rule.name': ruleId,
      });
      expect(JSON.stringify(t.records().map((r) => [r.body, r.attributes]))).not.toContain(text);
      expect(t.events('sensitive_read')).toHaveLength(0);
    },
  );

  it('lets a customer name with an apostrophe through', async () => {
    const response = await asBearer(t.app, bob, {
      method: 'GET',
      url: `/api/invoices?customer=${encodeURIComponent("O'Brien or Sons")}`,
    });
    expect(response.statusCode).toBe(200);
    expect(t.events('malicious_sqli')).toHaveLength(0);
  });

  it('refuses a body with a field the endpoint does not take, with malicious_extraneous naming the field', async () => {
    const response = await asBearer(t.app, bob, {
      method: 'POST',
      url: '/api/invoices',
      payload: { customer: 'Intruder Ltd', amountCents: 1, currency: 'EUR', createdBy: 'alice' },
    });
    expect(response.statusCode).toBe(400);
    expect(only(t, 'malicious_extraneous').attributes).toMatchObject({
      'user.id': 'bob',
      'owasp.input_name': 'createdBy',
    });
    expect(t.events('sensitive_create')).toHaveLength(0);
  });

  it('screens an update the same way', async () => {
    const response = await asBearer(t.app, bob, {
      method: 'PATCH',
      url: '/api/invoices/inv-1001',
      payload: { id: 'inv-1' },
    });
    expect(response.statusCode).toBe(400);
    expect(attr(only(t, 'malicious_extraneous'), 'owasp.input_name')).toBe('id');
  });

  it('answers 401, not malicious_extraneous, to a caller without a session', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/invoices',
      payload: { createdBy: 'alice' },
    });
    expect(response.statusCode).toBe(401);
    expect(t.events('malicious_extraneous')).toHaveLength(0);
  });
});
