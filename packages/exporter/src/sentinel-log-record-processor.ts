// SentinelLogRecordProcessor: in `onEmit` it keeps only security records — one attribute lookup
// for every other record — and queues them. Mapping happens off the emit path, in a task that
// turns queued records into per-stream batches; batches go to the exporter. The queue is
// bounded: records beyond it are mapped and spooled, never dropped silently.

import type { Row } from '@otel-sentinel/mapping';
import type { LogRecordLike } from '@otel-sentinel/mapping';
import type { SentinelLogRecordProcessorOptions } from './config.js';
import { ExporterConfigError } from './errors.js';
import type { RowBatch, StreamTarget } from './row-batch.js';
import { SentinelLogExporter } from './sentinel-log-exporter.js';
import type { MappedRow } from './sentinel-log-exporter.js';
import { StreamBatcher } from './stream-batcher.js';

export const MAX_QUEUE_SIZE_ENV = 'OTEL_SENTINEL_MAX_QUEUE_SIZE';

/** Records mapped per drain task. */
const DRAIN_SLICE = 2000;
export const SCHEDULED_DELAY_ENV = 'OTEL_SENTINEL_SCHEDULED_DELAY';

function positiveInt(option: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 1)
    throw new ExporterConfigError(option, `must be a whole number ≥ 1, got ${String(v)}`);
  return v;
}

function fromEnv(env: Readonly<Record<string, string | undefined>>, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new ExporterConfigError(name, `must be a whole number ≥ 1, got "${raw}"`);
  return n;
}

export class SentinelLogRecordProcessor {
  readonly exporter: SentinelLogExporter;
  private readonly maxQueueSize: number;
  private readonly maxSpoolBacklog: number;
  private readonly delayMs: number;
  private readonly maxConcurrent: number;
  private readonly timeoutMs: number;
  private readonly batcher: StreamBatcher;
  private readonly isSecurity: (record: LogRecordLike) => boolean;

  private queue: LogRecordLike[] = [];
  private readonly ready: RowBatch[] = [];
  private readonly overflow = new Map<StreamTarget, Row[]>();
  private overflowRecords: LogRecordLike[] = [];
  /** Overflow rows handed to the spool and not yet written. */
  private spooling = 0;
  /** Overflow records that found the spool's backlog full too: counted as lost, at the next drain. */
  private lost = 0;
  private readyRows = 0;
  private inFlight = 0;
  private seen = 0;
  private filtered = 0;
  private drainScheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private idle: (() => void)[] = [];
  private stopped = false;
  /** Flushes under way: while there are, every drain also sends what it batched. */
  private flushing = 0;
  private shutdownPromise: Promise<void> | undefined;

  constructor(options: SentinelLogRecordProcessorOptions = {}) {
    const env = options.env ?? process.env;
    this.exporter = options.exporter ?? new SentinelLogExporter(options);
    this.maxQueueSize = positiveInt(
      'maxQueueSize',
      options.maxQueueSize ?? fromEnv(env, MAX_QUEUE_SIZE_ENV),
      10_000,
    );
    this.maxSpoolBacklog = positiveInt('maxSpoolBacklog', options.maxSpoolBacklog, this.maxQueueSize * 10);
    this.delayMs = positiveInt(
      'scheduledDelayMillis',
      options.scheduledDelayMillis ?? fromEnv(env, SCHEDULED_DELAY_ENV),
      1000,
    );
    this.maxConcurrent = positiveInt('maxConcurrentBatches', options.maxConcurrentBatches, 4);
    this.timeoutMs = positiveInt('exportTimeoutMillis', options.exportTimeoutMillis, 30_000);
    const maxBytes = positiveInt('maxBatchBytes', options.maxBatchBytes, 990_000);
    if (maxBytes > 1_000_000)
      throw new ExporterConfigError(
        'maxBatchBytes',
        `must be at most 1000000 (the client's request size), got ${maxBytes}`,
      );
    this.batcher = new StreamBatcher(maxBytes, positiveInt('maxBatchRecords', options.maxBatchRecords, 5000));
    const mapping = this.exporter.mapping;
    this.isSecurity = (r) => mapping.isSecurity(r);
  }

  /** Keeps security records (synchronously: the record is read-only once this returns). */
  onEmit(record: LogRecordLike): void {
    this.seen++;
    if (!this.isSecurity(record)) {
      this.filtered++;
      return;
    }
    if (!this.stopped && this.held() < this.maxQueueSize) this.queue.push(record);
    else if (this.overflowRecords.length + this.spooling < this.maxSpoolBacklog)
      this.overflowRecords.push(record);
    // The queue and the spool's backlog are both full: keeping more would grow memory without
    // bound while the sink is down. Counted and reported, never silent.
    else this.lost++;
    this.scheduleDrain();
  }

  /**
   * Takes rows a caller has already mapped (with `exporter.mapRecordWithReason`) — all of them, or
   * none: when they do not fit the free capacity, or after shutdown, it returns false and holds
   * nothing, so a receiver can refuse the whole request and its client can send it again without
   * duplicating rows. Taken rows are batched, sent, retried and spooled like emitted records.
   */
  enqueueRows(rows: readonly MappedRow[]): boolean {
    if (rows.length > this.freeCapacity) return false;
    if (rows.length === 0) return true;
    for (const m of rows) {
      const batch = this.batcher.add(m);
      if (batch) this.pushReady(batch);
    }
    this.scheduleDrain();
    return true;
  }

  /** Security records that can still be held before the queue is full: 0 after shutdown. */
  get freeCapacity(): number {
    return this.stopped ? 0 : Math.max(0, this.maxQueueSize - this.held());
  }

  /** The queue's size limit (`maxQueueSize`). */
  get capacity(): number {
    return this.maxQueueSize;
  }

  /** Sends everything held now and waits for it, within `timeoutMillis`; what is left is spooled. */
  forceFlush(options?: { timeoutMillis?: number }): Promise<void> {
    return this.flush(options?.timeoutMillis ?? this.timeoutMs);
  }

  /** Flushes, then shuts the exporter down. Idempotent. */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= (async () => {
      const started = Date.now();
      await this.flush(this.timeoutMs);
      this.stopped = true;
      if (this.timer) clearTimeout(this.timer);
      await this.exporter.shutdown(Math.max(1, this.timeoutMs - (Date.now() - started)));
    })();
    return this.shutdownPromise;
  }

  /** Security records held: queued, or mapped and waiting for a batch to be sent. */
  get queued(): number {
    return this.held();
  }

  private held(): number {
    return this.queue.length + this.batcher.rows + this.readyRows;
  }

  private scheduleDrain(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    setImmediate(() => {
      this.drainScheduled = false;
      this.drain();
    }).unref();
  }

  /** Maps queued records into batches, spools the overflow, and starts what can be sent. */
  private drain(): void {
    if (this.seen > 0) {
      this.exporter.countSeen(this.seen, this.filtered);
      this.seen = 0;
      this.filtered = 0;
    }
    // Map a slice per task, so a burst does not hold the event loop for long.
    const slice = this.queue.length > DRAIN_SLICE ? this.queue.splice(0, DRAIN_SLICE) : this.queue;
    if (slice === this.queue) this.queue = [];
    for (const record of slice) {
      const m = this.exporter.mapRecord(record);
      if (!m) continue;
      const batch = this.batcher.add(m);
      if (batch) this.pushReady(batch);
    }
    if (this.queue.length > 0) this.scheduleDrain();
    else if (this.flushing > 0) for (const b of this.batcher.takeOlderThan(0)) this.pushReady(b);
    this.spoolOverflow();
    if (this.lost > 0) {
      this.exporter.countLost(this.lost, 'queue-full', 'the queue and the spool backlog were full');
      this.lost = 0;
    }
    this.dispatch();
    this.arm();
  }

  private spoolOverflow(): void {
    if (this.overflowRecords.length === 0) return;
    const records = this.overflowRecords;
    this.overflowRecords = [];
    for (const record of records) {
      const m = this.exporter.mapRecord(record);
      if (!m) continue;
      let rows = this.overflow.get(m.target);
      if (!rows) this.overflow.set(m.target, (rows = []));
      rows.push(m.row);
    }
    const reason = this.stopped ? 'shutdown' : 'queue-full';
    const detail = this.stopped
      ? 'the processor was shut down'
      : `the queue of ${this.maxQueueSize} records was full`;
    for (const [target, rows] of this.overflow) {
      this.spooling += rows.length;
      void this.exporter.spoolRows(target, rows, reason, detail).then(() => {
        this.spooling -= rows.length;
      });
    }
    this.overflow.clear();
  }

  private pushReady(batch: RowBatch): void {
    this.ready.push(batch);
    this.readyRows += batch.rows.length;
  }

  private dispatch(): void {
    while (this.inFlight < this.maxConcurrent) {
      const batch = this.ready.shift();
      if (!batch) break;
      this.readyRows -= batch.rows.length;
      this.inFlight++;
      void this.exporter.sendBatch(batch).then(() => {
        this.inFlight--;
        this.dispatch();
      });
    }
    this.notifyIdle();
  }

  /** Sets the timer that sends batches once their oldest row is `scheduledDelayMillis` old. */
  private arm(): void {
    if (this.timer) return;
    const due = this.batcher.nextDue(this.delayMs);
    if (due === undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      for (const b of this.batcher.takeOlderThan(this.delayMs)) this.pushReady(b);
      this.dispatch();
      this.arm();
    }, due);
    this.timer.unref();
  }

  private notifyIdle(): void {
    if (this.inFlight > 0 || this.ready.length > 0 || this.queue.length > 0 || this.batcher.rows > 0) return;
    const waiters = this.idle;
    this.idle = [];
    for (const w of waiters) w();
  }

  private async flush(timeoutMs: number): Promise<void> {
    this.flushing++;
    try {
      await this.flushWithin(timeoutMs);
    } finally {
      this.flushing--;
    }
  }

  private async flushWithin(timeoutMs: number): Promise<void> {
    this.drain();
    if (this.queue.length === 0) for (const b of this.batcher.takeOlderThan(0)) this.pushReady(b);
    this.dispatch();
    const idle = new Promise<void>((resolve) => {
      this.idle.push(resolve);
      this.notifyIdle();
    });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      // Held open on purpose, like the exporter's shutdown: a flush finishes (or spools) even when
      // nothing else keeps the process alive, for at most `timeoutMs`.
      timer = setTimeout(() => {
        resolve('timeout');
      }, timeoutMs);
    });
    const outcome = await Promise.race([idle, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      // What was still waiting goes to the spool now. Batches already being delivered are not
      // waited for: the time is up (they go on, and a shutdown aborts them into the spool).
      await this.spoolHeld();
      return;
    }
    await this.exporter.forceFlush();
  }

  /** After a flush timed out: what is still waiting to be sent goes to the spool. */
  private spoolHeld(): Promise<unknown> {
    const waiting = this.ready.splice(0);
    this.readyRows = 0;
    const writes = [...waiting, ...this.batcher.takeOlderThan(0)].map((b) =>
      this.exporter.spoolRows(
        b.target,
        b.rows,
        'shutdown',
        'forceFlush or shutdown timed out before it was sent',
      ),
    );
    this.notifyIdle();
    return Promise.all(writes);
  }
}
