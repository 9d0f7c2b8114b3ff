// The start-up check: gets a token for the Logs Ingestion scope, then sends each configured DCR
// stream one request whose body is an empty JSON array, and explains in one line each what would
// stop the first real rows: a token endpoint that cannot be reached or refuses the credential, a
// 401, a 403 (the Monitoring Metrics Publisher role), a 404 (DCR id or region), InvalidStream, and
// refused connections, DNS, TLS and timeouts. The request holds no row, so nothing can be stored
// whatever the service answers (docs/delivery.md, "The start-up check", says why this request).

import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { LogsIngestionClient } from '@azure/monitor-ingestion';
import type { LogsIngestionClientOptions } from '@azure/monitor-ingestion';
import { hostOf } from './delivery/failure-cause.js';
import type { FailureCause, FailureCauseName } from './delivery/failure-cause.js';
import type { FailureExplainer } from './delivery/failure-reporter.js';
import type { StreamTarget } from './row-batch.js';
import { withTracingSuppressed } from './with-tracing-suppressed.js';

/** What one step of the check found. `line` says what to change when `ok` is false. */
export interface ProbeFinding {
  readonly ok: boolean;
  /** Absent when ok. */
  readonly cause?: FailureCauseName;
  /** One line, safe to print: no token, secret or row value. */
  readonly line: string;
}

export interface StreamProbe extends ProbeFinding {
  readonly target: StreamTarget;
  /** The answer's HTTP status, when there was one. */
  readonly status?: number;
}

export interface StartupCheckReport {
  /** `ok` when a token was had and every stream answered as a working one does. */
  readonly ok: boolean;
  readonly token: ProbeFinding;
  /** One per distinct endpoint, DCR and stream; empty when no token was had. */
  readonly streams: readonly StreamProbe[];
}

/**
 * What `probeStreams` needs.
 * @internal Exported for the CLI's `check --probe`, which runs the start-up check on demand;
 * users get it through the `startupCheck` option.
 */
export interface ProbeOptions {
  readonly credential: TokenCredential;
  readonly targets: readonly StreamTarget[];
  readonly explainer: FailureExplainer;
  /** Token audience; default `https://monitor.azure.com`. */
  readonly audience?: string;
  /** The exporter's `clientOptions` (TLS trust, an httpClient). */
  readonly clientOptions?: Omit<LogsIngestionClientOptions, 'audience' | 'retryOptions'>;
  /** Each step (the token, each stream) gives up after this long. Default 30000 ms. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

const DEFAULT_AUDIENCE = 'https://monitor.azure.com';

/**
 * Runs the check; never rejects.
 * @internal Exported for the CLI's `check --probe`, which runs the start-up check on demand;
 * users get it through the `startupCheck` option.
 */
export async function probeStreams(options: ProbeOptions): Promise<StartupCheckReport> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const audience = (options.audience ?? DEFAULT_AUDIENCE).replace(/\/+$/, '');
  const scope = `${audience}/.default`;
  const got = await tokenFor(options.credential, scope, timeoutMs, options.signal);
  if (!('token' in got)) {
    const { cause, line } = await options.explainer.explain(got.error, {});
    return { ok: false, token: { ok: false, cause: cause.cause, line: `no token: ${line}` }, streams: [] };
  }
  const token: ProbeFinding = { ok: true, line: `got a token for ${scope}` };
  // The streams are probed with that token: one token request in all, whatever the credential caches.
  const once: TokenCredential = { getToken: () => Promise.resolve(got.token) };
  const clients = new Map<string, LogsIngestionClient>();
  const streams: StreamProbe[] = [];
  for (const target of distinct(options.targets)) {
    streams.push(
      await probeStream(target, clientFor(clients, target.endpoint, once, options), options, timeoutMs),
    );
  }
  return { ok: streams.every((s) => s.ok), token, streams };
}

async function tokenFor(
  credential: TokenCredential,
  scope: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<{ token: AccessToken } | { error: unknown }> {
  const stop = AbortSignal.any([AbortSignal.timeout(timeoutMs), ...(signal ? [signal] : [])]);
  let token: AccessToken | null;
  try {
    token = await Promise.race([
      withTracingSuppressed(() => credential.getToken(scope, { abortSignal: stop })),
      aborted(stop),
    ]);
  } catch (error) {
    // A token request that hangs is the token endpoint's timeout, not the ingestion endpoint's.
    return {
      error: stop.aborted
        ? Object.assign(new Error('no token in time'), {
            name: 'CredentialUnavailableError',
            cause: timeoutError(timeoutMs),
          })
        : error,
    };
  }
  return token === null
    ? { error: Object.assign(new Error('no token'), { name: 'CredentialUnavailableError' }) }
    : { token };
}

/**
 * One POST of `[]` through the client's own pipeline (its TLS options, its bearer-token policy),
 * since `upload()` sends nothing for no rows. `_client` is monitor-ingestion 1.2.0's REST client;
 * the package is pinned to that version.
 */
async function probeStream(
  target: StreamTarget,
  client: LogsIngestionClient | Error,
  options: ProbeOptions,
  timeoutMs: number,
): Promise<StreamProbe> {
  const name = `${target.stream} on ${target.dcrImmutableId} at ${hostOf(target.endpoint) ?? target.endpoint}`;
  const fail = async (error: unknown): Promise<StreamProbe> => {
    const { cause, line } = await options.explainer.explain(error, target);
    return { target, ok: false, cause: cause.cause, line: `${name}: ${line}`, ...statusOf(cause) };
  };
  if (client instanceof Error) return fail(client);
  const rest = (client as unknown as { _client?: RestClient })._client;
  if (rest === undefined || typeof rest.path !== 'function')
    return {
      target,
      ok: false,
      cause: 'other',
      line: `${name}: this version of @azure/monitor-ingestion cannot be probed`,
    };
  const stop = AbortSignal.any([AbortSignal.timeout(timeoutMs), ...(options.signal ? [options.signal] : [])]);
  let answer: RestAnswer;
  try {
    // post() returns a thenable that sends when awaited: it is awaited inside the suppression.
    answer = await withTracingSuppressed(
      async () =>
        await rest
          .path('/dataCollectionRules/{ruleId}/streams/{stream}', target.dcrImmutableId, target.stream)
          .post({
            contentType: 'application/json',
            // The client gzips every body; without this header the service could not read it.
            headers: { 'Content-Encoding': 'gzip', accept: 'application/json' },
            body: [],
            abortSignal: stop,
          }),
    );
  } catch (error) {
    return fail(stop.aborted && !(options.signal?.aborted ?? false) ? timeoutError(timeoutMs) : error);
  }
  const status = Number(answer.status);
  const code = serviceCode(answer);
  if (status === 204) return { target, ok: true, status, line: `${name}: ready (204)` };
  // The service answers an empty body with 500 and no error code (its SDK's live tests): the
  // checks that stop real rows (token, role, DCR, stream) answer otherwise.
  if (status === 500 && code === undefined)
    return {
      target,
      ok: true,
      status,
      line: `${name}: reached (500 without an error code, the service's answer to an empty request)`,
    };
  return fail({
    name: 'RestError',
    statusCode: status,
    ...(code !== undefined ? { code } : {}),
    request: { url: target.endpoint },
  });
}

interface RestAnswer {
  readonly status: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string | undefined>;
}

interface RestClient {
  path(
    template: string,
    ...params: string[]
  ): { post(options: Record<string, unknown>): Promise<RestAnswer> };
}

function clientFor(
  clients: Map<string, LogsIngestionClient>,
  endpoint: string,
  credential: TokenCredential,
  options: ProbeOptions,
): LogsIngestionClient | Error {
  if (!URL.canParse(endpoint) || new URL(endpoint).protocol !== 'https:')
    return Object.assign(new Error('not https'), { name: 'InvalidEndpointError' });
  let client = clients.get(endpoint);
  if (client === undefined) {
    client = new LogsIngestionClient(endpoint, credential, {
      ...options.clientOptions,
      ...(options.audience !== undefined ? { audience: options.audience } : {}),
      retryOptions: { maxRetries: 0 },
    });
    clients.set(endpoint, client);
  }
  return client;
}

function serviceCode(answer: RestAnswer): string | undefined {
  const body = answer.body;
  if (typeof body === 'object' && body !== null && 'error' in body) {
    const error = body.error;
    if (typeof error === 'object' && error !== null && 'code' in error) {
      const code = error.code;
      if (typeof code === 'string' && /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/.test(code)) return code;
    }
  }
  const header = answer.headers?.['x-ms-error-code'];
  return typeof header === 'string' && /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/.test(header) ? header : undefined;
}

function statusOf(cause: FailureCause): { status?: number } {
  return cause.status === undefined ? {} : { status: cause.status };
}

function distinct(targets: readonly StreamTarget[]): StreamTarget[] {
  const seen = new Map<string, StreamTarget>();
  for (const t of targets) seen.set(`${t.endpoint}\u0000${t.dcrImmutableId}\u0000${t.stream}`, t);
  return [...seen.values()];
}

function timeoutError(timeoutMs: number): Error {
  return Object.assign(new Error(`no answer within ${timeoutMs} ms`), { name: 'RequestTimeoutError' });
}

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const fail = (): void => {
      reject(new Error('aborted'));
    };
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}

/** The report as lines: the token, then each stream. */
export function reportLines(report: StartupCheckReport): string[] {
  return [report.token.line, ...report.streams.map((s) => s.line)];
}
