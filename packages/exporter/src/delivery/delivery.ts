// Delivers one batch: uploads, sends only the failed chunks again under the retry policy, and
// hands every row it gives up on to onUndelivered. Every row ends delivered or handed over.

import { diag } from '@opentelemetry/api';
import type { Row } from '@otel-sentinel/mapping';
import type { RowBatch, StreamTarget, UndeliveredReason } from '../row-batch.js';
import { classifyFailure } from './classify-failure.js';
import type { Failure } from './classify-failure.js';
import type { GiveUpReason, RetryDecider } from './retry-policy.js';
import { sleep as defaultSleep } from './sleep.js';
import type { ChunkFailure, RowUploader } from './uploader.js';

/** One outcome of one upload round, for metrics. */
export interface AttemptEvent {
  readonly target: StreamTarget;
  /** Rows this event is about: the rows delivered in the round, or the rows of one failed chunk. */
  readonly rows: number;
  /** 1 for the first upload of the batch, then one more per retry round. */
  readonly attempt: number;
  /** How long the round's upload call took (the same for every event of the round). */
  readonly durationMs: number;
  /** Absent when the event reports delivered rows. */
  readonly failure?: Failure;
  /** Present when the failed chunk will be sent again after this many milliseconds. */
  readonly delayMs?: number;
  /** What the client threw for the failed chunk, to name its cause (never logged as is). */
  readonly error?: unknown;
}

export interface DeliveryResult {
  /** Rows the service accepted. */
  readonly delivered: number;
  /** Rows handed to onUndelivered. `delivered + undelivered` is the batch size. */
  readonly undelivered: number;
  /** Upload rounds (calls to the uploader); 0 for an empty batch. */
  readonly attempts: number;
  /** Failed chunks sent again, by `Failure.summary` (e.g. `HTTP 429`, `ECONNRESET`). */
  readonly retriesByCause: Readonly<Record<string, number>>;
}

export interface DeliveryOptions {
  readonly uploader: RowUploader;
  readonly policy: RetryDecider;
  /**
   * Receives the rows given up on, once per chunk (or once for all rows still pending at
   * shutdown): `permanent`, `retries-exhausted`, or `shutdown` when the signal fired. Awaited
   * before `deliver` resolves; if it throws, the rows still count as undelivered.
   */
  readonly onUndelivered: (
    target: StreamTarget,
    rows: readonly Row[],
    reason: UndeliveredReason,
    failure: Failure,
  ) => void | Promise<void>;
  /** Called for every outcome of every round (see AttemptEvent); must not throw. */
  readonly onAttempt?: (event: AttemptEvent) => void;
  /** Clock in milliseconds. Default `performance.now`. */
  readonly now?: () => number;
  /** Waits between rounds; must resolve early when the signal fires. Default: an unref()'d timer. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const UNDELIVERED_REASON: Readonly<Record<GiveUpReason, UndeliveredReason>> = {
  permanent: 'permanent',
  'retries-exhausted': 'retries-exhausted',
  aborted: 'shutdown',
};

const SHUTDOWN: Failure = Object.freeze({ kind: 'aborted', summary: 'aborted' });

export class Delivery {
  private readonly uploader: RowUploader;
  private readonly policy: RetryDecider;
  private readonly onUndelivered: DeliveryOptions['onUndelivered'];
  private readonly onAttempt: ((event: AttemptEvent) => void) | undefined;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(options: DeliveryOptions) {
    this.uploader = options.uploader;
    this.policy = options.policy;
    this.onUndelivered = options.onUndelivered;
    this.onAttempt = options.onAttempt;
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? defaultSleep;
  }

  /**
   * Rounds: upload the pending rows; classify each failed chunk and ask the policy; hand the
   * chunks it gives up on to onUndelivered; wait the longest delay among the rest (the longest
   * Retry-After when throttled) and upload just their rows in the next round. All rows of a
   * batch start together, so a chunk's attempt number is the round number. Never rejects.
   */
  async deliver(batch: RowBatch, signal?: AbortSignal): Promise<DeliveryResult> {
    const { target } = batch;
    const started = this.now();
    const retriesByCause: Record<string, number> = {};
    let pending: readonly Row[] = batch.rows;
    let delivered = 0;
    let undelivered = 0;
    let attempt = 0;
    while (pending.length > 0) {
      if (signal?.aborted === true) {
        undelivered += await this.handOver(target, pending, 'shutdown', SHUTDOWN);
        break;
      }
      attempt++;
      const roundStart = this.now();
      const failures = await this.uploadOnce(target, pending, signal);
      const durationMs = this.now() - roundStart;
      const failedRows = failures.reduce((n, f) => n + f.rows.length, 0);
      const accepted = Math.max(0, pending.length - failedRows);
      delivered += accepted;
      if (accepted > 0) this.emit({ target, rows: accepted, attempt, durationMs });

      const elapsedMs = this.now() - started;
      const retry: { failure: ChunkFailure; outcome: Failure }[] = [];
      let delayMs = 0;
      for (const chunk of failures) {
        const failure = classifyFailure(chunk.cause, { signal });
        const decision = this.policy.decide(failure, attempt, elapsedMs);
        if (decision.action === 'retry') {
          retry.push({ failure: chunk, outcome: failure });
          delayMs = Math.max(delayMs, decision.delayMs);
        } else {
          this.emit({ target, rows: chunk.rows.length, attempt, durationMs, failure, error: chunk.cause });
          undelivered += await this.handOver(
            target,
            chunk.rows,
            UNDELIVERED_REASON[decision.reason],
            failure,
          );
        }
      }
      const next: Row[] = [];
      for (const { failure: chunk, outcome } of retry) {
        this.emit({
          target,
          rows: chunk.rows.length,
          attempt,
          durationMs,
          failure: outcome,
          delayMs,
          error: chunk.cause,
        });
        retriesByCause[outcome.summary] = (retriesByCause[outcome.summary] ?? 0) + 1;
        for (const row of chunk.rows) next.push(row);
      }
      pending = next;
      if (pending.length > 0 && delayMs > 0) await this.sleep(delayMs, signal);
    }
    return { delivered, undelivered, attempts: attempt, retriesByCause };
  }

  // The uploader promises never to reject; an injected one might, and then no row is known sent.
  private async uploadOnce(
    target: StreamTarget,
    rows: readonly Row[],
    signal: AbortSignal | undefined,
  ): Promise<readonly ChunkFailure[]> {
    try {
      return await this.uploader.upload(target, rows, signal);
    } catch (cause) {
      return [{ rows: rows.slice(), cause }];
    }
  }

  private async handOver(
    target: StreamTarget,
    rows: readonly Row[],
    reason: UndeliveredReason,
    failure: Failure,
  ): Promise<number> {
    try {
      await this.onUndelivered(target, rows, reason, failure);
    } catch (error) {
      // Only the error's name: its message could quote the rows.
      diag.error(
        `otel-sentinel: the undelivered-rows handler failed (${errorName(error)}); ${rows.length} row(s) of ${target.stream} (${reason}) may be lost`,
      );
    }
    return rows.length;
  }

  private emit(event: AttemptEvent): void {
    if (this.onAttempt === undefined) return;
    try {
      this.onAttempt(event);
    } catch (error) {
      diag.warn(`otel-sentinel: the attempt listener failed (${errorName(error)})`);
    }
  }
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
