// Readiness: can the gateway pass records on right now? The credential must have got a token for
// the Logs Ingestion scope at its last check (checked at start, then every interval, sooner
// after a failure or when the exporter saw an authentication failure; the answer is cached), and
// both queues must be below their high-water marks.

import type { CredentialCheck, CredentialCheckOptions } from '@otel-sentinel/exporter';
import type { LogLimiter } from './log-limiter.js';

/** A failed check is tried again this soon (and no sooner), whatever the interval. */
const RETRY_MS = 5_000;
/** How often the exporter's authentication-failure count is looked at (a cheap read). */
const TICK_MS = 1_000;
/** A check without an answer after this long counts as failed. */
const CHECK_TIMEOUT_MS = 30_000;

export interface ReadinessReport {
  readonly ready: boolean;
  /** Why not, in English; empty when ready. */
  readonly reasons: readonly string[];
}

export interface ReadinessOptions {
  readonly check: (options: CredentialCheckOptions) => Promise<CredentialCheck>;
  /** The exporter's count of authentication failures: a change triggers a check. */
  readonly authFailures: () => number;
  /** Queue problems now (empty when both have room). */
  readonly queueProblems: () => readonly string[];
  readonly intervalMs: number;
  readonly log: LogLimiter;
}

export class Readiness {
  private readonly options: ReadinessOptions;
  private last: CredentialCheck | undefined;
  private lastAt = 0;
  private checking: Promise<void> | undefined;
  private seenFailures = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly abort = new AbortController();

  constructor(options: ReadinessOptions) {
    this.options = options;
  }

  /** Starts the first check and the timer. */
  start(): void {
    this.seenFailures = this.options.authFailures();
    void this.runCheck();
    this.timer = setInterval(
      () => {
        this.tick();
      },
      Math.min(this.options.intervalMs, TICK_MS),
    );
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.abort.abort();
  }

  /** The last check's answer: undefined until the first one comes back. */
  get credentialOk(): boolean | undefined {
    return this.last?.ok;
  }

  report(): ReadinessReport {
    const reasons: string[] = [];
    const last = this.last;
    if (last === undefined) reasons.push('credential: the first token request has not been answered yet');
    else if (!last.ok) reasons.push(`credential: cannot get a token for ${last.scope} (${last.reason})`);
    reasons.push(...this.options.queueProblems());
    return { ready: reasons.length === 0, reasons };
  }

  private tick(): void {
    if (this.checking !== undefined) return;
    const failures = this.options.authFailures();
    const due =
      this.last?.ok === true ? this.options.intervalMs : Math.min(this.options.intervalMs, RETRY_MS);
    if (failures !== this.seenFailures || Date.now() - this.lastAt >= due) void this.runCheck();
  }

  private runCheck(): Promise<void> {
    this.checking ??= (async () => {
      this.seenFailures = this.options.authFailures();
      const result = await this.options.check({
        timeoutMs: CHECK_TIMEOUT_MS,
        abortSignal: this.abort.signal,
      });
      if (this.abort.signal.aborted) return;
      const before = this.last;
      this.last = result;
      this.lastAt = Date.now();
      if (result.ok && before?.ok !== true)
        this.options.log.always(`credential: got a token for ${result.scope}`);
      if (!result.ok && (before === undefined || before.ok || before.reason !== result.reason))
        this.options.log.always(
          `credential: cannot get a token for ${result.scope} (${result.reason}); /readyz answers 503 until it can`,
        );
    })().finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }
}
