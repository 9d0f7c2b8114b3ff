// An app on the Azure Monitor distro, copied into a fresh npm project and run there: it imports
// only what that project's node_modules holds. It routes security records with
// routeSecurityEvents(), emits records inside and outside a span (probe.mjs), then prints one
// `result:` line: whether its span recorded, its trace id, the meter provider the global API hands
// out, and which @opentelemetry/api file each party resolves.
import { shutdownAzureMonitor, useAzureMonitor } from '@azure/monitor-opentelemetry';
import { metrics } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { routeSecurityEvents, SentinelLogRecordProcessor } from '@otel-sentinel/exporter';
import { apiFiles, emitInAndOutOfSpan } from './probe.mjs';

useAzureMonitor({ enableLiveMetrics: false });
routeSecurityEvents(
  logs.getLoggerProvider(),
  new SentinelLogRecordProcessor({ mapping: './security-mapping.yaml' }),
);

const span = emitInAndOutOfSpan(logs, process.env.RUN_LABEL ?? 'run');
const result = {
  span,
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
