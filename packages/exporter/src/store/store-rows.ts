// Rows on the calling thread's side of the store: serialised once per call, in texts of ~64 Ki
// characters (the queue keeps each text as it is, one segment per text), read back from one JSON
// text per page, and written synchronously at process exit by `saveSync`.

import type { Row } from '@otel-sentinel/mapping';
import { parseJsonExact } from '@otel-sentinel/mapping/exact-json';
import type { StreamTarget, UndeliveredReason } from '../row-batch.ts';
import { StoreDatabase } from './store-database.ts';
import type { StoreConfig } from './store-database.ts';
import { MAX_SEGMENT_ROWS, rowId } from './segment-ids.ts';
import { appendSegments } from './store-segments.ts';
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
    return `[${rows.map((row) => serializeRow(row) ?? 'null').join(',')}]`;
  }
}

/** A call's rows as the queue stores them: one JSON array text per segment. */
export interface SerializedSegments {
  readonly texts: string[];
  /** Rows in each text. */
  readonly counts: number[];
  /** Positions (ascending) of rows that could not be serialised: not stored, their id is 0. */
  readonly refused: number[];
}

/**
 * Characters a segment's text aims at. V8 builds a string of more than 128 KiB in its large-object
 * space, and on the machines we measured that made `JSON.stringify` of 1,000 rows of ~1 KB three to
 * four times slower per row than of 100 (3.6 µs against 1 µs a row, Node 24): the queue's one
 * extra serialisation would then cost more than the rest of the disk mode. Texts of ~64 Ki
 * characters stay well below that.
 */
export const SEGMENT_TEXT_CHARS = 65_536;
/** Rows in a call's first text when its first row cannot be serialised to measure it. */
const FIRST_SEGMENT_ROWS = 16;

/** Rows of about `length` characters that fill one text. */
function rowsPerText(length: number): number {
  return Math.min(MAX_SEGMENT_ROWS, Math.max(1, Math.floor(SEGMENT_TEXT_CHARS / Math.max(1, length))));
}

/**
 * A call's rows in texts of about `SEGMENT_TEXT_CHARS` characters (at most `MAX_SEGMENT_ROWS`
 * rows each), one `JSON.stringify` per text: each text after the first holds as many rows as the
 * previous text's mean row length says fit. Only when a `JSON.stringify` throws are that text's
 * rows serialised one by one, to keep the others. The first text is sized by the call's first row.
 */
export function serializeSegments(rows: readonly Row[]): SerializedSegments {
  const out: SerializedSegments = { texts: [], counts: [], refused: [] };
  const first = rows.length > 0 ? serializeRow(rows[0] as Row) : undefined;
  let size = first === undefined ? FIRST_SEGMENT_ROWS : rowsPerText(first.length + 1);
  for (let start = 0; start < rows.length;) {
    const end = Math.min(rows.length, start + size);
    const part = start === 0 && end === rows.length ? rows : rows.slice(start, end);
    let text: string;
    try {
      text = JSON.stringify(part);
      out.texts.push(text);
      out.counts.push(part.length);
    } catch {
      const kept: string[] = [];
      part.forEach((row, i) => {
        const one = serializeRow(row);
        if (one === undefined) out.refused.push(start + i);
        else kept.push(one);
      });
      text = `[${kept.join(',')}]`;
      if (kept.length > 0) {
        out.texts.push(text);
        out.counts.push(kept.length);
      }
    }
    size = rowsPerText(text.length / part.length);
    start = end;
  }
  return out;
}

/** The id of each of `total` rows: 0 for a refused one, the others in order through the segments. */
export function idsOf(serialized: SerializedSegments, segments: readonly number[], total: number): number[] {
  const ids: number[] = new Array<number>(total);
  const { counts, refused } = serialized;
  let segment = 0;
  let index = 0;
  let r = 0;
  for (let i = 0; i < total; i++) {
    if (refused[r] === i) {
      ids[i] = 0;
      r++;
      continue;
    }
    ids[i] = rowId(segments[segment] ?? 0, index);
    if (++index === counts[segment]) {
      segment++;
      index = 0;
    }
  }
  return ids;
}

function serializeRow(row: Row): string | undefined {
  try {
    const text: unknown = JSON.stringify(row);
    return typeof text === 'string' && text !== 'null' ? text : undefined;
  } catch {
    return undefined;
  }
}

interface Page<T extends unknown[]> {
  readonly targets: Record<string, StreamTarget>;
  readonly rows: T[];
}

const NO_TARGET: StreamTarget = { endpoint: '', dcrImmutableId: '', stream: '', table: '' };

export function parseQueuedPage(json: string): QueuedRow[] {
  const page = parseJsonExact(json) as Page<[number, number, number, Row]>;
  return page.rows.map(([id, target, bytes, row]) => ({
    id,
    target: page.targets[target] ?? NO_TARGET,
    row,
    bytes,
  }));
}

export function parseClaimedPage(json: string): ClaimedEntry[] {
  const page = parseJsonExact(json) as Page<[number, number, string, UndeliveredReason, string | null, Row]>;
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
      const now = Date.now();
      const key = upsertOwner(db, owner, 0, now);
      let written = 0;
      for (const { target, rows } of batches) {
        if (rows.length === 0) continue;
        const segments = serializeSegments(rows);
        appendSegments(db, key, target, segments.texts, segments.counts);
        written += rows.length - segments.refused.length;
      }
      endOwner(db, key, now);
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
