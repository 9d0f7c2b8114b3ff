// Says why uploads fail as soon as they first do: each failed attempt is named by its cause
// (failure-cause.ts), counted by cause, and reported through diag at its first occurrence (then
// once per cause per interval), while the retries go on. A credential error that hides its cause
// is followed by one TLS connection to the token endpoint to find it.

import type { DiagReporter } from '../diag-reporter.js';
import type { SelfMetrics } from '../self-metrics.js';
import type { StreamTarget } from '../row-batch.js';
import type { AttemptEvent } from './delivery.js';
import { explainFailure } from './explain-failure.js';
import { failureCauseOf, hostOf } from './failure-cause.js';
import type { FailureCause, FailureContext } from './failure-cause.js';
import { reachEndpoint } from './reach-endpoint.js';
import type { ReachOptions } from './reach-endpoint.js';

/**
 * Entra ID's public authority, used when `AZURE_AUTHORITY_HOST` is not set.
 * @internal Exported for the CLI's `check --probe`, which runs the start-up check on demand;
 * users get it through the `startupCheck` option.
 */
export const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';

/** How long a finding about the token endpoint is reused before it is tried again. */
const REACH_REUSE_MS = 30_000;

/**
 * What a `FailureExplainer` needs.
 * @internal Exported for the CLI's `check --probe`, which runs the start-up check on demand;
 * users get it through the `startupCheck` option.
 */
export interface FailureExplainerOptions {
  /** The token endpoint's host (`AZURE_AUTHORITY_HOST`), tried when a credential error says nothing. */
  readonly authorityHost: string;
  /** CA certificates trusted for it (the exporter's `clientOptions.tlsOptions.ca`). */
  readonly ca?: ReachOptions['ca'];
  /** The uploader's request timeout, for the timeout's line. */
  readonly requestTimeoutMs?: number;
  readonly now?: () => number;
}

/** A named cause and its one-line explanation. */
export interface ExplainedFailure {
  readonly cause: FailureCause;
  readonly line: string;
}

/**
 * Names the cause of a failed request, trying the token endpoint when the error hides it.
 * @internal Exported for the CLI's `check --probe`, which runs the start-up check on demand;
 * users get it through the `startupCheck` option.
 */
export class FailureExplainer {
  private reached: { at: number; cause: Promise<FailureCause | undefined> } | undefined;
  private readonly now: () => number;

  constructor(private readonly options: FailureExplainerOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Never rejects. */
  async explain(error: unknown, target: Partial<StreamTarget>): Promise<ExplainedFailure> {
    const context: FailureContext = {
      ...(target.endpoint !== undefined ? { endpoint: target.endpoint } : {}),
      ...(target.dcrImmutableId !== undefined ? { dcrImmutableId: target.dcrImmutableId } : {}),
      ...(target.stream !== undefined ? { stream: target.stream } : {}),
      ...(this.options.requestTimeoutMs !== undefined ? { timeoutMs: this.options.requestTimeoutMs } : {}),
    };
    let cause = failureCauseOf(error, context);
    if (cause.opaque === true) cause = (await this.tokenEndpointCause()) ?? cause;
    return { cause, line: explainFailure(cause, context) };
  }

  /** The network cause at the token endpoint, or undefined when it answers a TLS handshake. */
  private tokenEndpointCause(): Promise<FailureCause | undefined> {
    const t = this.now();
    if (this.reached === undefined || t - this.reached.at > REACH_REUSE_MS) {
      const url = this.options.authorityHost;
      this.reached = {
        at: t,
        cause: reachEndpoint(url, this.options.ca !== undefined ? { ca: this.options.ca } : {}).then(
          (reach): FailureCause | undefined =>
            reach.ok
              ? { cause: 'credential', site: 'token endpoint', host: reach.host }
              : { cause: reach.cause, site: 'token endpoint', code: reach.code, host: reach.host },
        ),
      };
    }
    return this.reached.cause;
  }
}

/** Network causes: their line, up to its first colon, names the cause, the host and the site. */
const NETWORK_CAUSES: ReadonlySet<string> = new Set([
  'connection-refused',
  'dns',
  'tls',
  'timeout',
  'network',
]);

/** Counts every failed attempt by cause and reports each cause through diag when it first occurs. */
export class FailureReporter {
  /** Failure summary (`AuthenticationError`) → the network cause last found behind it. */
  private readonly behind = new Map<string, string>();

  constructor(
    private readonly explainer: FailureExplainer,
    private readonly metrics: SelfMetrics,
    private readonly diag: DiagReporter,
  ) {}

  /** For every attempt event: ignores successes and shutdowns. Never throws, never rejects. */
  observe(event: AttemptEvent): void {
    const failure = event.failure;
    if (failure === undefined || failure.kind === 'aborted') return;
    void this.explainer.explain(event.error, event.target).then(({ cause, line }) => {
      this.metrics.failure(cause.cause);
      // A credential error's summary hides a network cause: remember it for the undelivered line.
      if (cause.site === 'token endpoint' && NETWORK_CAUSES.has(cause.cause))
        this.behind.set(failure.summary, line.slice(0, line.indexOf(': ')));
      const what = event.delayMs !== undefined ? 'sending again' : 'not sent again';
      const message = `${event.target.stream}: ${line} (${failure.summary}; attempt ${event.attempt}, ${what})`;
      const key = `failure:${cause.cause}:${cause.host ?? hostOf(event.target.endpoint) ?? ''}:${cause.code ?? ''}`;
      if (failure.kind === 'permanent') this.diag.error(key, message);
      else this.diag.warn(key, message);
    });
  }

  /**
   * The network cause last found behind a failure summary that does not name one, e.g.
   * `connection refused to 127.0.0.1:4443 (token endpoint)` behind `AuthenticationError`.
   */
  causeBehind(summary: string): string | undefined {
    return this.behind.get(summary);
  }
}
