// What distro-app.ts logs, written out by hand from the app's code (never computed by the mapping
// or the exporter): one user id (security) or op id (operational) per source and place, so a
// failing assertion names the source that leaked or was lost.

/** The trace id of the span the app logs inside (its remote parent's). */
export const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

/** The DCR id and stream the app's mapping sends to. */
export const DCR_ID = 'dcr-0123456789abcdef0123456789abcdef';
export const STREAM = 'Custom-DistroSecurity';

/** One Sentinel row: the mapping's columns other than TimeGenerated; no TraceId outside a span. */
export interface SecurityRow {
  readonly UserId: string;
  readonly EventName: string;
  readonly TraceId?: string;
}

/** Every security record the two runs of the app emit, as a row, in the order they are emitted. */
export const SECURITY_ROWS: readonly SecurityRow[] = [
  // The first run: the bridges of the distro's own OpenTelemetry line.
  { UserId: 'user-emit-outside', EventName: 'authn_login_fail' },
  { UserId: 'user-owasp-outside', EventName: 'authn_login_fail' },
  // pino and winston records have no event name: `eventNameFrom` takes their `event` field.
  { UserId: 'user-pino-0.67-nested-outside', EventName: 'authn_login_fail' },
  { UserId: 'user-pino-0.67-flat-outside', EventName: 'authn_token_reuse' },
  { UserId: 'user-winston-instrumentation-outside', EventName: 'authn_login_fail' },
  { UserId: 'user-emit-inside', EventName: 'authn_login_fail', TraceId: TRACE_ID },
  { UserId: 'user-owasp-inside', EventName: 'authz_fail', TraceId: TRACE_ID },
  { UserId: 'user-pino-0.67-nested-inside', EventName: 'authn_login_fail', TraceId: TRACE_ID },
  { UserId: 'user-pino-0.67-flat-inside', EventName: 'authn_token_reuse', TraceId: TRACE_ID },
  { UserId: 'user-winston-instrumentation-inside', EventName: 'authn_login_fail', TraceId: TRACE_ID },
  // The second run: instrumentation-pino 0.70 and @opentelemetry/winston-transport.
  { UserId: 'user-pino-0.70-nested-outside', EventName: 'authn_login_fail' },
  { UserId: 'user-pino-0.70-flat-outside', EventName: 'authn_token_reuse' },
  { UserId: 'user-winston-transport-outside', EventName: 'authn_login_fail' },
  { UserId: 'user-pino-0.70-nested-inside', EventName: 'authn_login_fail', TraceId: TRACE_ID },
  { UserId: 'user-pino-0.70-flat-inside', EventName: 'authn_token_reuse', TraceId: TRACE_ID },
  { UserId: 'user-winston-transport-inside', EventName: 'authn_login_fail', TraceId: TRACE_ID },
];

/** One Application Insights message: its op id (console's is in the text), text and operation id. */
export interface OperationalMessage {
  readonly opId: string;
  readonly message: string;
  readonly operationId?: string;
}

export const OPERATIONAL_MESSAGES: readonly OperationalMessage[] = [
  { opId: 'op-emit-outside', message: 'emit operational' },
  { opId: 'op-pino-0.67-outside', message: 'pino operational' },
  { opId: 'op-winston-instrumentation-outside', message: 'winston operational' },
  { opId: 'op-console-outside', message: 'console operational op-console-outside' },
  { opId: 'op-emit-inside', message: 'emit operational', operationId: TRACE_ID },
  { opId: 'op-pino-0.67-inside', message: 'pino operational', operationId: TRACE_ID },
  { opId: 'op-winston-instrumentation-inside', message: 'winston operational', operationId: TRACE_ID },
  { opId: 'op-console-inside', message: 'console operational op-console-inside', operationId: TRACE_ID },
  { opId: 'op-pino-0.70-outside', message: 'pino operational' },
  { opId: 'op-winston-transport-outside', message: 'winston operational' },
  { opId: 'op-pino-0.70-inside', message: 'pino operational', operationId: TRACE_ID },
  { opId: 'op-winston-transport-inside', message: 'winston operational', operationId: TRACE_ID },
];

/** Sorts rows by user id, so runs and batches may arrive in any order. */
export function byUserId<T extends { readonly UserId?: unknown }>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => String(a.UserId).localeCompare(String(b.UserId)));
}
