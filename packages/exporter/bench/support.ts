// What the exporter benchmarks share: the loopback HTTPS sink and static credential of
// bench/sink.ts, a realistic 12-column mapping and the records.
import { eventName, securityAttributes, securityBody, succeeded, T0 } from '../../../bench/fixtures.ts';
import { median } from '../../../bench/harness.ts';
export { DCR, securityMapping, STREAM } from '../../../bench/fixtures.ts';
export { startSink, StaticCredential } from '../../../bench/sink.ts';
export type { Sink, SinkStats } from '../../../bench/sink.ts';
import { SeverityNumber } from '@opentelemetry/api-logs';
import type { LogRecord } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';

export const resource = resourceFromAttributes({
  'service.name': 'checkout-api',
  'service.version': '4.2.1',
  'host.name': 'checkout-7f9c-2',
  'deployment.environment.name': 'production',
});

/** The i-th security record of a login/audit flow (bench/fixtures.ts): about 1 KB once mapped. */
export function securityRecord(i: number): LogRecord {
  const ok = succeeded(i);
  return {
    timestamp: T0 + i,
    severityNumber: ok ? SeverityNumber.INFO : SeverityNumber.WARN,
    severityText: ok ? 'INFO' : 'WARN',
    eventName: eventName(i),
    body: securityBody(i),
    attributes: securityAttributes(i),
  };
}

/** An operational record: five attributes, a body, a severity. */
export const OPERATIONAL: LogRecord = {
  severityNumber: SeverityNumber.INFO,
  severityText: 'INFO',
  eventName: 'http.request',
  body: 'GET /api/v2/orders/4711 answered 200 in 12 ms',
  attributes: {
    'http.request.method': 'GET',
    'url.path': '/api/v2/orders/4711',
    'http.response.status_code': 200,
    'server.address': 'checkout-7f9c-2',
    'http.server.duration_ms': 12,
  },
};

/** The same record flagged as a security event: one attribute more, nothing else different. */
export const SECURITY: LogRecord = {
  ...OPERATIONAL,
  attributes: { ...OPERATIONAL.attributes, 'security.event': true },
};

export { median };

/** Lets queued callbacks (the processor's drain, I/O) run. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
