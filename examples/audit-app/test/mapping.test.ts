import { createHmac } from 'node:crypto';
import { compileMapping, loadMapping } from '@otel-sentinel/mapping';
import type { CompiledMapping, MapOutcome } from '@otel-sentinel/mapping';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, attr, BOB, isSecurity, signIn, startApp } from './support/capture.js';
import type { Captured } from './support/capture.js';
import { MAPPING_FILE, SENTINEL_ENV } from './support/sentinel-env.js';

const AUTH_TABLE = 'ContosoAuthEvents_CL';
const AUDIT_TABLE = 'ContosoAuditEvents_CL';

let t: Captured;
let mapping: CompiledMapping;

// One session of the app that emits every security event it knows; the real mapping compiler then
// maps its records. The failed sign-ins are mallory's (no such user), so bob can still sign in.
beforeAll(async () => {
  mapping = compileMapping(loadMapping(MAPPING_FILE, { env: SENTINEL_ENV }), { env: SENTINEL_ENV });
  t = startApp();
  const inject = t.app.inject.bind(t.app);
  for (let i = 0; i < 3; i++) {
    await inject({ method: 'POST', url: '/login', payload: { username: 'mallory', password: `guess-${i}` } });
  }
  const alice = await signIn(t.app, ALICE);
  const bob = await signIn(t.app, BOB);
  await inject({ method: 'GET', url: '/api/invoices/inv-1001', headers: { authorization: bob } });
  await inject({
    method: 'POST',
    url: '/api/invoices',
    headers: { authorization: bob },
    payload: { customer: 'Contoso', amountCents: 100, currency: 'EUR' },
  });
  await inject({
    method: 'PATCH',
    url: '/api/invoices/inv-1001',
    headers: { authorization: bob },
    payload: { status: 'paid' },
  });
  await inject({
    method: 'DELETE',
    url: '/api/invoices/inv-1002',
    headers: { authorization: bob, 'x-audit-reason': 'duplicate' },
  });
  await inject({ method: 'GET', url: '/admin/users', headers: { authorization: bob } });
  await inject({ method: 'GET', url: '/admin/users', headers: { authorization: alice } });
});
afterAll(async () => {
  await t.close();
});

function mapAll(records: readonly ReadableLogRecord[]): { record: ReadableLogRecord; outcome: MapOutcome }[] {
  return records.map((record) => ({ record, outcome: mapping.map(record) }));
}

function rowOf(eventName: string): Record<string, unknown> {
  const record = t.events(eventName)[0];
  if (record === undefined) throw new Error(`no ${eventName} record`);
  const outcome = mapping.map(record);
  if (outcome.status !== 'mapped') throw new Error(`${eventName}: ${outcome.status}`);
  return outcome.row;
}

describe('the app’s records through the real mapping compiler', () => {
  it('map every security record to a row of the expected table, none rejected or unrouted', () => {
    const security = mapAll(t.security());
    expect(new Set(security.map((m) => m.record.eventName))).toEqual(
      new Set([
        'authn_login_fail',
        'authn_login_lock',
        'authn_login_success',
        'authz_fail',
        'sensitive_read',
        'sensitive_create',
        'sensitive_update',
        'sensitive_delete',
      ]),
    );
    for (const { record, outcome } of security) {
      expect(outcome.status, record.eventName).toBe('mapped');
      if (outcome.status !== 'mapped') continue;
      const expected = /^(authn|authz)_/.test(record.eventName ?? '') ? AUTH_TABLE : AUDIT_TABLE;
      expect(outcome.stream.table, record.eventName).toBe(expected);
    }
    const stats = mapping.stats();
    expect([stats.rejected, stats.unrouted]).toEqual([0, 0]);
  });

  it('skip every operational record', () => {
    const operational = mapAll(t.operational());
    expect(operational.length).toBeGreaterThan(0);
    expect(operational.every((m) => m.outcome.status === 'skipped')).toBe(true);
    expect(t.records().filter(isSecurity)).toHaveLength(t.security().length);
  });

  it('fill the ASIM columns of an audit row, the action enum in Operation', () => {
    const row = rowOf('sensitive_delete');
    expect(row).toMatchObject({
      EventName: 'sensitive_delete',
      EventSeverity: 'WARN',
      EventResult: 'success',
      ActorUserId: 'bob',
      SrcIpAddr: '127.0.0.1',
      HttpRequestMethod: 'DELETE',
      Url: '/api/invoices/inv-1002',
      Operation: 'Delete',
      ObjectType: 'invoice',
      ObjectId: 'inv-1002',
      Reason: 'duplicate',
      TargetAppName: 'contoso-audit-app',
      EventMessage: 'Delete invoice inv-1002',
    });
    expect(row.TimeGenerated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);
    expect(row.CorrelationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('hash the session id with the key and keep the raw id out of every column', () => {
    const sessionId = attr(t.events('authn_login_success')[0], 'session.id');
    if (typeof sessionId !== 'string') throw new Error('authn_login_success has no session.id');
    const row = rowOf('authn_login_success');
    const expected = createHmac('sha256', SENTINEL_ENV.OTEL_SENTINEL_HASH_KEY)
      .update(sessionId)
      .digest('hex');
    expect(row.SessionHash).toBe(expected);
    expect(JSON.stringify(row)).not.toContain(sessionId);
  });

  it('put the unmapped attributes in AdditionalFields, and none of the mapped ones', () => {
    const lock = rowOf('authn_login_lock');
    expect(lock.AdditionalFields).toEqual({ 'authn.failures': 3, 'authn.lock_seconds': 900 });
    const update = rowOf('sensitive_update');
    expect(update.AdditionalFields).toEqual({ 'user.roles': ['clerk'], 'audit.changed_fields': ['status'] });
  });

  it('put a refused admin call in the auth table with the missing role', () => {
    expect(rowOf('authz_fail')).toMatchObject({
      EventName: 'authz_fail',
      EventSeverity: 'ERROR',
      EventResult: 'failure',
      EventResultDetails: 'missing_role',
      ActorUserId: 'bob',
      HttpRequestMethod: 'GET',
      Url: '/admin/users',
      AdditionalFields: { 'user.roles': ['clerk'], 'authz.required_role': 'admin' },
    });
  });
});
