// Takes the running gateway apart in order at close(): stop accepting, drain the Sentinel pipeline
// and the upstream within their limits, and say in one line what was taken and what became of it.

import type { LogLimiter } from './log-limiter.js';
import type { GatewayStats } from './gateway-options.js';
import type { GatewayParts } from './gateway-parts.js';
import type { Readiness } from './readiness.js';

/** Most time the Sentinel pipeline gets at close() beyond its own drain limit, to close the spool. */
const SPOOL_CLOSE_GRACE_MS = 5_000;

export interface StopInput {
  readonly parts: GatewayParts;
  readonly readiness: Readiness;
  readonly log: LogLimiter;
  /** Stops the HTTP server; requests under way finish first. */
  readonly closeServer: () => Promise<unknown>;
  /** `exporter.exportTimeoutMillis` as given; default 30 s. */
  readonly exportTimeoutMillis: number | undefined;
  readonly snapshot: () => GatewayStats;
}

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

export async function stopGateway(input: StopInput): Promise<void> {
  const { parts, log } = input;
  const { exporter, upstream, resolved } = parts;
  const pipeline = exporter.pipeline;
  input.readiness.stop();
  // Stops accepting; requests under way finish (and are queued) first.
  await input.closeServer();
  // The pipeline bounds its own drain (exportTimeoutMillis; the rest stays in the write-ahead
  // queue, or is spooled). A credential that ignores cancellation could still hold a delivery,
  // so close() bounds it as well. The store stays open until the upstream drain is done with it.
  const exportTimeout = input.exportTimeoutMillis ?? 30_000;
  const drainMs = exportTimeout + Math.min(SPOOL_CLOSE_GRACE_MS, exportTimeout);
  const upstreamClosed = upstream?.close(resolved.shutdownTimeoutMs) ?? Promise.resolve();
  pipeline.keepStoreOpenUntil(upstreamClosed);
  const [securityDrained] = await Promise.all([within(exporter.shutdown(), drainMs), upstreamClosed]);
  if (!securityDrained)
    log.always(
      `the Sentinel pipeline did not finish within ${drainMs} ms at shutdown (a token or upload request that neither ` +
        `answers nor stops when cancelled); rows in the write-ahead queue are sent by the next start`,
    );
  logStopped(log, input.snapshot());
}

function logStopped(log: LogLimiter, s: GatewayStats): void {
  const dropped = Object.values(s.upstream.recordsDropped).reduce((n, v) => n + v, 0);
  const undelivered = Object.values(s.exporter.rowsUndelivered).reduce((n, v) => n + v, 0);
  log.always(
    `otel-sentinel gateway stopped: ${s.records.security} security and ${s.records.operational} operational records taken; ` +
      `${s.exporter.rowsExported} rows exported, ${undelivered} not delivered (${s.exporter.rowsSpooled} spooled); ` +
      `${s.upstream.recordsSent} operational records forwarded, ${dropped} dropped`,
  );
}
