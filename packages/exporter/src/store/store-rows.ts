// Rows on the calling thread's side of the store: serialised once per call, read back from one
// JSON text per page, and written synchronously at process exit by `saveSync`.

import type { Row } from '@otel-sentinel/mapping';
import type { StreamTarget, UndeliveredReason } from '../row-batch.ts';
import { StoreDatabase } from './store-database.ts';
import type { StoreConfig } from './store-database.ts';
import { appendToQueue } from './store-entries.ts';
import { endOwner, upsertOwner } from './store-owners.ts';
import type { OwnerRegistration } from './store-owners.ts';
import type { QueuedRow } from './store-types.ts';

/** A spool entry replay claimed: in its queue until delivered or put back. */
export interface ClaimedEntry {
  readonly id: number;
  readonly target: StreamTarget;
  readonly time: string;
  readonly reason: UndeliveredReason;
  readonly detail?: string;
  readonly row: Row;
}

/** At exit another process may hold the write lock; wait a little, not the full busy timeout. */
const SAVE_BUSY_TIMEOUT_MS = 2000;

/**
 * `JSON.stringify(rows)`: one call on the app's thread. A row that cannot be serialised (a
 * bigint, a cycle) becomes `null`, which the worker refuses, so it does not take the others down.
 */
export function serializeRows(rows: readonly Row[]): string {
  try {
    return JSON.stringify(rows);
  } catch {
    return `[${rows.map(serializeRow).join(',')}]`;
  }
}

function serializeRow(row: Row): string {
  try {
    return JSON.stringify(row);
  } catch {
    return 'null';
  }
}

interface Page<T extends unknown[]> {
  readonly targets: Record<string, StreamTarget>;
  readonly rows: T[];
}

const NO_TARGET: StreamTarget = { endpoint: '', dcrImmutableId: '', stream: '', table: '' };

export function parseQueuedPage(json: string): QueuedRow[] {
  const page = JSON.parse(json) as Page<[number, number, number, Row]>;
  return page.rows.map(([id, target, bytes, row]) => ({
    id,
    target: page.targets[target] ?? NO_TARGET,
    row,
    bytes,
  }));
}

export function parseClaimedPage(json: string): ClaimedEntry[] {
  const page = JSON.parse(json) as Page<[number, number, string, UndeliveredReason, string | null, Row]>;
  return page.rows.map(([id, target, time, reason, detail, row]) => ({
    id,
    target: page.targets[target] ?? NO_TARGET,
    time,
    reason,
    ...(detail === null ? {} : { detail }),
    row,
  }));
}

/**
 * Writes rows to the owner's queue and marks it ended, on a connection of the calling thread, in
 * one transaction. Returns how many rows were written; 0 on any failure. Never throws.
 */
export function saveAndEnd(
  config: StoreConfig,
  owner: OwnerRegistration,
  batches: readonly { readonly target: StreamTarget; readonly rows: readonly Row[] }[],
): number {
  let store: StoreDatabase | undefined;
  try {
    store = StoreDatabase.open({
      ...config,
      busyTimeoutMs: Math.min(config.busyTimeoutMs, SAVE_BUSY_TIMEOUT_MS),
    });
    const db = store;
    return db.transaction({ durable: true, intake: true }, () => {
      let written = 0;
      for (const { target, rows } of batches) {
        if (rows.length === 0) continue;
        const texts = rows.map((row) => {
          const text = serializeRow(row);
          return text === 'null' ? undefined : text;
        });
        written += appendToQueue(db, owner.identity.token, target, texts).filter((id) => id > 0).length;
      }
      const now = Date.now();
      upsertOwner(db, owner, 0, now);
      endOwner(db, owner.identity.token, now);
      return written;
    });
  } catch {
    return 0;
  } finally {
    try {
      store?.close();
    } catch {
      // Closing a connection that failed changes nothing of what was committed.
    }
  }
}
