// Captures the exact request bodies the OpenTelemetry JS OTLP/HTTP log exporters (protobuf and
// JSON, 0.223.x) send, by pointing both at a throwaway HTTP server on 127.0.0.1.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtobufLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { Resource } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';

export interface CapturedBodies {
  /** Bodies the protobuf exporter sent (Content-Type application/x-protobuf). */
  readonly protobuf: readonly Buffer[];
  /** Bodies the JSON exporter sent (Content-Type application/json). */
  readonly json: readonly Buffer[];
}

/**
 * Runs `emit` against one LoggerProvider that exports every record through both exporters, and
 * returns the bodies each sent. A batch processor per exporter with a large batch puts all records
 * of one flush into one request, as a real application's batch would be.
 */
export async function captureExports(
  emit: (provider: LoggerProvider) => void,
  resource: Resource = resourceFromAttributes({ 'service.name': 'test' }),
): Promise<CapturedBodies> {
  const protobuf: Buffer[] = [];
  const json: Buffer[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const type = request.headers['content-type'] ?? '';
      if (type.startsWith('application/x-protobuf')) protobuf.push(body);
      else if (type.startsWith('application/json')) json.push(body);
      response.writeHead(200, { 'content-type': type });
      response.end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/v1/logs`;
  const batch = { maxExportBatchSize: 10_000, maxQueueSize: 10_000, scheduledDelayMillis: 60_000 };
  const provider = new LoggerProvider({
    resource,
    processors: [
      new BatchLogRecordProcessor({ exporter: new ProtobufLogExporter({ url }), ...batch }),
      new BatchLogRecordProcessor({ exporter: new JsonLogExporter({ url }), ...batch }),
    ],
  });
  try {
    emit(provider);
    await provider.forceFlush();
  } finally {
    await provider.shutdown();
    server.close();
    await once(server, 'close');
  }
  return { protobuf, json };
}
