// An app on the Azure Monitor distro, copied into a fresh npm project and run there: it imports
// only what that project's node_modules holds. It routes security records with
// routeSecurityEvents(), emits records inside and outside a span (probe.mjs), then prints one
// `result:` line: whether its span recorded, its trace id, the meter provider the global API hands
// out, and which @opentelemetry/api file each party resolves. It also serves a request whose
// caller chose not to sample it, with the distro keeping such requests' logs out of App Insights
// (enableTraceBasedSamplingForLogs): its security record must still reach Sentinel.
import { shutdownAzureMonitor, useAzureMonitor } from '@azure/monitor-opentelemetry';
import { context, metrics, trace, TraceFlags } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { routeSecurityEvents, SentinelLogRecordProcessor } from '@otel-sentinel/exporter';
import { apiFiles, emitInAndOutOfSpan } from './probe.mjs';

useAzureMonitor({ enableLiveMetrics: false, enableTraceBasedSamplingForLogs: true });
routeSecurityEvents(
  logs.getLoggerProvider(),
  new SentinelLogRecordProcessor({ mapping: './security-mapping.yaml' }),
);

const run = process.env.RUN_LABEL ?? 'run';
const span = emitInAndOutOfSpan(logs, run);

// The caller's traceparent said "not sampled" (trace flags 0): with a parent-based sampler the
// app's span does not record either.
const unsampledParent = trace.setSpanContext(context.active(), {
  traceId: process.env.UNSAMPLED_TRACE_ID ?? '',
  spanId: '00f067aa0ba902b7',
  traceFlags: TraceFlags.NONE,
  isRemote: true,
});
let unsampledRecording;
trace.getTracer('npm-app').startActiveSpan('GET /report', {}, unsampledParent, (s) => {
  unsampledRecording = s.isRecording();
  const logger = logs.getLogger('npm-app');
  logger.emit({
    eventName: 'authz_fail',
    body: 'denied',
    attributes: { 'security.event': true, 'user.id': `unsampled-user-${run}` },
  });
  logger.emit({ body: `operational-unsampled-${run}` });
  s.end();
});

const result = {
  span,
  unsampledRecording,
  meterProvider: metrics.getMeterProvider().constructor.name,
  api: apiFiles([
    ['app', '.'],
    ['distro', '@azure/monitor-opentelemetry'],
    ["distro's sdk-logs", '@azure/monitor-opentelemetry', '@opentelemetry/sdk-logs'],
    ['exporter', '@otel-sentinel/exporter'],
    ['owasp', '@otel-sentinel/owasp'],
  ]),
};
await shutdownAzureMonitor();
process.stdout.write(`result: ${JSON.stringify(result)}\n`);
