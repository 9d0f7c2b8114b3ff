import { compileMapping, loadMapping } from '@otel-sentinel/mapping';
import type { CompiledMapping, MapOutcome } from '@otel-sentinel/mapping';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, asBearer, BOB, isSecurity, sessionHash, signIn, startApp } from './support/capture.js';
import type { Captured } from './support/capture.js';
import { MAPPING_FILE, SENTINEL_ENV } from './support/sentinel-env.js';

const TABLE = 'OwaspSecurityEvents_CL';

let t: Captured;
let mapping: CompiledMapping;
let bob: string;

// One session of the app that emits a good part of what it knows; the real mapping compiler then
// maps its records with the app's mapping (the owasp preset). The failed sign-ins are mallory's (no
// such user), so they lock nobody out.
beforeAll(async () => {
  mapping = compileMapping(loadMapping(MAPPING_FILE, { env: SENTINEL_ENV }), { env: SENTINEL_ENV });
  t = await startApp();
  const inject = t.app.inject.bind(t.app);
  for (let i = 0; i < 3; i++) {
    await inject({ method: 'POST', url: '/login', payload: { username: 'mallory', password: `guess-${i}` } });
  }
  const alice = await signIn(t.app, ALICE);
  bob = await signIn(t.app, BOB, { 'x-forwarded-for': '203.0.113.7', 'user-agent': 'Firefox/133.0' });
  const asBob = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    asBearer(t.app, bob, {
      method,
      url,
      headers: { 'x-forwarded-for': '203.0.113.7', 'user-agent': 'Firefox/133.0' },
      ...(payload === undefined ? {} : { payload }),
    });
  await asBob('GET', '/api/invoices/inv-1001');
  await asBob('POST', '/api/invoices', { customer: 'Contoso', amountCents: 100, currency: 'EUR' });
  await asBob('PATCH', '/api/invoices/inv-1001', { status: 'paid' });
  await asBob('PATCH', '/api/invoices/inv-1003', { status: 'paid' });
  await asBob('DELETE', '/api/invoices/inv-1002');
  await asBob('GET', '/admin/users');
  await asBearer(t.app, alice, { method: 'PUT', url: '/admin/users/bob/role', payload: { role: 'admin' } });
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

describe('the app’s records through the real mapping compiler (the owasp preset)', () => {
  it(`map every security record to a row of ${TABLE}, none rejected or unrouted`, () => {
    const security = mapAll(t.security());
    expect(new Set(security.map((m) => m.record.eventName))).toEqual(
      new Set([
        'authn_login_fail',
        'authn_login_lock',
        'authn_login_success',
        'authz_fail',
        'authz_admin',
        'authz_change',
        'sensitive_read',
        'sensitive_create',
        'sensitive_update',
        'sensitive_delete',
        'sequence_fail',
      ]),
    );
    for (const { record, outcome } of security) {
      expect(outcome.status, record.eventName).toBe('mapped');
      if (outcome.status === 'mapped') expect(outcome.stream.table, record.eventName).toBe(TABLE);
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

  it('fill the ASIM columns of an audit row, the invoice in Object', () => {
    const row = rowOf('sensitive_delete');
    expect(row).toMatchObject({
      EventOriginalType: 'sensitive_delete',
      OwaspCategory: 'DATA',
      EventSeverity: 'Medium',
      EventOriginalSeverity: 'WARN',
      EventResult: 'Success',
      ActorUserId: 'bob',
      SrcIpAddr: '203.0.113.7',
      HttpUserAgent: 'Firefox/133.0',
      HttpRequestMethod: 'DELETE',
      Url: '/api/invoices/inv-1002',
      Object: '/api/invoices/inv-1002',
      DvcHostname: 'localhost',
      TargetAppName: 'contoso-audit-app',
      EventMessage: 'User bob marked the sensitive object /api/invoices/inv-1002 for deletion',
      SessionHash: sessionHash(bob),
      AdditionalFields: { 'owasp.level': 'WARN' },
    });
    expect(row.TimeGenerated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);
    expect(row.CorrelationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(row.RowId).toMatch(/^[0-9a-f]{32}$/);
    // The app runs no tracing, so no record has a span: the row leaves TraceId out.
    expect(row).not.toHaveProperty('TraceId');
  });

  it('keep every session id out of every row, with its keyed hash in SessionHash', () => {
    const success = rowOf('authn_login_success');
    expect(success.SessionHash).toMatch(/^[0-9a-f]{64}$/);
    const rows = mapAll(t.security()).map((m) => (m.outcome.status === 'mapped' ? m.outcome.row : {}));
    expect(JSON.stringify(rows)).not.toContain(bob);
  });

  it('put the reasons of failed sign-ins and the lock in EventResultDetails', () => {
    const fail = rowOf('authn_login_fail');
    expect(fail).toMatchObject({
      ActorUserId: 'mallory',
      EventResultDetails: 'unknown_user',
      EventResult: 'Failure',
    });
    // No session was presented: the row leaves the column out (it reads as empty in the table).
    expect(fail).not.toHaveProperty('SessionHash');
    expect(rowOf('authn_login_lock')).toMatchObject({
      ActorUserId: 'mallory',
      EventResultDetails: 'maxretries',
    });
  });

  it('map a refused admin call as a High-severity failure naming the route', () => {
    expect(rowOf('authz_fail')).toMatchObject({
      EventOriginalType: 'authz_fail',
      EventSeverity: 'High',
      EventOriginalSeverity: 'CRITICAL',
      EventResult: 'Failure',
      ActorUserId: 'bob',
      Object: 'GET /admin/users',
      Url: '/admin/users',
    });
  });

  it('map a role change to OldValue and NewValue, and the skipped invoice step as sequence_fail', () => {
    expect(rowOf('authz_change')).toMatchObject({ ActorUserId: 'bob', OldValue: 'clerk', NewValue: 'admin' });
    expect(rowOf('authz_admin')).toMatchObject({ ActorUserId: 'alice' });
    expect(rowOf('sequence_fail')).toMatchObject({
      ActorUserId: 'bob',
      Url: '/api/invoices/inv-1003',
      EventSeverity: 'High',
    });
  });
});
