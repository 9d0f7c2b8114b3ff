// `DeliveryStore` on SQLite: the calling thread serialises rows (one JSON.stringify per ~64 Ki
// characters of a call, each text stored as it is: one queue segment) and counts; the worker thread does every read,
// write and fsync. Never rejects after `open()`: failures come back as results and are counted.

import type { Row } from '@otel-sentinel/mapping';
import type { StreamTarget, UndeliveredReason } from '../row-batch.ts';
import type { SpoolWriteError } from '../spool/spool-errors.ts';
import { liveSnapshot, newOwner, releaseOwner } from './owner-identity.ts';
import type { OwnerIdentity } from './owner-identity.ts';
import { EarlyOwner } from './early-owner.ts';
import { spoolErrorOf } from './store-failure.ts';
import type { StoreFailure } from './store-failure.ts';
import { resolveStoreOptions } from './store-options.ts';
import type { DeliveryStoreOptions, ResolvedStoreOptions } from './store-options.ts';
import type { OwnerRegistration } from './store-owners.ts';
import {
  idsOf,
  parseClaimedPage,
  parseQueuedPage,
  saveAndEnd,
  serializeRows,
  serializeSegments,
} from './store-rows.ts';
import type { ClaimedEntry } from './store-rows.ts';
import type {
  AdoptionReport,
  DeliveryStore,
  EnqueueResult,
  QueuedForward,
  QueuedRow,
  SpoolResult,
  StoreDurability,
  StoreStats,
} from './store-types.ts';
import { WorkerClient } from './worker-client.ts';
import type { StoreReply, StoreRequest, WorkerStats } from './worker-protocol.ts';

export class SqliteDeliveryStore implements DeliveryStore {
  readonly path: string;
  readonly durability: StoreDurability;
  readonly #options: ResolvedStoreOptions;
  readonly #owner: OwnerIdentity;
  readonly #registration: OwnerRegistration;
  /** The owner's row written from this thread until the worker has the store open. */
  #early: EarlyOwner | undefined;
  readonly #held = new BigInt64Array(new SharedArrayBuffer(8));
  readonly #client: WorkerClient;
  readonly #listeners: ((report: AdoptionReport) => void)[] = [];
  #state: 'new' | 'opening' | 'open' | 'closed' = 'new';
  /** Why `open()` failed: every later call is refused with it. */
  #openFailure: StoreFailure | undefined;
  #closing: Promise<void> | undefined;
  #checkTimer: NodeJS.Timeout | undefined;
  #worker: WorkerStats = { queued: 0, spooled: 0, fileBytes: 0, commits: 0 };
  #entriesSpooled = 0;
  #entriesRefused = 0;
  #errors = 0;
  #lastError: SpoolWriteError | undefined;

  /** Validates the options (throws `ConfigError`); touches no file until `open()`. */
  constructor(options: DeliveryStoreOptions) {
    this.#options = resolveStoreOptions(options);
    this.path = this.#options.config.path;
    this.durability = this.#options.config.durability;
    this.#owner = newOwner();
    const { config, role, staleMs, heartbeatMs } = this.#options;
    this.#registration = { identity: this.#owner, role, durability: this.durability };
    this.#client = new WorkerClient(
      {
        config,
        owner: this.#registration,
        staleMs,
        heartbeatMs,
        held: this.#held.buffer,
      },
      (stats) => {
        this.#worker = stats;
      },
    );
  }

  async open(): Promise<AdoptionReport> {
    if (this.#state !== 'new') throw spoolErrorOf(this.#failure('open', 'open() was called before'));
    this.#state = 'opening';
    this.#early = EarlyOwner.open(
      this.#options.config,
      this.#registration,
      Number(Atomics.load(this.#held, 0)),
    );
    this.#client.start();
    const reply = await this.#client.send({ op: 'open', live: liveSnapshot() });
    this.#early?.close();
    this.#early = undefined;
    if (!reply.ok) {
      this.#state = 'closed';
      this.#openFailure = reply.failure;
      releaseOwner(this.#owner.token);
      await this.#client.stop();
      throw this.#record(reply.failure);
    }
    this.#state = 'open';
    this.#checkTimer = setInterval(() => {
      void this.#checkForEnded();
    }, this.#options.adoptionCheckMs);
    this.#checkTimer.unref();
    return reply.value as AdoptionReport;
  }

  onAdopted(listener: (report: AdoptionReport) => void): void {
    this.#listeners.push(listener);
  }

  async enqueue(target: StreamTarget, rows: readonly Row[]): Promise<EnqueueResult> {
    if (rows.length === 0) return { ok: true, ids: [] };
    const segments = serializeSegments(rows);
    const reply = await this.#ask({ op: 'enqueue', target, texts: segments.texts, counts: segments.counts });
    if (!reply.ok) {
      this.#entriesRefused += rows.length;
      return { ok: false, error: this.#record(reply.failure) };
    }
    const ids = idsOf(segments, reply.value as number[], rows.length);
    const refused = segments.refused.length;
    this.#entriesRefused += refused;
    return refused === 0 ? { ok: true, ids } : { ok: true, ids, refused };
  }

  async remove(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    const reply = await this.#ask({ op: 'remove', ids });
    if (!reply.ok) this.#record(reply.failure);
  }

  async deadLetter(ids: readonly number[], reason: UndeliveredReason, detail: string): Promise<SpoolResult> {
    if (ids.length === 0) return { written: 0, refused: 0 };
    const time = new Date().toISOString();
    return this.#spoolResult(await this.#ask({ op: 'deadLetter', ids, reason, detail, time }), ids.length);
  }

  async spool(
    target: StreamTarget,
    rows: readonly Row[],
    reason: UndeliveredReason,
    detail: string,
  ): Promise<SpoolResult> {
    if (rows.length === 0) return { written: 0, refused: 0 };
    const time = new Date().toISOString();
    const request: StoreRequest = { op: 'spool', target, rows: serializeRows(rows), reason, detail, time };
    return this.#spoolResult(await this.#ask(request), rows.length);
  }

  async takeAdopted(limit: number): Promise<readonly QueuedRow[]> {
    const reply = await this.#ask({ op: 'takeAdopted', limit });
    if (!reply.ok) {
      this.#record(reply.failure);
      return [];
    }
    return parseQueuedPage(reply.value as string);
  }

  async enqueueForward(body: Uint8Array, records: number): Promise<EnqueueResult> {
    const reply = await this.#ask({ op: 'enqueueForward', body, records });
    if (!reply.ok) return { ok: false, error: this.#record(reply.failure) };
    return { ok: true, ids: [reply.value as number] };
  }

  async removeForward(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    const reply = await this.#ask({ op: 'removeForward', ids });
    if (!reply.ok) this.#record(reply.failure);
  }

  async takeAdoptedForwards(limit: number): Promise<readonly QueuedForward[]> {
    const reply = await this.#ask({ op: 'takeAdoptedForwards', limit });
    if (!reply.ok) {
      this.#record(reply.failure);
      return [];
    }
    return reply.value as QueuedForward[];
  }

  setHeldInMemory(records: number): void {
    const held = Math.max(0, Math.trunc(records));
    Atomics.store(this.#held, 0, BigInt(held));
    this.#early?.write(held);
  }

  saveSync(batches: readonly { readonly target: StreamTarget; readonly rows: readonly Row[] }[]): number {
    const total = batches.reduce((n, b) => n + b.rows.length, 0);
    const written = saveAndEnd(this.#options.config, this.#registration, batches);
    this.#entriesRefused += total - written;
    releaseOwner(this.#owner.token);
    return written;
  }

  close(options?: { readonly ended?: boolean }): Promise<void> {
    this.#closing ??= this.#close(options?.ended ?? false);
    return this.#closing;
  }

  stats(): StoreStats {
    const stats = {
      ...this.#worker,
      maxTotalBytes: this.#options.config.maxTotalBytes,
      entriesSpooled: this.#entriesSpooled,
      entriesRefused: this.#entriesRefused,
      errors: this.#errors,
    };
    return this.#lastError === undefined ? stats : { ...stats, lastError: this.#lastError };
  }

  // ---- for replay -----------------------------------------------------------------------------

  /** Claims up to `limit` replayable spool entries after `afterId`, oldest first; the error when the store failed. */
  async claim(
    afterId: number,
    limit: number,
    reasons: readonly string[],
  ): Promise<ClaimedEntry[] | SpoolWriteError> {
    const reply = await this.#ask({ op: 'claim', afterId, limit, reasons });
    if (!reply.ok) return this.#record(reply.failure);
    return parseClaimedPage(reply.value as string);
  }

  /** Deletes claimed entries that were delivered. */
  async removeClaimed(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    const reply = await this.#ask({ op: 'removeClaimed', ids });
    if (!reply.ok) this.#record(reply.failure);
  }

  /** Puts claimed entries back in the spool unchanged. */
  async unclaim(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    const reply = await this.#ask({ op: 'unclaim', ids });
    if (!reply.ok) this.#record(reply.failure);
  }

  /** Sends any request; used by replay for counts and legacy imports. */
  async request(request: StoreRequest): Promise<StoreReply> {
    const reply = await this.#ask(request);
    if (!reply.ok) this.#record(reply.failure);
    return reply;
  }

  async #close(ended: boolean): Promise<void> {
    clearInterval(this.#checkTimer);
    const wasOpen = this.#state === 'open';
    this.#state = 'closed';
    if (wasOpen) {
      const reply = await this.#client.send({ op: 'close', ended });
      if (!reply.ok) this.#record(reply.failure);
    }
    await this.#client.stop();
    releaseOwner(this.#owner.token);
  }

  async #checkForEnded(): Promise<void> {
    const reply = await this.#ask({ op: 'adopt', live: liveSnapshot() });
    if (!reply.ok) {
      this.#record(reply.failure);
      return;
    }
    const report = reply.value as AdoptionReport;
    if (report.owners.length === 0 && report.rows === 0 && report.forwards === 0) return;
    for (const listener of this.#listeners) listener(report);
  }

  #ask(request: StoreRequest): Promise<StoreReply> {
    if (this.#state !== 'open') return Promise.resolve({ ok: false, failure: this.#notOpen() });
    return this.#client.send(request);
  }

  #spoolResult(reply: StoreReply, total: number): SpoolResult {
    if (!reply.ok) {
      this.#entriesRefused += total;
      return { written: 0, refused: total, error: this.#record(reply.failure) };
    }
    const { written, refused, failure } = reply.value as {
      written: number;
      refused: number;
      failure?: StoreFailure;
    };
    this.#entriesSpooled += written;
    this.#entriesRefused += refused;
    if (failure !== undefined) return { written, refused, error: this.#record(failure) };
    return { written, refused };
  }

  #notOpen(): StoreFailure {
    if (this.#openFailure !== undefined) return this.#openFailure;
    return this.#state === 'closed'
      ? { kind: 'closed' }
      : this.#failure('write to', 'the store is not open; call open() first');
  }

  #failure(operation: string, message: string): StoreFailure {
    return { kind: 'io', operation, path: this.path, code: undefined, message };
  }

  #record(failure: StoreFailure): SpoolWriteError {
    const error = spoolErrorOf(failure);
    if (failure.kind === 'io') this.#errors++;
    this.#lastError = error;
    return error;
  }
}
