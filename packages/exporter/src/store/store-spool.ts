// The spool, inside a transaction the caller opened: one entry per row that will not be sent
// without a person or `replay`, with its reason. Replay claims entries (they get its owner key)
// and settles them: delivered entries are deleted, the others put back. Rows arrive as JSON text
// and leave as one JSON page; id lists are passed as one JSON array (`json_each`).

import { parseJsonExact } from '@otel-sentinel/mapping/exact-json';
import type { StreamTarget, UndeliveredReason } from '../row-batch.ts';
import { clipDetail } from '../spool/spool-entry.ts';
import type { StoreDatabase } from './store-database.ts';

/** One JSON text per row; undefined where the calling thread could not serialise the row. */
export type RowTexts = readonly (string | undefined)[];

/**
 * Splits the calling thread's `JSON.stringify(rows)` into one text per row. A row it could not
 * serialise arrives as `null` and comes out undefined. For the spool only, where each row is an
 * entry of its own; the queue keeps the calling thread's text as it is.
 */
export function rowTexts(json: string): RowTexts {
  const rows = parseJsonExact(json) as unknown[];
  return rows.map((row) => (typeof row === 'object' && row !== null ? JSON.stringify(row) : undefined));
}

/** What a spool entry says besides its row. */
export interface SpoolMark {
  readonly time: string;
  readonly reason: UndeliveredReason;
  readonly detail: string | undefined;
}

/** Writes rows straight to the spool; returns how many were written. */
export function appendToSpool(
  store: StoreDatabase,
  target: StreamTarget,
  rows: RowTexts,
  mark: SpoolMark,
): number {
  const insert = store.statement(
    'INSERT INTO spool (owner, target, queued, time, reason, detail, row) VALUES (NULL, ?, ?, ?, ?, ?, ?)',
  );
  const targetId = store.targetId(target);
  const queued = Date.parse(mark.time) || Date.now();
  const detail = mark.detail === undefined ? null : clipDetail(mark.detail);
  let written = 0;
  for (const row of rows) {
    if (row === undefined) continue;
    insert.run(targetId, queued, mark.time, mark.reason, detail, row);
    written++;
  }
  return written;
}

/**
 * Replay's claim: up to `limit` spool entries after `afterId` with one of `reasons` and a target,
 * oldest first, given to `owner` in one statement, so two replays never claim one entry. As one
 * JSON text `{"targets":{…},"rows":[[id,target,time,reason,detail,row],…]}`.
 */
export function claimSpooled(
  store: StoreDatabase,
  owner: number,
  afterId: number,
  limit: number,
  reasons: readonly string[],
): Page {
  const rows = store
    .statement(
      'UPDATE spool SET owner = ? WHERE id IN (' +
        'SELECT e.id FROM spool e JOIN targets t ON t.id = e.target ' +
        'WHERE e.owner IS NULL AND e.id > ? AND e.reason IN (SELECT value FROM json_each(?)) ' +
        "AND t.endpoint != '' AND t.dcr_immutable_id != '' AND t.stream != '' ORDER BY e.id LIMIT ?) " +
        'RETURNING id, target, time, reason, detail, row',
    )
    .all(owner, afterId, JSON.stringify(reasons), limit)
    .map((r) => ({
      id: Number(r['id']),
      target: Number(r['target']),
      head: JSON.stringify([r['time'], r['reason'], r['detail']]).slice(1, -1),
      row: String(r['row']),
    }))
    .sort((a, b) => a.id - b.id);
  return pageJson(store, rows, (r) => `[${r.id},${r.target},${r.head},${r.row}]`);
}

/** Deletes claimed entries that were delivered; others' claims are left alone. */
export function removeClaimed(store: StoreDatabase, owner: number, ids: readonly number[]): number {
  return Number(
    store
      .statement('DELETE FROM spool WHERE owner = ? AND id IN (SELECT value FROM json_each(?))')
      .run(owner, JSON.stringify(ids)).changes,
  );
}

/** Puts claimed entries back in the spool with the time, reason and detail they had. */
export function returnToSpool(store: StoreDatabase, owner: number, ids: readonly number[]): number {
  return Number(
    store
      .statement('UPDATE spool SET owner = NULL WHERE owner = ? AND id IN (SELECT value FROM json_each(?))')
      .run(owner, JSON.stringify(ids)).changes,
  );
}

/** Entries read out as one JSON text, and how many. */
export interface Page {
  readonly json: string;
  readonly count: number;
}

/** Rows as one JSON text with the targets they use, so the calling thread parses once. */
export function pageJson<T extends { readonly target: number }>(
  store: StoreDatabase,
  rows: readonly T[],
  item: (row: T) => string,
): Page {
  const targets: Record<number, StreamTarget> = {};
  for (const r of rows) targets[r.target] ??= store.target(r.target);
  return {
    json: `{"targets":${JSON.stringify(targets)},"rows":[${rows.map(item).join(',')}]}`,
    count: rows.length,
  };
}
