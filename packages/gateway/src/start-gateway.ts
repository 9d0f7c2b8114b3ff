// Assembles the gateway: the exporter's processor (route, map, guard, ship, spill) for security
// records, the upstream forwarder for the rest, the request handler between them, readiness,
// metrics and the HTTP server; and takes it apart again in order on close().

import { SentinelLogRecordProcessor } from '@otel-sentinel/exporter';
import type { MappingInput } from '@otel-sentinel/mapping';
import { GatewayConfigError } from './errors.js';
import { ExportHandler } from './export-handler.js';
import { GatewayCounters } from './gateway-counters.js';
import { GatewayMetrics } from './gateway-metrics.js';
import type { MetricsSnapshot } from './gateway-metrics.js';
import type { GatewayOptions, GatewayStats, RunningGateway } from './gateway-options.js';
import { buildServer } from './http/build-server.js';
import { InboundAuth } from './http/inbound-auth.js';
import { LogLimiter } from './log-limiter.js';
import { Readiness } from './readiness.js';
import { resolveOptions } from './resolve-options.js';
import type { ResolvedOptions } from './resolve-options.js';
import { UpstreamForwarder } from './upstream/upstream-forwarder.js';

/** A queue at or above this share of its limit makes /readyz answer 503 (a high-water mark). */
const HIGH_WATER = 0.9;
/** Most time the Sentinel pipeline gets at close() beyond its own drain limit, to close the spool. */
const SPOOL_CLOSE_GRACE_MS = 5_000;

/** Waits for `work`, for at most `ms`; false when the time ran out first. */
async function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  // Not unref'd: close() must be able to finish its drain when nothing else keeps the process up.
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => {
      resolve(false);
    }, ms);
  });
  try {
    return await Promise.race([work.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function mapToRecord<K extends string | number>(map: ReadonlyMap<K, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of map) out[String(k)] = v;
  return out;
}

/** Builds the Sentinel pipeline; its configuration errors become GatewayConfigErrors. */
function createProcessor(options: GatewayOptions, resolved: ResolvedOptions): SentinelLogRecordProcessor {
  try {
    return new SentinelLogRecordProcessor({
      ...options.exporter,
      // Validated by the mapping package (MappingValidationError lists every problem).
      mapping: options.mapping as string | MappingInput,
      env: resolved.env,
      ...(resolved.maxQueueSize !== undefined ? { maxQueueSize: resolved.maxQueueSize } : {}),
    });
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    const option =
      'option' in error && typeof error.option === 'string'
        ? error.option.startsWith('OTEL_')
          ? error.option
          : `exporter.${error.option}`
        : error.name.startsWith('Mapping')
          ? 'mapping'
          : 'exporter';
    // The underlying message already says what to fix (file:line:col for a mapping).
    const message = error.message.startsWith(`${option.replace(/^exporter\./, '')}: `)
      ? error.message.slice(option.replace(/^exporter\./, '').length + 2)
      : error.message;
    throw new GatewayConfigError(option, message, { cause: error });
  }
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Starts the gateway and resolves once it listens. Throws `GatewayConfigError` for options or a
 * mapping that cannot work, or an address it cannot listen on.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const resolved = resolveOptions(options);
  const log = new LogLimiter(resolved.log);
  const processor = createProcessor(options, resolved);
  const exporter = processor.exporter;
  const counters = new GatewayCounters();
  const upstream =
    resolved.upstream === undefined
      ? undefined
      : new UpstreamForwarder({
          upstream: resolved.upstream,
          maxBytes: resolved.maxUpstreamQueueBytes,
          counters,
          log,
        });
  const handler = new ExportHandler({
    exporter,
    security: processor,
    upstream,
    counters,
    retryAfterSeconds: resolved.retryAfterSeconds,
    log,
  });
  const auth = new InboundAuth(resolved.bearerToken, resolved.apiKey);
  let closing = false;

  const queueProblems = (): string[] => {
    const problems: string[] = [];
    if (closing) problems.push('shutting down');
    const held = processor.queued;
    const capacity = processor.capacity;
    if (held >= capacity * HIGH_WATER)
      problems.push(`security queue: ${held} of ${capacity} records held (Sentinel is not keeping up)`);
    if (upstream !== undefined && upstream.queuedBytes >= upstream.maxBytes * HIGH_WATER)
      problems.push(
        `upstream queue: ${upstream.queuedBytes} of ${upstream.maxBytes} bytes held (the upstream is not keeping up)`,
      );
    return problems;
  };
  const readiness = new Readiness({
    check: (o) => exporter.checkCredential(o),
    authFailures: () => exporter.stats().authFailures,
    queueProblems,
    intervalMs: resolved.readinessIntervalMs,
    log,
  });

  const snapshot = (): GatewayStats => {
    const byStatus: Record<string, number> = {};
    const byFormat: Record<string, number> = {};
    for (const [status, formats] of counters.responses)
      for (const [format, n] of formats) {
        byStatus[status] = (byStatus[status] ?? 0) + n;
        byFormat[format] = (byFormat[format] ?? 0) + n;
      }
    return {
      requests: byStatus,
      requestsByFormat: byFormat,
      records: {
        received: counters.received,
        security: counters.security,
        operational: counters.operational,
        rejected: counters.rejected,
        unrouted: counters.unrouted,
        refused: counters.refused,
      },
      backpressure: mapToRecord(counters.backpressure),
      upstream: {
        configured: upstream !== undefined,
        requests: counters.upstreamRequests,
        retries: counters.upstreamRetries,
        responses: mapToRecord(counters.upstreamResponses),
        recordsSent: counters.upstreamSent,
        recordsDropped: mapToRecord(counters.upstreamDropped),
        queuedBytes: upstream?.queuedBytes ?? 0,
        queuedRecords: upstream?.queuedRecords ?? 0,
        maxQueueBytes: upstream?.maxBytes ?? resolved.maxUpstreamQueueBytes,
      },
      securityQueue: { held: processor.queued, capacity: processor.capacity },
      ready: readiness.report().ready,
      credentialOk: readiness.credentialOk,
      exporter: exporter.stats(),
    };
  };
  const metrics = new GatewayMetrics((): MetricsSnapshot => {
    const byBoth: Record<string, number> = {};
    for (const [status, formats] of counters.responses)
      for (const [format, n] of formats) byBoth[`${status} ${format}`] = n;
    return { ...snapshot(), requestsByStatusAndFormat: byBoth };
  });

  const app = buildServer({
    tls: resolved.tls,
    maxBodyBytes: resolved.maxBodyBytes,
    handler,
    auth,
    counters,
    readiness: () => readiness.report(),
    metrics,
    log,
    closing: () => closing,
  });
  try {
    await app.listen({ host: resolved.host, port: resolved.port });
  } catch (error) {
    await Promise.allSettled([processor.shutdown(), upstream?.close(1)]);
    const code =
      error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : 'error';
    throw new GatewayConfigError(
      'port',
      `cannot listen on ${resolved.host}:${resolved.port} (${code}); pick a free port, or 0 for any`,
      { cause: error },
    );
  }
  readiness.start();
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : resolved.port;
  const url = `${resolved.tls === undefined ? 'http' : 'https'}://${urlHost(resolved.host)}:${port}`;
  const streams = exporter.mapping.streams.map((s) => s.stream).join(', ');
  log.always(
    `otel-sentinel gateway listening on ${url}/v1/logs (auth: ${auth.describe()}; streams: ${streams}; ` +
      `upstream: ${resolved.upstream?.display ?? 'none, operational records are dropped'})`,
  );

  let closePromise: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    closing = true;
    readiness.stop();
    // Stops accepting; requests under way finish (and are queued) first.
    await app.close();
    // The processor bounds its own drain (exportTimeoutMillis; the rest is spooled). A credential
    // that ignores cancellation could still hold a delivery, so close() bounds it as well.
    const exportTimeout = options.exporter?.exportTimeoutMillis ?? 30_000;
    const drainMs = exportTimeout + Math.min(SPOOL_CLOSE_GRACE_MS, exportTimeout);
    const [securityDrained] = await Promise.all([
      within(processor.shutdown(), drainMs),
      upstream?.close(resolved.shutdownTimeoutMs),
    ]);
    if (!securityDrained)
      log.always(
        `the Sentinel pipeline did not finish within ${drainMs} ms at shutdown (a token or upload request that neither ` +
          `answers nor stops when cancelled); the rows it was still delivering were neither delivered nor spooled`,
      );
    const s = snapshot();
    const dropped = Object.values(s.upstream.recordsDropped).reduce((n, v) => n + v, 0);
    const undelivered = Object.values(s.exporter.rowsUndelivered).reduce((n, v) => n + v, 0);
    log.always(
      `otel-sentinel gateway stopped: ${s.records.security} security and ${s.records.operational} operational records taken; ` +
        `${s.exporter.rowsExported} rows exported, ${undelivered} not delivered (${s.exporter.rowsSpooled} spooled); ` +
        `${s.upstream.recordsSent} operational records forwarded, ${dropped} dropped`,
    );
  };

  return {
    url,
    port,
    stats: (): GatewayStats => snapshot(),
    isReady: () => !closing && readiness.report().ready,
    async flush(timeoutMs = 30_000) {
      await Promise.all([processor.forceFlush({ timeoutMillis: timeoutMs }), upstream?.drain(timeoutMs)]);
    },
    close: () => (closePromise ??= close()),
  };
}
