// Assembles the gateway: the exporter's delivery pipeline (write-ahead queue, batches, retries,
// spool) for security records, the upstream forwarder for the rest, the request handler between
// them, readiness, metrics and the HTTP server. stop-gateway.ts takes it apart again on close().

import { SentinelLogExporter } from '@otel-sentinel/exporter';
import type { MappingInput } from '@otel-sentinel/mapping';
import { gatewayConfigError } from './errors.js';
import { ExportHandler } from './export-handler.js';
import { GatewayCounters } from './gateway-counters.js';
import { GatewayMetrics } from './gateway-metrics.js';
import type { GatewayOptions, GatewayStats, RunningGateway } from './gateway-options.js';
import type { GatewayParts } from './gateway-parts.js';
import { gatewayStats, metricsSource, queueProblems } from './gateway-stats.js';
import { buildServer } from './http/build-server.js';
import { InboundAuth } from './http/inbound-auth.js';
import { LogLimiter } from './log-limiter.js';
import { Readiness } from './readiness.js';
import { resolveOptions } from './resolve-options.js';
import type { ResolvedOptions } from './resolve-options.js';
import { stopGateway } from './stop-gateway.js';
import { UpstreamForwarder } from './upstream/upstream-forwarder.js';

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
 * The Sentinel pipeline, once it has taken over what an ended run left in the write-ahead queue
 * (before the first request); with `disk` durability, only when that queue could be opened.
 */
async function openExporter(
  options: GatewayOptions,
  resolved: ResolvedOptions,
): Promise<SentinelLogExporter> {
  const exporter = createExporter(options, resolved);
  const pipeline = exporter.pipeline;
  await pipeline.ready;
  if (resolved.durability === 'disk' && !pipeline.persistent) {
    await exporter.shutdown(1);
    throw gatewayConfigError(
      'exporter.spool',
      `cannot open the write-ahead queue (${pipeline.storeError ?? 'unknown error'}); give a writable directory on a persistent local volume (--spool-dir), or durability 'memory'`,
    );
  }
  return exporter;
}

function createUpstream(
  resolved: ResolvedOptions,
  exporter: SentinelLogExporter,
  counters: GatewayCounters,
  log: LogLimiter,
): UpstreamForwarder | undefined {
  const pipeline = exporter.pipeline;
  return resolved.upstream === undefined
    ? undefined
    : new UpstreamForwarder({
        upstream: resolved.upstream,
        maxBytes: resolved.maxUpstreamQueueBytes,
        counters,
        log,
        store: pipeline.persistent ? pipeline.store : undefined,
      });
}

async function listen(app: ReturnType<typeof buildServer>, parts: GatewayParts): Promise<void> {
  const { resolved } = parts;
  try {
    await app.listen({ host: resolved.host, port: resolved.port });
  } catch (error) {
    await Promise.allSettled([parts.exporter.shutdown(), parts.upstream?.close(1)]);
    const code =
      error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : 'error';
    throw gatewayConfigError(
      'port',
      `cannot listen on ${resolved.host}:${resolved.port} (${code}); pick a free port, or 0 for any`,
      { cause: error },
    );
  }
}

// Operational bodies an ended run left are sent once the gateway listens (security rows were
// taken over before it did).
function resumeForwards(parts: GatewayParts): void {
  const { exporter, upstream } = parts;
  if (upstream === undefined) return;
  upstream.resume(exporter.pipeline.adoptedForwards);
  exporter.pipeline.onForwardsAdopted((bodies) => {
    upstream.resume(bodies);
  });
}

function logListening(log: LogLimiter, parts: GatewayParts, url: string, auth: InboundAuth): void {
  const { resolved, exporter } = parts;
  const pipeline = exporter.pipeline;
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
}

/** Between the HTTP server and the two queues. */
function createHandler(parts: GatewayParts, log: LogLimiter): ExportHandler {
  return new ExportHandler({
    exporter: parts.exporter,
    security: parts.exporter.pipeline,
    upstream: parts.upstream,
    counters: parts.counters,
    retryAfterSeconds: parts.resolved.retryAfterSeconds,
    log,
  });
}

/** The URL and port the server listens on (the port the system chose, for port 0). */
function addressOf(
  app: ReturnType<typeof buildServer>,
  resolved: ResolvedOptions,
): { url: string; port: number } {
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : resolved.port;
  const url = `${resolved.tls === undefined ? 'http' : 'https'}://${urlHost(resolved.host)}:${port}`;
  return { url, port };
}

/**
 * Starts the gateway and resolves once it listens. Throws `ConfigError` (`E_GATEWAY_CONFIG`) for options or a
 * mapping that cannot work, or an address it cannot listen on.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const resolved = resolveOptions(options);
  const log = new LogLimiter(resolved.log);
  const exporter = await openExporter(options, resolved);
  const pipeline = exporter.pipeline;
  const counters = new GatewayCounters();
  const upstream = createUpstream(resolved, exporter, counters, log);
  const parts: GatewayParts = { resolved, exporter, counters, upstream };
  const handler = createHandler(parts, log);
  const auth = new InboundAuth(resolved.bearerToken, resolved.apiKey);
  let closing = false;
  const readiness = new Readiness({
    check: (o) => exporter.checkCredential(o),
    authFailures: () => exporter.stats().authFailures,
    queueProblems: () => queueProblems(parts, closing),
    intervalMs: resolved.readinessIntervalMs,
    log,
  });
  const snapshot = (): GatewayStats => gatewayStats(parts, readiness);
  const metrics = new GatewayMetrics(metricsSource(parts, snapshot));

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
  await listen(app, parts);
  readiness.start();
  resumeForwards(parts);
  const { url, port } = addressOf(app, resolved);
  logListening(log, parts, url, auth);

  let closePromise: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing = true;
    return stopGateway({
      parts,
      readiness,
      log,
      closeServer: () => app.close(),
      exportTimeoutMillis: options.exporter?.exportTimeoutMillis,
      snapshot,
    });
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
