// The parts SentinelLogExporter's constructor builds from its options, one per function, so the
// constructor reads as the order in which they are checked and made.

import type { TokenCredential } from '@azure/core-auth';
import type { CompiledStream } from '@otel-sentinel/mapping';
import type { SentinelLogExporterOptions } from './config.js';
import { DEFAULT_AUTHORITY_HOST, FailureExplainer } from './delivery/failure-reporter.js';
import { Uploader } from './delivery/uploader.js';
import { exporterConfigError } from './errors.js';
import type { StreamTarget } from './row-batch.js';
import type { ProbeOptions } from './startup-check.js';

export const AUDIENCE_ENV = 'OTEL_SENTINEL_AUDIENCE';
const DEFAULT_AUDIENCE = 'https://monitor.azure.com';

export function targetOf(s: CompiledStream): StreamTarget {
  return { endpoint: s.endpoint, dcrImmutableId: s.dcrImmutableId, stream: s.stream, table: s.table };
}

/** One target per stream + DCR (batches group by it), and the distinct targets in mapping order. */
export function streamTargets(streams: readonly CompiledStream[]): {
  readonly byStream: Map<CompiledStream, StreamTarget>;
  readonly distinct: StreamTarget[];
} {
  const byKey = new Map<string, StreamTarget>();
  const byStream = new Map<CompiledStream, StreamTarget>();
  for (const s of streams) {
    const key = s.stream + '\u0000' + s.dcrImmutableId;
    let target = byKey.get(key);
    if (target === undefined) byKey.set(key, (target = targetOf(s)));
    byStream.set(s, target);
  }
  return { byStream, distinct: [...byKey.values()] };
}

/** Checks the deployment-check options and returns its timeout in milliseconds. */
export function deploymentCheckTimeoutOf(options: SentinelLogExporterOptions): number {
  const checkTimeoutMs = options.deploymentCheckTimeoutMs ?? 60_000;
  if (!Number.isFinite(checkTimeoutMs) || checkTimeoutMs <= 0)
    throw exporterConfigError(
      'deploymentCheckTimeoutMs',
      `must be a number of milliseconds > 0, got ${String(checkTimeoutMs)}`,
    );
  if (options.deploymentCheck !== undefined && typeof options.deploymentCheck !== 'function')
    throw exporterConfigError(
      'deploymentCheck',
      "must be a function (mapping, { signal }) => Promise<findings>, such as @otel-sentinel/connector's deploymentCheck(…)",
    );
  return checkTimeoutMs;
}

/** The audience set by option or `OTEL_SENTINEL_AUDIENCE`; undefined when unset or empty. */
export function audienceOf(options: SentinelLogExporterOptions, env: NodeJS.ProcessEnv): string | undefined {
  const audience = options.audience ?? env[AUDIENCE_ENV];
  return audience !== undefined && audience !== '' ? audience : undefined;
}

/** The scope the client asks for (monitor-ingestion 1.2: `<audience>/.default`). */
export function scopeOf(audience: string | undefined): string {
  return `${(audience ?? DEFAULT_AUDIENCE).replace(/\/+$/, '')}/.default`;
}

export function newUploader(
  options: SentinelLogExporterOptions,
  credential: TokenCredential,
  audience: string | undefined,
): Uploader {
  return new Uploader({
    credential,
    ...(audience !== undefined ? { audience } : {}),
    ...(options.clientOptions !== undefined ? { clientOptions: options.clientOptions } : {}),
    ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
    // The Uploader holds its default and checks it, as for replay.
    ...(options.maxConcurrency !== undefined ? { maxConcurrency: options.maxConcurrency } : {}),
  });
}

/** Names the cause of a failure, trying the token endpoint itself when the credential does not say. */
export function newExplainer(options: SentinelLogExporterOptions, env: NodeJS.ProcessEnv): FailureExplainer {
  const ca = options.clientOptions?.tlsOptions?.ca;
  // The credential reads the process environment even when `env` is given.
  const authorityHost = env.AZURE_AUTHORITY_HOST ?? process.env.AZURE_AUTHORITY_HOST;
  return new FailureExplainer({
    authorityHost:
      authorityHost !== undefined && authorityHost !== '' ? authorityHost : DEFAULT_AUTHORITY_HOST,
    ...(ca !== undefined ? { ca } : {}),
    requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
  });
}

/** What the start-up check needs: the token, every distinct stream target, and how to explain a failure. */
export function startupCheckInput(
  options: SentinelLogExporterOptions,
  credential: TokenCredential,
  targets: StreamTarget[],
  explainer: FailureExplainer,
  audience: string | undefined,
): Omit<ProbeOptions, 'signal'> {
  return {
    credential,
    targets,
    explainer,
    ...(audience !== undefined ? { audience } : {}),
    ...(options.clientOptions !== undefined ? { clientOptions: options.clientOptions } : {}),
  };
}
