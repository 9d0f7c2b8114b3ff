// Sends spooled rows again through the same delivery pipeline the exporter uses: what
// `otel-sentinel replay <spool-dir>` runs. Delivered rows leave the spool; the rest stay. It
// tells why rows failed (grouped), and stops at the first failure without an answer from the
// service (no token, no connection): every later group would meet it too.

import { defaultCredential } from './default-credential.js';
import type { TokenCredential } from '@azure/core-auth';
import type { LogsIngestionClientOptions } from '@azure/monitor-ingestion';
import type { Row } from '@otel-sentinel/mapping';
import { isCredentialFailure } from './delivery/classify-failure.js';
import type { Failure } from './delivery/classify-failure.js';
import { Delivery } from './delivery/delivery.js';
import type { FailureCauseName } from './delivery/failure-cause.js';
import { reachEndpoint } from './delivery/reach-endpoint.js';
import { RetryPolicy } from './delivery/retry-policy.js';
import { sleep } from './delivery/sleep.js';
import type { RetryDecider, RetryDecision, RetryOptions } from './delivery/retry-policy.js';
import { Uploader } from './delivery/uploader.js';
import type { StreamTarget, UndeliveredReason } from './row-batch.js';
import { replaySpool } from './spool/replay.js';
import type { ReplayResult } from './spool/replay.js';
import type { TargetFields } from './spool/replay-route.js';

export interface ReplayToSentinelOptions {
  /** The spool directory. */
  readonly directory: string;
  /** Default `new DefaultAzureCredential()` (the `AZURE_*` environment variables, …). */
  readonly credential?: TokenCredential;
  /** Token audience for sovereign clouds. Default `https://monitor.azure.com`. */
  readonly audience?: string;
  readonly retry?: RetryOptions;
  readonly clientOptions?: Omit<LogsIngestionClientOptions, 'audience' | 'retryOptions'>;
  /** Spool file name prefix. Default `sentinel-spool`. */
  readonly prefix?: string;
  /** Leave files modified within this many ms (a running exporter's). Default 0. */
  readonly minAgeMs?: number;
  /** Reasons to resend. Default all but `rejected` and `unrouted`. */
  readonly reasons?: readonly UndeliveredReason[];
  /** Count what would be sent; change nothing. */
  readonly dryRun?: boolean;
  readonly signal?: AbortSignal;
  /** Only entries whose target has these values are sent (see `ReplayOptions.from`). */
  readonly from?: TargetFields;
  /** Sends the selected entries to this endpoint, DCR or stream instead (see `ReplayOptions.to`). */
  readonly to?: TargetFields;
  /**
   * Where the credential gets its tokens, named when it fails. Default `AZURE_AUTHORITY_HOST`,
   * else `https://login.microsoftonline.com`.
   */
  readonly authorityHost?: string;
}

/** Rows of one destination that failed for one cause in this run. */
export interface ReplayFailure {
  readonly target: StreamTarget;
  /** `HTTP 404 NotFound`, `HTTP 400 InvalidStream`, `ECONNREFUSED`, `AuthenticationError`: safe to print. */
  readonly summary: string;
  readonly status?: number;
  readonly code?: string;
  readonly rows: number;
}

/** Why replay stopped before the end: a service it needs gave no answer. */
export interface ReplayStop {
  /** `token endpoint` (Entra ID, for the credential) or `ingestion endpoint`. */
  readonly service: 'token endpoint' | 'ingestion endpoint';
  /** The URL it tried: the authority host or the DCE. */
  readonly url: string;
  /** `host:port`. */
  readonly host: string;
  /** The host answered a TLS handshake: the trouble is elsewhere (no credential, a proxy, a reset). */
  readonly reachable: boolean;
  /** In words: `connection refused`, `DNS: host not found`, `TLS: …`, `timeout: …`; when reachable, the failure's summary. */
  readonly cause: string;
  /** What the delivery saw: `AuthenticationError`, `REQUEST_SEND_ERROR`, `request timeout`. */
  readonly failure: string;
}

export interface ReplayToSentinelResult extends ReplayResult {
  /** The failures of this run, per destination and cause, most rows first. */
  readonly failures: readonly ReplayFailure[];
  /** Present when replay stopped early because a service gave no answer; the rest stays in the spool. */
  readonly stopped?: ReplayStop;
}

const DEFAULT_AUTHORITY = 'https://login.microsoftonline.com';

export async function replayToSentinel(options: ReplayToSentinelOptions): Promise<ReplayToSentinelResult> {
  const uploader = new Uploader({
    credential: options.credential ?? defaultCredential(process.env),
    ...(options.audience !== undefined ? { audience: options.audience } : {}),
    ...(options.clientOptions !== undefined ? { clientOptions: options.clientOptions } : {}),
  });
  const policy = new NoAnswerStops(new RetryPolicy(options.retry));
  const halt = new AbortController();
  const signal = options.signal === undefined ? halt.signal : AbortSignal.any([options.signal, halt.signal]);
  const failures = new Map<string, { -readonly [K in keyof ReplayFailure]: ReplayFailure[K] }>();
  let stopped: ReplayStop | undefined;
  const deliver = async (target: StreamTarget, rows: readonly Row[]): Promise<readonly Row[]> => {
    const failed: Row[] = [];
    const delivery = new Delivery({
      uploader,
      policy,
      sleep: sleepKeepingAlive,
      onUndelivered: (_target, undelivered, _reason, failure) => {
        failed.push(...undelivered);
        if (failure.kind !== 'aborted' || stopped === undefined)
          tally(failures, target, failure, undelivered.length);
      },
    });
    await delivery.deliver({ target, rows, bytes: 0 }, signal);
    const noAnswer = policy.takeNoAnswer();
    if (noAnswer !== undefined && stopped === undefined) {
      stopped = await stopFor(noAnswer, target, options);
      halt.abort();
    }
    return failed;
  };
  const result = await replaySpool({
    directory: options.directory,
    deliver,
    ...(options.prefix !== undefined ? { prefix: options.prefix } : {}),
    ...(options.minAgeMs !== undefined ? { minAgeMs: options.minAgeMs } : {}),
    ...(options.reasons !== undefined ? { reasons: options.reasons } : {}),
    ...(options.dryRun !== undefined ? { dryRun: options.dryRun } : {}),
    ...(options.from !== undefined ? { from: options.from } : {}),
    ...(options.to !== undefined ? { to: options.to } : {}),
    signal,
  });
  const list = [...failures.values()].sort((a, b) => b.rows - a.rows);
  return stopped === undefined ? { ...result, failures: list } : { ...result, failures: list, stopped };
}

/**
 * The retry policy, except that a failure without an answer from the service (no connection, no
 * token) is given up at once and kept for `takeNoAnswer`: replay then stops, rather than wait out
 * the retry budget on every group while a person watches.
 */
class NoAnswerStops implements RetryDecider {
  readonly #inner: RetryDecider;
  #noAnswer: Failure | undefined;

  constructor(inner: RetryDecider) {
    this.#inner = inner;
  }

  decide(failure: Failure, attempt: number, elapsedMs: number): RetryDecision {
    if (failure.kind !== 'aborted' && failure.status === undefined) {
      this.#noAnswer ??= failure;
      return { action: 'give-up', reason: 'retries-exhausted' };
    }
    return this.#inner.decide(failure, attempt, elapsedMs);
  }

  takeNoAnswer(): Failure | undefined {
    const failure = this.#noAnswer;
    this.#noAnswer = undefined;
    return failure;
  }
}

async function stopFor(
  failure: Failure,
  target: StreamTarget,
  options: ReplayToSentinelOptions,
): Promise<ReplayStop> {
  const token = isCredentialFailure(failure);
  const url = token
    ? (options.authorityHost ?? nonEmpty(process.env.AZURE_AUTHORITY_HOST) ?? DEFAULT_AUTHORITY)
    : target.endpoint;
  const ca = options.clientOptions?.tlsOptions?.ca;
  const reach = await reachEndpoint(url, ca !== undefined ? { ca } : {});
  return {
    service: token ? 'token endpoint' : 'ingestion endpoint',
    url,
    host: reach.host,
    reachable: reach.ok,
    cause: reach.ok ? failure.summary : inWords(reach.cause, reach.code),
    failure: failure.summary,
  };
}

/** Why a TLS connection could not be made, in the words of replay's last line. */
function inWords(cause: FailureCauseName, code: string): string {
  switch (cause) {
    case 'connection-refused':
      return 'connection refused';
    case 'dns':
      return `DNS: the host name does not resolve (${code})`;
    case 'tls':
      return `TLS: ${code} (the certificate is not trusted here; NODE_EXTRA_CA_CERTS adds a CA)`;
    case 'timeout':
      return 'timeout: no TLS handshake within 5 s';
    default:
      return code;
  }
}

function tally(
  failures: Map<string, { -readonly [K in keyof ReplayFailure]: ReplayFailure[K] }>,
  target: StreamTarget,
  failure: Failure,
  rows: number,
): void {
  const key = `${target.endpoint}\n${target.dcrImmutableId}\n${target.stream}\n${failure.summary}`;
  const seen = failures.get(key);
  if (seen !== undefined) {
    seen.rows += rows;
    return;
  }
  failures.set(key, {
    target,
    summary: failure.summary,
    ...(failure.status !== undefined ? { status: failure.status } : {}),
    ...(failure.code !== undefined ? { code: failure.code } : {}),
    rows,
  });
}

/**
 * The wait between retries. The exporter's is unref()'d, so an app can exit while rows wait; here
 * replay is the whole process, and with nothing else pending Node would end it in the middle of
 * the wait ("unsettled top-level await", exit code 13), so a ref'd timer holds it for as long.
 */
async function sleepKeepingAlive(ms: number, signal?: AbortSignal): Promise<void> {
  const hold = setInterval(() => undefined, 60_000);
  try {
    await sleep(ms, signal);
  } finally {
    clearInterval(hold);
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
