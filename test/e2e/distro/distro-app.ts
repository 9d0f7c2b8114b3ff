// An app on the Azure Monitor distro, run as its own process (`node distro-app.ts <sentinel origin>`)
// because useAzureMonitor() registers OpenTelemetry globals and instrumentations for the whole
// process. APPLICATIONINSIGHTS_CONNECTION_STRING points the distro at the test's stand-in;
// NODE_EXTRA_CA_CERTS makes both exporters trust it. Emits security and operational records
// outside a span and inside one whose parent has a hand-written trace id, then shuts down.
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { shutdownAzureMonitor, useAzureMonitor } from '@azure/monitor-opentelemetry';
import { routeSecurityEvents, SentinelLogRecordProcessor } from '@otel-sentinel/exporter';

const DCR_ID = 'dcr-0123456789abcdef0123456789abcdef';
/** The remote parent of the app's span: the records emitted inside it carry this trace id. */
const PARENT = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' };

const origin = process.argv[2];
if (origin === undefined) throw new Error('usage: node distro-app.ts <sentinel origin>');

useAzureMonitor({ enableLiveMetrics: false });
routeSecurityEvents(
  logs.getLoggerProvider(),
  new SentinelLogRecordProcessor({
    mapping: {
      version: 1,
      endpoint: origin,
      dcrImmutableId: DCR_ID,
      streams: [
        {
          stream: 'Custom-Sec',
          table: 'Sec_CL',
          columns: { EventName: 'eventName', UserId: "attributes['user.id']", TraceId: 'traceId' },
        },
      ],
    },
    credential: {
      getToken: () => Promise.resolve({ token: 'distro-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
    },
    spool: false,
  }),
);

const logger = logs.getLogger('distro-app');
logger.emit({
  eventName: 'authn_login_fail',
  body: 'login failed',
  attributes: { 'security.event': true, 'user.id': 'alice-outside' },
});
logger.emit({ body: 'cache warmed', attributes: { 'op.id': 'op-outside' } });

const parent = trace.setSpanContext(context.active(), {
  ...PARENT,
  traceFlags: TraceFlags.SAMPLED,
  isRemote: true,
});
trace.getTracer('distro-app').startActiveSpan('GET /login', {}, parent, (span) => {
  logger.emit({
    eventName: 'authz_fail',
    body: 'access denied',
    attributes: { 'security.event': true, 'user.id': 'bob-inside' },
  });
  logger.emit({ body: 'request handled', attributes: { 'op.id': 'op-inside' } });
  span.end();
});

await shutdownAzureMonitor();
process.stdout.write('distro-app done\n');
