// The delivery pipeline: takes mapped rows (all or none, within a bounded capacity), keeps them in
// the write-ahead queue on disk first when durability is `disk`, cuts per-stream batches and
// ships them with retries; `RowOutcomes` settles every row. At start it takes over what ended
// processes left in the queue; at a stop, and at a process exit it did not see coming, it hands
// what it holds to the queue.

import type { Row } from '@otel-sentinel/mapping';
import type { FailureReporter } from '../delivery/failure-reporter.js';
import type { RetryDecider } from '../delivery/retry-policy.js';
import type { RowUploader } from '../delivery/uploader.js';
import type { DiagReporter } from '../diag-reporter.js';
import type { StreamTarget, UndeliveredReason } from '../row-batch.js';
import type { SelfMetrics } from '../self-metrics.js';
import { SpoolClosedError } from '../spool/spool-errors.js';
import type { DeliveryStore, EnqueueResult } from '../store/store-types.js';
import { registerExitParticipant } from './exit-hooks.js';
import type { Durability, PipelineConfig } from './pipeline-config.js';
import { RowBatcher, NOT_STORED } from './row-batcher.js';
import type { PipelineBatch } from './row-batcher.js';
import { HeldRows, RowOutcomes } from './row-outcomes.js';
import type { MappedRow, RecoveryStatus, RowPipeline, SubmitOptions, Submission } from './row-pipeline.js';
import { Settlement } from './settlement.js';
import type { BatchResult } from './settlement.js';
import { shipBatch } from './ship-batch.js';
import type { ShipContext, Shipped } from './ship-batch.js';
import { TakeOver } from './take-over.js';
import { Undelivered } from './undelivered.js';
import { within } from './within.js';

/** Longest wait at a stop for a delivery that does not end when cancelled. */
const IN_FLIGHT_GRACE_MS = 5000;
const FALSE = Promise.resolve(false);

/** Something that holds records before they are rows (the processor's queue). */
export interface PipelineFeeder {
  /** Records held that are not rows yet. */
  pending(): number;
  /** At exit: maps what it holds, synchronously, and returns the rows. Never throws. */
  takeAll(): MappedRow[];
  /** At beforeExit: sends what it holds (its forceFlush). */
  flush(): Promise<void>;
}

export interface DeliveryPipelineOptions {
  readonly config: PipelineConfig;
  readonly uploader: RowUploader;
  readonly policy: RetryDecider;
  /** The spool directory's store; undefined when there is no spool (undelivered rows are lost, counted). */
  readonly store: DeliveryStore | undefined;
  readonly metrics: SelfMetrics;
  readonly diag: DiagReporter;
  /** Names each failed attempt's cause in diag when it first occurs, and counts it by cause. */
  readonly failures?: FailureReporter;
}

export class DeliveryPipeline implements RowPipeline {
  readonly durability: Durability;
  readonly capacity: number;
  readonly ready: Promise<void>;
  private readonly config: PipelineConfig;
  private readonly storeInstance: DeliveryStore | undefined;
  private readonly metrics: SelfMetrics;
  private readonly undelivered: Undelivered;
  private readonly shipping: ShipContext;
  private readonly ledger = new HeldRows();
  private readonly outcomes: RowOutcomes;
  private readonly takeOver: TakeOver | undefined;
  private readonly batcher: RowBatcher;
  private readonly waiting: PipelineBatch[] = [];
  private readonly inFlight = new Set<PipelineBatch>();
  /** Rows sent to the store and not yet acknowledged (kept for an exit in between). */
  private readonly persisting = new Set<readonly MappedRow[]>();
  private readonly writes = new Set<Promise<unknown>>();
  private readonly feeders = new Set<PipelineFeeder>();
  private readonly storeUsers: Promise<unknown>[] = [];
  private readonly abort = new AbortController();
  private readonly unregisterExit: (() => void) | undefined;
  private storeOpen = false;
  private storeProblem: string | undefined;
  private flushing = 0;
  private stopping = false;
  private savedOnExit = false;
  private closed = false;
  private lastBeforeExit = -1;
  private timer: NodeJS.Timeout | undefined;
  private idleWaiters: (() => void)[] = [];
  private shutdownPromise: Promise<void> | undefined;

  constructor(options: DeliveryPipelineOptions) {
    this.config = options.config;
    this.durability = options.config.durability;
    this.capacity = options.config.capacity;
    this.storeInstance = options.store;
    this.metrics = options.metrics;
    this.undelivered = new Undelivered(options.metrics, options.diag, options.store !== undefined, (detail) =>
      options.failures?.causeBehind(detail),
    );
    this.batcher = new RowBatcher(options.config.maxBatchBytes, options.config.maxBatchRecords);
    this.shipping = {
      uploader: options.uploader,
      policy: options.policy,
      onAttempt: (event) => {
        options.metrics.attempt(event);
        options.failures?.observe(event);
      },
    };
    this.ready = this.open();
    this.outcomes = new RowOutcomes({
      held: this.ledger,
      undelivered: this.undelivered,
      metrics: options.metrics,
      ready: this.ready,
      store: () => this.store,
      track: (work) => this.track(work),
    });
    this.takeOver =
      options.store === undefined
        ? undefined
        : new TakeOver(options.store, {
            metrics: options.metrics,
            diag: options.diag,
            room: () => this.capacity - this.ledger.count,
            stopping: () => this.stopping,
            accept: (q, target, settlement) => {
              this.ledger.count++;
              this.add(target, q.row, q.bytes, q.id, settlement);
            },
            pageTaken: () => {
              this.kick(false);
            },
          });
    this.unregisterExit = options.config.saveOnExit
      ? registerExitParticipant({
          saveOnExit: () => {
            this.saveOnExit();
          },
          onBeforeExit: () => {
            this.onBeforeExit();
          },
        })
      : undefined;
  }

  /** The default time limit of `flush()` and `shutdown()`. */
  get exportTimeoutMillis(): number {
    return this.config.exportTimeoutMillis;
  }

  get held(): number {
    return this.ledger.count;
  }

  get freeCapacity(): number {
    const backlog = this.takeOver?.backlog ?? 0;
    return this.stopping || backlog > 0 ? 0 : Math.max(0, this.capacity - this.ledger.count);
  }

  /**
   * The spool directory's store, for a component that keeps its own entries in it (the gateway's
   * operational queue); undefined without a spool directory or when it could not be opened.
   */
  get store(): DeliveryStore | undefined {
    return this.storeOpen ? this.storeInstance : undefined;
  }

  /** True when rows are written ahead to disk: `disk` durability with the store open. */
  get persistent(): boolean {
    return this.durability === 'disk' && this.storeOpen;
  }

  /** Why the store could not be opened, once `ready` resolved; undefined when it is fine or absent. */
  get storeError(): string | undefined {
    return this.storeProblem;
  }

  /** Operational bodies (the gateway's) that ended runs left, taken over so far. */
  get adoptedForwards(): number {
    return this.takeOver?.adoptedForwards ?? 0;
  }

  /** Called with the operational bodies the store takes over later (a process that died since). */
  onForwardsAdopted(listener: (bodies: number) => void): void {
    this.takeOver?.onForwardsAdopted(listener);
  }

  /** The store stays open at a stop until `work` (another user's drain) is done. */
  keepStoreOpenUntil(work: Promise<unknown>): void {
    this.storeUsers.push(work);
  }

  recovery(): RecoveryStatus {
    return this.takeOver?.status() ?? { resumed: 0, remaining: 0 };
  }

  /** A source of records that are not rows yet; its records are kept at exit too. */
  addFeeder(feeder: PipelineFeeder): void {
    this.feeders.add(feeder);
  }

  submit(rows: readonly MappedRow[], options: SubmitOptions = {}): Submission | undefined {
    const n = rows.length;
    if (n > this.freeCapacity) return undefined;
    const settlement = new Settlement(n);
    if (n === 0) return { persisted: Promise.resolve(this.durability === 'disk'), settled: settlement.done };
    this.ledger.count += n;
    this.ledger.memoryOnly += n;
    if (this.durability === 'disk' && this.storeInstance !== undefined && this.storeProblem === undefined)
      return { persisted: this.track(this.persist(rows, settlement, options)), settled: settlement.done };
    for (const m of rows) this.add(m.target, m.row, m.bytes, NOT_STORED, settlement);
    this.kick(options.sendNow === true);
    return { persisted: FALSE, settled: settlement.done };
  }

  setAside(
    target: StreamTarget,
    rows: readonly Row[],
    reason: UndeliveredReason,
    detail: string,
  ): Promise<BatchResult> {
    return this.track(this.outcomes.spoolRows(target, rows, reason, detail));
  }

  reportLost(records: number, reason: UndeliveredReason, detail: string): void {
    this.undelivered.lost(records, reason, detail);
  }

  async flush(timeoutMs = this.config.exportTimeoutMillis): Promise<boolean> {
    this.flushing++;
    try {
      this.kick(false);
      const idle = new Promise<void>((resolve) => {
        this.idleWaiters.push(resolve);
        this.notifyIdle();
      });
      return await within(idle, timeoutMs);
    } finally {
      this.flushing--;
    }
  }

  shutdown(timeoutMs = this.config.exportTimeoutMillis): Promise<void> {
    this.shutdownPromise ??= this.stop(timeoutMs);
    return this.shutdownPromise;
  }

  // ---- taking rows in -------------------------------------------------------------------------

  private async persist(
    rows: readonly MappedRow[],
    settlement: Settlement,
    options: SubmitOptions,
  ): Promise<boolean> {
    const store = this.storeInstance;
    if (store === undefined) return false;
    const groups = groupByTarget(rows);
    this.persisting.add(rows);
    let results: EnqueueResult[];
    try {
      // Rows emitted while the store is still opening wait for it: they are written ahead too.
      await this.ready;
      results = this.storeOpen
        ? await Promise.all(
            groups.map((g) =>
              store.enqueue(
                g.target,
                g.rows.map((m) => m.row),
              ),
            ),
          )
        : groups.map(() => ({ ok: false, error: new SpoolClosedError() }));
    } finally {
      this.persisting.delete(rows);
    }
    if (this.savedOnExit) return false;
    const refused = results.find((r) => !r.ok);
    if (refused !== undefined && options.persist === 'require') {
      // None is taken: the stored part is removed again and the caller refuses the whole request.
      const stored = results.flatMap((r) => (r.ok ? r.ids : []));
      if (stored.length > 0) void this.track(store.remove(stored));
      this.ledger.count -= rows.length;
      this.ledger.memoryOnly -= rows.length;
      settlement.settle('lost', rows.length);
      this.undelivered.notPersisted(rows.length, refused.error, true);
      this.kick(false);
      return false;
    }
    let kept = 0;
    groups.forEach((g, gi) => {
      const r = results[gi];
      const ids = r?.ok === true ? r.ids : undefined;
      if (ids === undefined) kept += g.rows.length;
      else {
        this.ledger.memoryOnly -= g.rows.length;
        this.metrics.rowsPersisted(g.rows.length);
      }
      g.rows.forEach((m, i) => {
        this.add(m.target, m.row, m.bytes, ids?.[i] ?? NOT_STORED, settlement);
      });
    });
    if (refused !== undefined) this.undelivered.notPersisted(kept, refused.error, false);
    this.kick(options.sendNow === true);
    return refused === undefined;
  }

  private add(target: StreamTarget, row: Row, bytes: number, id: number, settlement: Settlement): void {
    const batch = this.batcher.add(target, row, bytes, id, settlement);
    if (batch !== undefined) this.waiting.push(batch);
  }

  private async open(): Promise<void> {
    const store = this.storeInstance;
    if (store === undefined) return;
    try {
      const report = await store.open();
      this.storeOpen = true;
      // Rows accepted while it opened are held in memory only too: the first heartbeat says so.
      store.setHeldInMemory(this.ledger.memoryOnly + this.feederPending());
      store.onAdopted((later) => {
        this.takeOver?.adopted(later);
        void this.takeOver?.readBack();
      });
      this.takeOver?.adopted(report);
      await this.takeOver?.readBack();
    } catch (error) {
      this.storeProblem = `${store.path}: ${error instanceof Error ? error.message : String(error)}`;
      this.undelivered.storeUnavailable(store.path, error);
    } finally {
      this.notifyIdle();
    }
  }

  // ---- sending --------------------------------------------------------------------------------

  /**
   * Cuts due batches (all of them when asked, or when flushing and no rows are still on their
   * way to the store: they would join the same batches), starts what may start, re-arms.
   */
  private kick(cutAll: boolean): void {
    if (cutAll || (this.flushing > 0 && this.persisting.size === 0))
      for (const b of this.batcher.takeOlderThan(0)) this.waiting.push(b);
    this.dispatch();
    this.arm();
    this.notifyIdle();
    // What a crash would lose, for the next start to report: read at the store's heartbeats.
    this.storeInstance?.setHeldInMemory(this.ledger.memoryOnly + this.feederPending());
  }

  private dispatch(): void {
    while (
      this.inFlight.size < this.config.maxConcurrentBatches &&
      this.waiting.length > 0 &&
      !this.abort.signal.aborted
    ) {
      const batch = this.waiting.shift();
      if (batch === undefined) break;
      this.inFlight.add(batch);
      void this.deliver(batch).then(() => {
        this.inFlight.delete(batch);
        this.kick(false);
        void this.takeOver?.readBack();
      });
    }
  }

  private async deliver(batch: PipelineBatch): Promise<void> {
    let shipped: Shipped;
    try {
      shipped = await shipBatch(this.shipping, batch, this.abort.signal);
    } catch (error) {
      // Delivery never rejects by design; this keeps a bug of ours from losing the batch silently.
      const detail = error instanceof Error ? error.name : 'error';
      shipped = {
        delivered: 0,
        undelivered: [{ indexes: allOf(batch), reason: 'retries-exhausted', detail }],
      };
    }
    await this.outcomes.settleBatch(batch, shipped);
  }

  /** Sets the timer that cuts batches once their oldest row is `scheduledDelayMillis` old. */
  private arm(): void {
    if (this.timer !== undefined || this.stopping) return;
    const due = this.batcher.nextDue(this.config.scheduledDelayMillis);
    if (due === undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      for (const b of this.batcher.takeOlderThan(this.config.scheduledDelayMillis)) this.waiting.push(b);
      this.kick(false);
    }, due);
    this.timer.unref();
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.writes.add(p);
    const done = (): void => {
      this.writes.delete(p);
      this.notifyIdle();
    };
    p.then(done, done);
    return p;
  }

  private notifyIdle(): void {
    if (this.idleWaiters.length === 0) return;
    const backlog = this.takeOver?.backlog ?? 0;
    if (this.ledger.count > this.outcomes.leftoverRows || this.writes.size > 0 || backlog > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  // ---- stopping -------------------------------------------------------------------------------

  private async stop(timeoutMs: number): Promise<void> {
    const started = Date.now();
    await within(this.ready, timeoutMs);
    for (const f of this.feeders) await within(f.flush(), timeoutMs);
    await this.flush(Math.max(1, timeoutMs - (Date.now() - started)));
    this.stopping = true;
    clearTimeout(this.timer);
    const waiting = [...this.waiting.splice(0), ...this.batcher.takeOlderThan(0)];
    this.abort.abort();
    for (const batch of waiting)
      await this.outcomes.giveUp(batch, {
        indexes: allOf(batch),
        reason: 'shutdown',
        detail: 'not sent before the stop',
      });
    // Cancelled deliveries end at once and hand their rows over; one that ignores cancellation
    // (a credential that never answers) is not waited for beyond the grace: its memory-only rows
    // are written to the queue too (they may arrive twice: delivery is at least once).
    const inFlight = [...this.inFlight];
    if (!(await within(this.whenNothingInFlight(), IN_FLIGHT_GRACE_MS)))
      for (const batch of inFlight)
        if (this.inFlight.has(batch))
          this.outcomes.leave(
            batch,
            allOf(batch).filter((i) => (batch.ids[i] ?? NOT_STORED) === NOT_STORED),
          );
    await within(Promise.allSettled([...this.writes]), IN_FLIGHT_GRACE_MS);
    await this.outcomes.handOverLeftover();
    await Promise.allSettled(this.storeUsers);
    await this.storeInstance?.close({ ended: true });
    this.closed = true;
    this.unregisterExit?.();
  }

  private whenNothingInFlight(): Promise<void> {
    return new Promise<void>((resolve) => {
      const check = (): void => {
        if (this.inFlight.size === 0) resolve();
        else setTimeout(check, 10).unref();
      };
      check();
    });
  }

  // ---- process exit ---------------------------------------------------------------------------

  private feederPending(): number {
    let n = 0;
    for (const f of this.feeders) n += f.pending();
    return n;
  }

  private onBeforeExit(): void {
    const held = this.ledger.count + this.feederPending();
    // No progress since the last time the loop ran dry: let the process end; `exit` keeps the rows.
    if (held === 0 || this.stopping || held === this.lastBeforeExit) return;
    this.lastBeforeExit = held;
    if (this.feeders.size > 0) for (const f of this.feeders) void f.flush();
    else void this.flush();
  }

  /** Synchronous, at exit: every row held in memory only goes to the queue. Never throws. */
  private saveOnExit(): void {
    if (this.savedOnExit || this.closed) return;
    this.savedOnExit = true;
    const groups = new Map<StreamTarget, Row[]>();
    const keep = (target: StreamTarget, row: Row): void => {
      const list = groups.get(target);
      if (list === undefined) groups.set(target, [row]);
      else list.push(row);
    };
    for (const f of this.feeders) for (const m of f.takeAll()) keep(m.target, m.row);
    for (const rows of this.persisting) for (const m of rows) keep(m.target, m.row);
    const batches = [...this.batcher.takeOlderThan(0), ...this.waiting, ...this.inFlight];
    for (const b of batches)
      for (let i = 0; i < b.rows.length; i++)
        if ((b.ids[i] ?? NOT_STORED) === NOT_STORED) keep(b.target, b.rows[i] ?? {});
    const held = [...groups.values()].reduce((n, rows) => n + rows.length, 0);
    const store = this.storeInstance;
    if (store === undefined) {
      if (held > 0) this.undelivered.lost(held, 'shutdown', 'the process exited and no spool is configured');
      return;
    }
    const written = store.saveSync([...groups].map(([target, rows]) => ({ target, rows })));
    if (written < held)
      this.undelivered.lost(held - written, 'shutdown', 'the process exited and the store refused them');
  }
}

function allOf(batch: PipelineBatch): number[] {
  return batch.rows.map((_, i) => i);
}

function groupByTarget(rows: readonly MappedRow[]): { target: StreamTarget; rows: MappedRow[] }[] {
  const groups = new Map<StreamTarget, MappedRow[]>();
  for (const m of rows) {
    const list = groups.get(m.target);
    if (list === undefined) groups.set(m.target, [m]);
    else list.push(m);
  }
  return [...groups].map(([target, list]) => ({ target, rows: list }));
}
