// SentinelLogRecordProcessor: in `onEmit` it keeps only security records — one attribute lookup
// for every other record — and queues them. Mapping happens off the emit path, in a task that
// hands the rows to the exporter's delivery pipeline. The queue shares the pipeline's bound:
// records beyond it are mapped and spooled as `queue-full`, never dropped silently. A record whose
// resource still has asynchronous attributes coming waits (within that bound) until they arrive.

import type { LogRecordLike } from '@otel-sentinel/mapping';
import type { Row } from '@otel-sentinel/mapping';
import type { SentinelLogRecordProcessorOptions } from './config.js';
import { FilteredBytes } from './operational-bytes.js';
import type { DeliveryPipeline } from './pipeline/delivery-pipeline.js';
import { positiveInt } from './pipeline/pipeline-config.js';
import type { MappedRow } from './pipeline/row-pipeline.js';
import { ResourceSettling } from './resource-settling.js';
import type { StreamTarget } from './row-batch.js';
import { SentinelLogExporter } from './sentinel-log-exporter.js';

export { MAX_QUEUE_SIZE_ENV, SCHEDULED_DELAY_ENV, DURABILITY_ENV } from './pipeline/pipeline-config.js';

/** Records mapped per drain task, so a burst does not hold the event loop for long. */
const DRAIN_SLICE = 2000;

export class SentinelLogRecordProcessor {
  readonly exporter: SentinelLogExporter;
  private readonly pipeline: DeliveryPipeline;
  private readonly maxSpoolBacklog: number;
  private readonly isSecurity: (record: LogRecordLike) => boolean;
  /** Records whose resource has not settled yet: mapped once it has. */
  private readonly settling: ResourceSettling;

  private queue: LogRecordLike[] = [];
  private overflow: LogRecordLike[] = [];
  /** Overflow rows handed to the spool and not yet written. */
  private spooling = 0;
  /** Overflow records that found the spool's backlog full too: counted as lost at the next drain. */
  private lost = 0;
  private seen = 0;
  private filtered = 0;
  /** Estimated AppTraces bytes of the filtered records, sampled (operational-bytes.ts). */
  private readonly filteredBytes = new FilteredBytes();
  /** What of `filteredBytes` the exporter has been told. */
  private filteredBytesCounted = 0;
  private drainScheduled = false;
  private stopped = false;
  private shutdownPromise: Promise<void> | undefined;

  constructor(options: SentinelLogRecordProcessorOptions = {}) {
    this.exporter = options.exporter ?? new SentinelLogExporter(options);
    this.pipeline = this.exporter.pipeline;
    this.maxSpoolBacklog = positiveInt(
      'maxSpoolBacklog',
      options.maxSpoolBacklog,
      this.pipeline.capacity * 10,
    );
    const mapping = this.exporter.mapping;
    this.isSecurity = (r) => mapping.isSecurity(r);
    this.settling = new ResourceSettling((records) => {
      this.settled(records);
    }, this.pipeline.exportTimeoutMillis);
    this.pipeline.addFeeder({
      pending: () => this.queue.length + this.settling.size + this.overflow.length,
      takeAll: () => this.takeAll(),
      flush: () => this.forceFlush(),
    });
  }

  /** Keeps security records (synchronously: the record is read-only once this returns). */
  onEmit(record: LogRecordLike): void {
    this.seen++;
    if (!this.isSecurity(record)) {
      this.filtered++;
      this.filteredBytes.add(record);
      return;
    }
    if (
      !this.stopped &&
      this.queue.length + this.settling.size + this.pipeline.held < this.pipeline.capacity
    ) {
      if (this.settling.hold(record)) return;
      this.queue.push(record);
    } else if (this.overflow.length + this.spooling < this.maxSpoolBacklog) this.overflow.push(record);
    // The queue and the spool's backlog are both full: keeping more would grow memory without
    // bound while the sink is down. Counted and reported, never silent.
    else this.lost++;
    this.scheduleDrain();
  }

  /** Sends everything held now and waits for it, within `timeoutMillis` (default `exportTimeoutMillis`). */
  async forceFlush(options?: { timeoutMillis?: number }): Promise<void> {
    await this.settling.settled();
    while (this.queue.length > 0 || this.overflow.length > 0) this.drain();
    // Operational records alone schedule no drain: count them now, so stats() after a flush is whole.
    this.reportSeen();
    await this.pipeline.flush(options?.timeoutMillis);
  }

  /** Flushes, then shuts the exporter down (what is left goes to the write-ahead queue). Idempotent. */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= (async () => {
      await this.settling.settled();
      while (this.queue.length > 0 || this.overflow.length > 0) this.drain();
      this.stopped = true;
      await this.exporter.shutdown();
    })();
    return this.shutdownPromise;
  }

  /** Security records held: queued here, or rows held by the pipeline. */
  get queued(): number {
    return this.queue.length + this.settling.size + this.pipeline.held;
  }

  /** Records whose resource has settled join the queue (their room was counted while they waited). */
  private settled(records: readonly LogRecordLike[]): void {
    for (const record of records) this.queue.push(record);
    this.scheduleDrain();
  }

  private scheduleDrain(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    setImmediate(() => {
      this.drainScheduled = false;
      this.drain();
    }).unref();
  }

  /** Maps a slice of queued records into the pipeline, spools the overflow, reports losses. */
  private drain(): void {
    this.reportSeen();
    const slice = this.queue.length > DRAIN_SLICE ? this.queue.splice(0, DRAIN_SLICE) : this.queue;
    if (slice === this.queue) this.queue = [];
    const rows = this.mapAll(slice);
    if (rows.length > 0 && this.pipeline.submit(rows) === undefined)
      // Another user of the pipeline (or rows taken over from an earlier run) took the room.
      this.spool(rows, 'queue-full', `the queue of ${this.pipeline.capacity} rows was full`);
    if (this.queue.length > 0) this.scheduleDrain();
    this.spoolOverflow();
    if (this.lost > 0) {
      this.pipeline.reportLost(this.lost, 'queue-full', 'the queue and the spool backlog were full');
      this.lost = 0;
    }
  }

  private mapAll(records: readonly LogRecordLike[]): MappedRow[] {
    const rows: MappedRow[] = [];
    for (const record of records) {
      const m = this.exporter.mapRecord(record);
      if (m !== undefined) rows.push(m);
    }
    return rows;
  }

  private spoolOverflow(): void {
    if (this.overflow.length === 0) return;
    const records = this.overflow;
    this.overflow = [];
    const rows = this.mapAll(records);
    if (this.stopped) this.spool(rows, 'shutdown', 'the processor was shut down');
    else this.spool(rows, 'queue-full', `the queue of ${this.pipeline.capacity} records was full`);
  }

  private spool(rows: readonly MappedRow[], reason: 'queue-full' | 'shutdown', detail: string): void {
    const byTarget = new Map<StreamTarget, Row[]>();
    for (const m of rows) {
      const list = byTarget.get(m.target);
      if (list === undefined) byTarget.set(m.target, [m.row]);
      else list.push(m.row);
    }
    for (const [target, list] of byTarget) {
      this.spooling += list.length;
      void this.pipeline.setAside(target, list, reason, detail).then(() => {
        this.spooling -= list.length;
      });
    }
  }

  /** Hands the counts of records seen since the last drain to the exporter's stats. */
  private reportSeen(): void {
    if (this.seen === 0) return;
    // A scaled total can dip when smaller records are sampled; a counter only grows.
    const bytes = Math.max(0, this.filteredBytes.total() - this.filteredBytesCounted);
    this.exporter.countSeen(this.seen, this.filtered, bytes);
    this.filteredBytesCounted += bytes;
    this.seen = 0;
    this.filtered = 0;
  }

  /** At exit: everything queued here, as rows, for the pipeline to save. */
  private takeAll(): MappedRow[] {
    const records = [...this.queue, ...this.settling.takeAll(), ...this.overflow];
    this.queue = [];
    this.overflow = [];
    return this.mapAll(records);
  }
}
