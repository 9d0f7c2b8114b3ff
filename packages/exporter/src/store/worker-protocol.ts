// The messages between a `SqliteDeliveryStore` and its worker thread. Plain data only: rows
// travel as JSON text, failures as `StoreFailure`, and the thread that asked builds the objects.
// An enqueue carries its rows as the calling thread serialised them, one text per segment, and
// is answered with the segments' ids: the calling thread derives the rows' ids from them.

import type { StreamTarget, UndeliveredReason } from '../row-batch.ts';
import type { LiveSnapshot } from './owner-identity.ts';
import type { OwnerRegistration } from './store-owners.ts';
import type { StoreConfig } from './store-database.ts';
import type { StoreFailure } from './store-failure.ts';

export interface WorkerSetup {
  readonly config: StoreConfig;
  readonly owner: OwnerRegistration;
  readonly staleMs: number;
  readonly heartbeatMs: number;
  /** One BigInt64: records held in memory only, written by the calling thread, read at heartbeats. */
  readonly held: SharedArrayBuffer;
}

export type StoreRequest =
  | { readonly op: 'open'; readonly live: LiveSnapshot }
  | { readonly op: 'adopt'; readonly live: LiveSnapshot }
  | {
      readonly op: 'enqueue';
      readonly target: StreamTarget;
      /** One JSON array text per segment. */
      readonly texts: readonly string[];
      /** Rows in each text. */
      readonly counts: readonly number[];
    }
  | {
      readonly op: 'spool';
      readonly target: StreamTarget;
      readonly rows: string;
      readonly reason: UndeliveredReason;
      readonly detail: string | undefined;
      readonly time: string;
    }
  | { readonly op: 'remove'; readonly ids: readonly number[] }
  | {
      readonly op: 'deadLetter';
      readonly ids: readonly number[];
      readonly reason: UndeliveredReason;
      readonly detail: string;
      readonly time: string;
    }
  | { readonly op: 'takeAdopted'; readonly limit: number }
  | { readonly op: 'enqueueForward'; readonly body: Uint8Array; readonly records: number }
  | { readonly op: 'removeForward'; readonly ids: readonly number[] }
  | { readonly op: 'takeAdoptedForwards'; readonly limit: number }
  | {
      readonly op: 'claim';
      readonly afterId: number;
      readonly limit: number;
      readonly reasons: readonly string[];
    }
  | { readonly op: 'unclaim'; readonly ids: readonly number[] }
  | { readonly op: 'removeClaimed'; readonly ids: readonly number[] }
  | {
      readonly op: 'import';
      readonly name: string;
      /** Bytes of the file already imported before (the offset this import read from). */
      readonly from: number;
      readonly size: number;
      readonly entries: string;
    }
  | { readonly op: 'imported'; readonly name: string }
  | { readonly op: 'count'; readonly reasons: readonly string[]; readonly afterId: number }
  | { readonly op: 'vacuum' }
  | { readonly op: 'heartbeat' }
  /**
   * Gives back pages that settled rows freed, a bounded step at a time, when the file is mostly
   * free (`SpaceKeeper`); `heartbeat`: a heartbeat's interval ended.
   */
  | { readonly op: 'maintain'; readonly heartbeat: boolean }
  | { readonly op: 'close'; readonly ended: boolean };

export type StoreOp = StoreRequest['op'];

export interface Envelope {
  readonly id: number;
  readonly request: StoreRequest;
}

export type StoreReply =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly failure: StoreFailure };

/** What the calling thread shows in `stats()`, sent with every answer. */
export interface WorkerStats {
  readonly queued: number;
  readonly spooled: number;
  readonly fileBytes: number;
  readonly commits: number;
}

export interface WorkerAnswer {
  readonly replies: readonly (readonly [number, StoreReply])[];
  readonly stats: WorkerStats;
}
