// An app on a plain NodeSDK of the newest OpenTelemetry line, copied into a fresh npm project and
// run there. Its LoggerProvider sends security records to Sentinel; it emits records inside and
// outside a span (probe.mjs), then prints one `result:` line: whether its span recorded, its
// trace id, and which @opentelemetry/api file each party resolves.
import { logs } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { SentinelLogRecordProcessor } from '@otel-sentinel/exporter';
import { apiFiles, emitInAndOutOfSpan } from './probe.mjs';

const sdk = new NodeSDK({
  serviceName: 'npm-app',
  spanProcessors: [new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() })], // 3.x signature
  logRecordProcessors: [new SentinelLogRecordProcessor({ mapping: './security-mapping.yaml' })],
});
sdk.start();

const span = emitInAndOutOfSpan(logs, process.env.RUN_LABEL ?? 'run');
const result = {
  span,
  api: apiFiles([
    ['app', '.'],
    ['sdk-node', '@opentelemetry/sdk-node'],
    ["sdk-node's sdk-logs", '@opentelemetry/sdk-node', '@opentelemetry/sdk-logs'],
    ['exporter', '@otel-sentinel/exporter'],
    ['owasp', '@otel-sentinel/owasp'],
  ]),
};
await sdk.shutdown();
process.stdout.write(`result: ${JSON.stringify(result)}\n`);
