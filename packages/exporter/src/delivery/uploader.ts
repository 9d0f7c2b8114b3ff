// Sends rows with @azure/monitor-ingestion and reports which chunks failed and why. It makes no
// decisions: one attempt per call, no retries, never throws.

import { AsyncLocalStorage } from 'node:async_hooks';
import type { TokenCredential } from '@azure/core-auth';
import { isAggregateLogsUploadError, LogsIngestionClient } from '@azure/monitor-ingestion';
import type { LogsIngestionClientOptions } from '@azure/monitor-ingestion';
import type { Row } from '@otel-sentinel/mapping';
import type { StreamTarget } from '../row-batch.js';
import { withTracingSuppressed } from '../with-tracing-suppressed.js';
import {
  deliveryConfigError,
  InvalidEndpointError,
  RequestTimeoutError,
  UploadAbortedError,
} from './errors.js';

/** Rows of one chunk the service did not accept, and what the client threw for them. */
export interface ChunkFailure {
  readonly rows: Row[];
  readonly cause: unknown;
}

/** One upload attempt of a batch. `Delivery` depends on this, so tests can inject a fake. */
export interface RowUploader {
  /**
   * Sends `rows` once and resolves with the chunks that failed; every row not in a failure was
   * accepted (204). Failed chunks are disjoint subsets of `rows`. Never rejects.
   */
  upload(target: StreamTarget, rows: readonly Row[], signal?: AbortSignal): Promise<readonly ChunkFailure[]>;
}

export interface UploaderOptions {
  /** Entra ID credential for the Logs Ingestion API (scope `<audience>/.default`). */
  readonly credential: TokenCredential;
  /** Token audience for sovereign clouds, e.g. `https://monitor.azure.us`. Default `https://monitor.azure.com`. */
  readonly audience?: string;
  /** Chunks of one upload in flight at once. A whole number ≥ 1. Default `DEFAULT_MAX_CONCURRENCY` (2). */
  readonly maxConcurrency?: number;
  /**
   * A chunk's request, token acquisition included, that has no answer after this long is
   * cancelled and counts as a transient failure. The client sets no timeout of its own, so a
   * silently dropped connection would otherwise hang the upload. Milliseconds; 0 turns it off.
   * Default 60000.
   */
  readonly requestTimeoutMs?: number;
  /**
   * Extra options for every `LogsIngestionClient`, e.g. `tlsOptions: { ca }` to trust a local
   * emulator, or an `httpClient`. `retryOptions` is always replaced by `{ maxRetries: 0 }`.
   */
  readonly clientOptions?: Omit<LogsIngestionClientOptions, 'audience'>;
}

/**
 * Requests of one upload in flight at once, for the exporter, the gateway and replay alike (the
 * client's own default is 5). With up to `maxConcurrentBatches` (4) uploads at once, a process
 * keeps at most 8 requests open to a DCR, well inside its 12,000 requests a minute.
 */
export const DEFAULT_MAX_CONCURRENCY = 2;
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

type PipelinePolicy = Parameters<LogsIngestionClient['pipeline']['addPolicy']>[0];

interface RequestScope {
  readonly signal: AbortSignal | undefined;
  readonly timeoutMs: number;
}

// The caller's signal reaches each request through this scope rather than through upload()'s
// abortSignal option: given that option, the client stops starting chunks once it fires and
// reports nothing about them, so their rows would count as delivered. This way every chunk is
// started, and a chunk started after the abort fails at once, before a token or a byte is sent.
const requestScope = new AsyncLocalStorage<RequestScope>();

/** The request's own signal, the caller's and the timeout's, as one; undefined when there is none. */
function joinedSignal(
  own: unknown,
  signal: AbortSignal | undefined,
  timeout: AbortController | undefined,
): AbortSignal | undefined {
  const signals: AbortSignal[] = [];
  if (own instanceof AbortSignal) signals.push(own);
  if (signal !== undefined) signals.push(signal);
  if (timeout !== undefined) signals.push(timeout.signal);
  return signals.length > 0 ? AbortSignal.any(signals) : undefined;
}

// Runs before the bearer-token policy, so the signal and the timeout also bound token acquisition.
const requestScopePolicy: PipelinePolicy = {
  name: 'otelSentinelRequestScope',
  async sendRequest(request, next) {
    const scope = requestScope.getStore();
    if (scope === undefined) return next(request);
    const { signal, timeoutMs } = scope;
    const stopped = (): boolean => signal?.aborted === true;
    if (stopped()) throw new UploadAbortedError();
    const timeout = timeoutMs > 0 ? new AbortController() : undefined;
    const timer =
      timeout &&
      setTimeout(() => {
        timeout.abort();
      }, timeoutMs);
    timer?.unref();
    const joined = joinedSignal(request.abortSignal, signal, timeout);
    if (joined !== undefined) request.abortSignal = joined;
    try {
      return await next(request);
    } catch (error) {
      // Only the caller's signal means "stop". The transport reports our timeout as an AbortError
      // or a RestError, depending on a race; an abort we did not ask for (e.g. a token refresh
      // shared with a request that timed out) is a timeout too.
      const timedOut =
        timeout?.signal.aborted === true || (error instanceof Error && error.name === 'AbortError');
      if (timedOut && !stopped()) throw new RequestTimeoutError(timeoutMs, { cause: error });
      throw error;
    } finally {
      clearTimeout(timer);
    }
  },
};

export class Uploader implements RowUploader {
  private readonly clients = new Map<string, LogsIngestionClient>();
  private readonly credential: TokenCredential;
  private readonly clientOptions: LogsIngestionClientOptions;
  private readonly maxConcurrency: number;
  private readonly requestTimeoutMs: number;

  /** @throws ConfigError naming the option when a value is out of range. */
  constructor(options: UploaderOptions) {
    const maxConcurrency = options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY;
    if (!Number.isInteger(maxConcurrency) || maxConcurrency < 1)
      throw deliveryConfigError('maxConcurrency', 'must be a whole number ≥ 1', maxConcurrency);
    const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    if (!Number.isFinite(requestTimeoutMs) || requestTimeoutMs < 0)
      throw deliveryConfigError('requestTimeoutMs', 'must be a finite number ≥ 0', requestTimeoutMs);
    this.credential = options.credential;
    this.maxConcurrency = maxConcurrency;
    this.requestTimeoutMs = requestTimeoutMs;
    this.clientOptions = {
      ...options.clientOptions,
      ...(options.audience !== undefined ? { audience: options.audience } : {}),
      // Delivery's retry policy is the only retry layer. The client's own (3 retries) would
      // multiply attempts and waits behind our budget, hold whole chunks through waits we cannot
      // see or cancel, and it ignores a 429 without Retry-After anyway.
      retryOptions: { maxRetries: 0 },
    };
  }

  async upload(
    target: StreamTarget,
    rows: readonly Row[],
    signal?: AbortSignal,
  ): Promise<readonly ChunkFailure[]> {
    if (rows.length === 0) return [];
    if (signal?.aborted === true) return [{ rows: rows.slice(), cause: new UploadAbortedError() }];
    try {
      const client = this.clientFor(target.endpoint);
      const scope: RequestScope = { signal, timeoutMs: this.requestTimeoutMs };
      // The token requests the client makes inside the upload are suppressed with it.
      await withTracingSuppressed(() =>
        requestScope.run(scope, () =>
          client.upload(target.dcrImmutableId, target.stream, rows.slice(), {
            maxConcurrency: this.maxConcurrency,
          }),
        ),
      );
      return [];
    } catch (error) {
      // The aggregate's message is broken ("undefined\n}"); only its errors are read.
      if (isAggregateLogsUploadError(error) && error.errors.length > 0)
        return error.errors.map((e) => ({ rows: e.failedLogs, cause: e.cause }));
      return [{ rows: rows.slice(), cause: error }];
    }
  }

  /** One client per endpoint, created on first use: it holds the token cache and the connection pool. */
  private clientFor(endpoint: string): LogsIngestionClient {
    let client = this.clients.get(endpoint);
    if (client === undefined) {
      if (!URL.canParse(endpoint) || new URL(endpoint).protocol !== 'https:')
        throw new InvalidEndpointError(endpoint);
      client = new LogsIngestionClient(endpoint, this.credential, this.clientOptions);
      client.pipeline.addPolicy(requestScopePolicy, { beforePolicies: ['bearerTokenAuthenticationPolicy'] });
      this.clients.set(endpoint, client);
    }
    return client;
  }
}
