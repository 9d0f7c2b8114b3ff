// Shared test helpers: a minimal valid mapping and record builders.
import type { LogRecordLike } from '../src/log-record.js';

export const ENV = {
  SENTINEL_DCE_ENDPOINT: 'https://my-dce.westeurope-1.ingest.monitor.azure.com',
  SENTINEL_DCR_IMMUTABLE_ID: 'dcr-0123456789abcdef0123456789abcdef',
  OTEL_SENTINEL_HASH_KEY: 'test-hash-key-0123456789abcdef0123456789',
};

export const HEAD = `version: 1
endpoint: https://my-dce.westeurope-1.ingest.monitor.azure.com
dcrImmutableId: dcr-0123456789abcdef0123456789abcdef
`;

/** A mapping text with one stream whose columns block is `columns` (indented by the caller). */
export function oneStream(columns: string, extra = ''): string {
  return `${HEAD}streams:
  - stream: Custom-Sec
    table: Sec_CL
${extra}    columns:
${columns}`;
}

export function record(
  overrides: Partial<LogRecordLike> & { attributes?: Record<string, unknown> } = {},
): LogRecordLike {
  return {
    hrTime: [1_700_000_000, 123_456_789],
    hrTimeObserved: [1_700_000_001, 0],
    severityNumber: 13,
    severityText: 'WARN',
    eventName: 'authn_login_fail',
    body: 'login failed',
    resource: { attributes: { 'service.name': 'checkout' } },
    instrumentationScope: { name: 'auth', version: '1.2.3' },
    spanContext: { traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', traceFlags: 1 },
    ...overrides,
    attributes: { 'security.event': true, ...(overrides.attributes ?? {}) },
  };
}
