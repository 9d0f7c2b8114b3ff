// The contract of the durable store: one SQLite database (node:sqlite, WAL) per spool directory
// that holds the write-ahead queue (rows accepted and not yet delivered), the spool (rows that
// will not be delivered without a person or `replay`: dead letters, with their reason) and the
// gateway's queue of operational OTLP bodies. The delivery pipeline talks to it only through
// `DeliveryStore`; the database work runs on a worker thread, so an fsync never stalls the app.

import type { Row } from '@otel-sentinel/mapping';
import type { StreamTarget, UndeliveredReason } from '../row-batch.js';
import type { SpoolWriteError } from '../spool/spool-errors.js';

/** Whether commits wait for the disk (`disk`: fsync, survives a power cut) or only for the OS. */
export type StoreDurability = 'memory' | 'disk';

/** Who writes to a store: a pipeline (exporter or gateway), or `replay`. */
export type OwnerRole = 'exporter' | 'gateway' | 'replay';

/** A process (or pipeline) that used the store and ended, cleanly or not, and what it left. */
export interface EndedOwner {
  readonly pid: number;
  readonly host: string;
  readonly role: OwnerRole;
  readonly durability: StoreDurability;
  /** When it registered, ms since the epoch. */
  readonly startedAt: number;
  /** Its last heartbeat (or its end, when it ended cleanly), ms since the epoch. */
  readonly lastSeenAt: number;
  /** True when it closed the store itself; false when it crashed or was killed. */
  readonly clean: boolean;
  /** Queue entries it left and this owner took over. */
  readonly rows: number;
  /** Operational bodies it left and this owner took over. */
  readonly forwards: number;
  /**
   * Security records it held in memory only (never written to the store) at its last heartbeat:
   * lost with it when it did not end cleanly. 0 for a clean end and for durable owners.
   */
  readonly heldInMemory: number;
  /** Spool entries it (a replay) had claimed and not settled, put back in the spool unchanged. */
  readonly returnedToSpool?: number;
}

/** What `open()` found: queue entries of ended owners, now this owner's to deliver. */
export interface AdoptionReport {
  /** Queue entries taken over (all owners together). */
  readonly rows: number;
  readonly forwards: number;
  readonly owners: readonly EndedOwner[];
  /** Spool entries that ended replays had claimed, back in the spool (see `EndedOwner`). */
  readonly returnedToSpool?: number;
}

/** A queue entry read back: the row as it was accepted. */
export interface QueuedRow {
  readonly id: number;
  readonly target: StreamTarget;
  readonly row: Row;
  /** Length of the row's JSON in UTF-8 bytes. */
  readonly bytes: number;
}

/** A queued operational OTLP protobuf body (gateway only). */
export interface QueuedForward {
  readonly id: number;
  readonly body: Uint8Array;
  readonly records: number;
}

export type EnqueueResult =
  | {
      readonly ok: true;
      /** In the order of the rows; 0 for a row that could not be serialised (nothing stored). */
      readonly ids: readonly number[];
      /** Rows that could not be serialised (a bigint, a cycle); absent when none. */
      readonly refused?: number;
    }
  | { readonly ok: false; readonly error: SpoolWriteError };

export interface SpoolResult {
  /** Entries now in the spool. */
  readonly written: number;
  /** Entries not spooled (full, closed, I/O error, an unserialisable row). */
  readonly refused: number;
  readonly error?: SpoolWriteError;
}

export interface StoreStats {
  /** This owner's queue entries (accepted, not yet delivered or dead-lettered). */
  readonly queued: number;
  /** Entries in the spool (every owner's). */
  readonly spooled: number;
  /** Bytes of the database file and its WAL. */
  readonly fileBytes: number;
  readonly maxTotalBytes: number;
  /** Transactions committed by this owner; each is one fsync in `disk` durability. */
  readonly commits: number;
  readonly entriesSpooled: number;
  readonly entriesRefused: number;
  /** I/O errors met (open, write, fsync, checkpoint). */
  readonly errors: number;
  readonly lastError?: SpoolWriteError;
}

/**
 * The store as the pipeline sees it. Every method but `saveSync` is asynchronous and never
 * rejects: failures come back as results and are counted in `stats()`. Calls made in the same
 * turn of the event loop, and calls made while a commit is under way, are committed together
 * (group commit); in `disk` durability a call resolves only after its transaction is fsynced.
 */
export interface DeliveryStore {
  /** `<directory>/<prefix>.sqlite`. */
  readonly path: string;
  readonly durability: StoreDurability;

  /**
   * Creates the directory (0700) and the database (0600) when missing, registers this owner,
   * imports nothing (legacy spool files are `replay`'s), and takes over the queue entries of
   * owners that ended: closed cleanly, or whose process is gone (same host and its pid is not
   * alive, or a pid of this process that no live owner of this process holds), or whose heartbeat
   * is older than the stale limit. Rejects with `SpoolIoError` when the store cannot be opened.
   */
  open(): Promise<AdoptionReport>;

  /**
   * Later take-overs: called with what a periodic check (every few seconds) adopted, once the
   * entries are this owner's. The pipeline reads them with `takeAdopted`.
   */
  onAdopted(listener: (report: AdoptionReport) => void): void;

  /** Appends rows to this owner's queue, in order; resolves with their ids once committed. */
  enqueue(target: StreamTarget, rows: readonly Row[]): Promise<EnqueueResult>;

  /** Deletes delivered queue entries. */
  remove(ids: readonly number[]): Promise<void>;

  /** Moves queue entries to the spool with a reason (one transaction): they will not be sent again. */
  deadLetter(ids: readonly number[], reason: UndeliveredReason, detail: string): Promise<SpoolResult>;

  /** Writes rows that never were in the queue to the spool. */
  spool(
    target: StreamTarget,
    rows: readonly Row[],
    reason: UndeliveredReason,
    detail: string,
  ): Promise<SpoolResult>;

  /**
   * Queue entries this owner adopted (at `open()` or later) and has not taken yet, oldest first,
   * at most `limit`; they are marked taken in the same transaction, so each is handed to the
   * pipeline once (its own `enqueue`d entries are never returned: the pipeline already holds
   * them). Taken entries stay in the queue until `remove`d or `deadLetter`ed; after a crash the
   * next owner adopts them again.
   */
  takeAdopted(limit: number): Promise<readonly QueuedRow[]>;

  /** Gateway: appends an operational body to this owner's forward queue; its id once committed. */
  enqueueForward(body: Uint8Array, records: number): Promise<EnqueueResult>;
  removeForward(ids: readonly number[]): Promise<void>;
  /** Like `takeAdopted`, for adopted operational bodies. */
  takeAdoptedForwards(limit: number): Promise<readonly QueuedForward[]>;

  /**
   * Records held in memory only (memory durability). Costs one atomic store: call it whenever the
   * count changes. The worker writes a changed count within a quarter of a second, and at every
   * heartbeat.
   */
  setHeldInMemory(records: number): void;

  /**
   * For `process.on('exit')` and signal handlers, where nothing asynchronous runs any more:
   * writes `rows` to this owner's queue synchronously, on a connection of the calling thread,
   * and marks this owner ended so the next start (or `replay`) takes them over at once.
   * Returns how many were written; never throws.
   */
  saveSync(batches: readonly { readonly target: StreamTarget; readonly rows: readonly Row[] }[]): number;

  /**
   * Commits what is pending and closes. `ended: true` (a clean stop) marks this owner ended, so
   * what is left in its queue is taken over at the next start without waiting for the stale limit.
   * Idempotent.
   */
  close(options?: { readonly ended?: boolean }): Promise<void>;

  stats(): StoreStats;
}
