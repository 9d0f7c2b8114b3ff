// The `owasp` preset maps what the helpers really emit: every one of the 57 events, with every
// argument and the request context, becomes a row with no rejected field, and each attribute
// lands in its column or in AdditionalFields. (The mapping package's own preset test builds the
// attribute sets by hand; this one takes them from the SDK records the helpers produce.)
import { context, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { compileMapping, loadMapping } from '@otel-sentinel/mapping';
import type { LogRecordLike } from '@otel-sentinel/mapping';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { OWASP_EVENTS, withSecurityContext } from '../src/index.js';
import { methodNameOf } from '../src/method-name.js';
import type { SecurityEvents } from '../src/index.js';
import { captureSecurityEvents, TEST_HASH_KEY } from './support/capture.js';
import { installContextManager } from './support/context-manager.js';
import { sampleArgs } from './support/sample-args.js';

const ENV = {
  SENTINEL_DCE_ENDPOINT: 'https://my-dce.westeurope-1.ingest.monitor.azure.com',
  SENTINEL_DCR_IMMUTABLE_ID: 'dcr-0123456789abcdef0123456789abcdef',
  OTEL_SENTINEL_HASH_KEY: TEST_HASH_KEY,
};

const mapping = compileMapping(
  loadMapping(
    {
      version: 1,
      extends: 'owasp',
      endpoint: ENV.SENTINEL_DCE_ENDPOINT,
      dcrImmutableId: ENV.SENTINEL_DCR_IMMUTABLE_ID,
    },
    { env: ENV },
  ),
  { env: ENV },
);

const CONTEXT = {
  clientAddress: '198.51.100.7',
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
  method: 'POST',
  path: '/api/login',
  host: 'app.contoso.example',
  correlationId: 'c0ffee00-0000-4000-8000-000000000001',
  sessionId: 's-raw-session-id-0123',
};

/** A span context as a traced request has it (the W3C Trace Context example ids). */
const SPAN = {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceFlags: TraceFlags.SAMPLED,
};

let uninstall: () => void = () => undefined;

beforeAll(() => {
  uninstall = installContextManager();
});

afterAll(() => {
  uninstall();
});

function mappedRow(record: LogRecordLike): Record<string, unknown> {
  const outcome = mapping.map(record);
  if (outcome.status !== 'mapped') throw new Error(JSON.stringify(outcome));
  return outcome.row;
}

function call(security: SecurityEvents, method: string, args: unknown): void {
  const fn = (security as unknown as Record<string, (a: unknown) => void>)[method];
  if (typeof fn !== 'function') throw new Error(`no helper ${method}`);
  fn.call(security, args);
}

describe('the owasp preset on the records the helpers emit', () => {
  for (const event of OWASP_EVENTS) {
    it(`${event.name}: mapped, every field kept, nothing raw`, () => {
      const capture = captureSecurityEvents();
      const args = sampleArgs(event, 'all');
      withSecurityContext(CONTEXT, () => {
        call(capture.security, methodNameOf(event.name), args);
      });
      const record = capture.only() as unknown as LogRecordLike;
      const outcome = mapping.map(record);
      expect(outcome.status, JSON.stringify(outcome)).toBe('mapped');
      if (outcome.status !== 'mapped') return;
      const row = outcome.row;
      expect(row.EventOriginalType).toBe(event.name);
      expect(row.SrcIpAddr).toBe(CONTEXT.clientAddress);
      expect(row.HttpUserAgent).toBe(CONTEXT.userAgent);
      expect(row.Url).toBe(CONTEXT.path);
      expect(row.HttpRequestMethod).toBe(CONTEXT.method);
      expect(row.CorrelationId).toBe(CONTEXT.correlationId);
      // Emitted outside any span: the row leaves TraceId out (it reads as empty in the table).
      expect(row).not.toHaveProperty('TraceId');
      expect(row.SessionHash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(row)).not.toContain(CONTEXT.sessionId);
      expect(['Informational', 'Medium', 'High']).toContain(row.EventSeverity);
      // Every attribute of the record is somewhere in the row: as a column value or in AdditionalFields.
      const text = JSON.stringify(row);
      for (const [key, value] of Object.entries(record.attributes)) {
        if (key === 'security.event' || key === 'owasp.session_hash' || value === undefined) continue;
        const values = Array.isArray(value) ? (value as unknown[]) : [value];
        for (const v of values) expect(text, `${key}=${String(v)}`).toContain(String(v));
      }
      expect(capture.errors).toEqual([]);
    });
  }
});

describe('the owasp preset on a helper event emitted inside a span', () => {
  it("puts the span's trace id in TraceId, the operation_Id Application Insights gives the same request", () => {
    const capture = captureSecurityEvents();
    context.with(trace.setSpanContext(ROOT_CONTEXT, SPAN), () => {
      withSecurityContext(CONTEXT, () => {
        capture.security.authzFail({ userId: 'joebob1', resource: '/admin' });
      });
    });
    const row = mappedRow(capture.only());
    expect(row).toMatchObject({
      EventOriginalType: 'authz_fail',
      ActorUserId: 'joebob1',
      CorrelationId: CONTEXT.correlationId,
      TraceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    });
    expect(capture.errors).toEqual([]);
  });
});
