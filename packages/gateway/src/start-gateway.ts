// Assembles the gateway: the exporter's delivery pipeline (write-ahead queue, batches, retries,
// spool) for security records, the upstream forwarder for the rest, the request handler between
// them, readiness, metrics and the HTTP server; and takes it apart again in order on close().

import { SentinelLogExporter } from '@otel-sentinel/exporter';
import type { MappingInput } from '@otel-sentinel/mapping';
import { gatewayConfigError } from './errors.js';
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

/** Builds the Sentinel pipeline; its errors become `ConfigError`s `E_GATEWAY_CONFIG` (the original is the `cause`). */
function createExporter(options: GatewayOptions, resolved: ResolvedOptions): SentinelLogExporter {
  try {
    return new SentinelLogExporter({
      ...options.exporter,
      // Validated by the mapping package (MappingValidationError lists every problem).
      mapping: options.mapping as string | MappingInput,
      env: resolved.env,
      durability: resolved.durability,
      spool: resolved.spool,
      ownerRole: 'gateway',
      // The gateway ends by close(), which hands over what is held; process hooks are the CLI's.
      saveOnExit: options.exporter?.saveOnExit ?? false,
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
    throw gatewayConfigError(option, message, { cause: error });
  }
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Starts the gateway and resolves once it listens. Throws `ConfigError` (`E_GATEWAY_CONFIG`) for options or a
 * mapping that cannot work, or an address it cannot listen on.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const resolved = resolveOptions(options);
  const log = new LogLimiter(resolved.log);
  const exporter = createExporter(options, resolved);
  const pipeline = exporter.pipeline;
  // What an ended run left in the write-ahead queue is taken over before the first request.
  await pipeline.ready;
  if (resolved.durability === 'disk' && !pipeline.persistent) {
    await exporter.shutdown(1);
    throw gatewayConfigError(
      'exporter.spool',
      `cannot open the write-ahead queue (${pipeline.storeError ?? 'unknown error'}); give a writable directory on a persistent local volume (--spool-dir), or durability 'memory'`,
    );
  }
  const counters = new GatewayCounters();
  const upstream =
    resolved.upstream === undefined
      ? undefined
      : new UpstreamForwarder({
          upstream: resolved.upstream,
          maxBytes: resolved.maxUpstreamQueueBytes,
          counters,
          log,
          store: pipeline.persistent ? pipeline.store : undefined,
        });
  const handler = new ExportHandler({
    exporter,
    security: pipeline,
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
    const held = pipeline.held;
    const capacity = pipeline.capacity;
    if (held >= capacity * HIGH_WATER)
      problems.push(`security queue: ${held} of ${capacity} records held (Sentinel is not keeping up)`);
    const recovery = pipeline.recovery();
    if (recovery.remaining > 0)
      problems.push(
        `resuming: ${recovery.remaining} of ${recovery.resumed} security rows an earlier run left in the write-ahead queue are not delivered yet`,
      );
    if (upstream !== undefined && upstream.resumeRemaining > 0)
      problems.push(
        `resuming: ${upstream.resumeRemaining} operational bodies an earlier run left in the write-ahead queue are not forwarded yet`,
      );
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
        recordsNotPersisted: counters.upstreamNotPersisted,
        recordsLeftQueued: counters.upstreamLeftQueued,
        resumeRemaining: upstream?.resumeRemaining ?? 0,
        queuedBytes: upstream?.queuedBytes ?? 0,
        queuedRecords: upstream?.queuedRecords ?? 0,
        maxQueueBytes: upstream?.maxBytes ?? resolved.maxUpstreamQueueBytes,
      },
      securityQueue: { held: pipeline.held, capacity: pipeline.capacity },
      durability: { mode: resolved.durability, spool: pipeline.store?.path },
      recovery: pipeline.recovery(),
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
    await Promise.allSettled([exporter.shutdown(), upstream?.close(1)]);
    const code =
      error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : 'error';
    throw gatewayConfigError(
      'port',
      `cannot listen on ${resolved.host}:${resolved.port} (${code}); pick a free port, or 0 for any`,
      { cause: error },
    );
  }
  readiness.start();
  // Operational bodies an ended run left are sent once the gateway listens (security rows were
  // taken over before it did).
  if (upstream !== undefined) {
    upstream.resume(pipeline.adoptedForwards);
    pipeline.onForwardsAdopted((bodies) => {
      upstream.resume(bodies);
    });
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : resolved.port;
  const url = `${resolved.tls === undefined ? 'http' : 'https'}://${urlHost(resolved.host)}:${port}`;
  const streams = exporter.mapping.streams.map((s) => s.stream).join(', ');
  const durable =
    resolved.durability === 'disk'
      ? `durability: disk, write-ahead queue ${pipeline.store?.path ?? ''}`
      : 'durability: memory, a crash loses what is held';
  log.always(
    `otel-sentinel gateway listening on ${url}/v1/logs (auth: ${auth.describe()}; streams: ${streams}; ` +
      `upstream: ${resolved.upstream?.display ?? 'none, operational records are dropped'}; ${durable})`,
  );
  const recovery = pipeline.recovery();
  if (recovery.resumed > 0 || pipeline.adoptedForwards > 0)
    log.always(
      `resuming what an earlier run left in the write-ahead queue: ${recovery.resumed} security rows, ` +
        `${pipeline.adoptedForwards} operational bodies; /readyz answers 503 until they are sent`,
    );

  let closePromise: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    closing = true;
    readiness.stop();
    // Stops accepting; requests under way finish (and are queued) first.
    await app.close();
    // The pipeline bounds its own drain (exportTimeoutMillis; the rest stays in the write-ahead
    // queue, or is spooled). A credential that ignores cancellation could still hold a delivery,
    // so close() bounds it as well. The store stays open until the upstream drain is done with it.
    const exportTimeout = options.exporter?.exportTimeoutMillis ?? 30_000;
    const drainMs = exportTimeout + Math.min(SPOOL_CLOSE_GRACE_MS, exportTimeout);
    const upstreamClosed = upstream?.close(resolved.shutdownTimeoutMs) ?? Promise.resolve();
    pipeline.keepStoreOpenUntil(upstreamClosed);
    const [securityDrained] = await Promise.all([within(exporter.shutdown(), drainMs), upstreamClosed]);
    if (!securityDrained)
      log.always(
        `the Sentinel pipeline did not finish within ${drainMs} ms at shutdown (a token or upload request that neither ` +
          `answers nor stops when cancelled); rows in the write-ahead queue are sent by the next start`,
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
      await Promise.all([pipeline.flush(timeoutMs), upstream?.drain(timeoutMs)]);
    },
    close: () => (closePromise ??= close()),
  };
}
