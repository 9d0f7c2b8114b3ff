// What the store does with entries, inside a transaction the caller opened: append to a queue,
// remove, move to the spool, hand adopted entries over, and replay's claims. Rows arrive and
// leave as JSON text; ids are lists passed as one JSON array (`json_each`), one statement each.

import type { StreamTarget, UndeliveredReason } from '../row-batch.ts';
import { clipDetail } from '../spool/spool-entry.ts';
import type { StoreDatabase } from './store-database.ts';

/** One JSON text per row; undefined where the calling thread could not serialise the row. */
export type RowTexts = readonly (string | undefined)[];

/**
 * Splits the calling thread's `JSON.stringify(rows)` into one text per row. A row it could not
 * serialise arrives as `null` and comes out undefined.
 */
export function rowTexts(json: string): RowTexts {
  const rows = JSON.parse(json) as unknown[];
  return rows.map((row) => (typeof row === 'object' && row !== null ? JSON.stringify(row) : undefined));
}

/** Appends rows to an owner's queue; ids in the order of the rows, 0 for a row not stored. */
export function appendToQueue(
  store: StoreDatabase,
  owner: string,
  target: StreamTarget,
  rows: RowTexts,
): number[] {
  const insert = store.statement(
    'INSERT INTO entries (owner, taken, target, queued, bytes, row) VALUES (?, 1, ?, ?, ?, ?)',
  );
  const targetId = store.targetId(target);
  const now = Date.now();
  return rows.map((row) =>
    row === undefined
      ? 0
      : Number(insert.run(owner, targetId, now, Buffer.byteLength(row), row).lastInsertRowid),
  );
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
    'INSERT INTO entries (owner, taken, target, queued, time, reason, detail, bytes, row) VALUES (NULL, 1, ?, ?, ?, ?, ?, ?, ?)',
  );
  const targetId = store.targetId(target);
  const queued = Date.parse(mark.time) || Date.now();
  const detail = mark.detail === undefined ? null : clipDetail(mark.detail);
  let written = 0;
  for (const row of rows) {
    if (row === undefined) continue;
    insert.run(targetId, queued, mark.time, mark.reason, detail, Buffer.byteLength(row), row);
    written++;
  }
  return written;
}

/** Deletes an owner's entries (delivered); others' are left alone. */
export function removeEntries(store: StoreDatabase, owner: string, ids: readonly number[]): number {
  return Number(
    store
      .statement('DELETE FROM entries WHERE owner = ? AND id IN (SELECT value FROM json_each(?))')
      .run(owner, JSON.stringify(ids)).changes,
  );
}

/** Moves an owner's queue entries to the spool in place; returns how many moved. */
export function moveToSpool(
  store: StoreDatabase,
  owner: string,
  ids: readonly number[],
  mark: SpoolMark,
): number {
  return Number(
    store
      .statement(
        'UPDATE entries SET owner = NULL, taken = 1, time = ?, reason = ?, detail = ? ' +
          'WHERE owner = ? AND id IN (SELECT value FROM json_each(?))',
      )
      .run(
        mark.time,
        mark.reason,
        mark.detail === undefined ? null : clipDetail(mark.detail),
        owner,
        JSON.stringify(ids),
      ).changes,
  );
}

/** Puts claimed entries back in the spool with the time, reason and detail they had. */
export function returnToSpool(store: StoreDatabase, owner: string, ids: readonly number[]): number {
  return Number(
    store
      .statement(
        'UPDATE entries SET owner = NULL WHERE owner = ? AND reason IS NOT NULL AND id IN (SELECT value FROM json_each(?))',
      )
      .run(owner, JSON.stringify(ids)).changes,
  );
}

/**
 * Adopted entries not handed over yet, oldest first, marked taken: as one JSON text
 * `{"targets":{id:target},"rows":[[id,target,bytes,row],…]}` so the calling thread parses once.
 */
export function takeAdopted(store: StoreDatabase, owner: string, limit: number): Page {
  const rows = store
    .statement(
      'UPDATE entries SET taken = 1 WHERE id IN (SELECT id FROM entries WHERE owner = ? AND taken = 0 ORDER BY id LIMIT ?) ' +
        'RETURNING id, target, bytes, row',
    )
    .all(owner, limit)
    .map((r) => ({
      id: Number(r['id']),
      target: Number(r['target']),
      bytes: Number(r['bytes']),
      row: String(r['row']),
    }))
    .sort((a, b) => a.id - b.id);
  return pageJson(store, rows, (r) => `[${r.id},${r.target},${r.bytes},${r.row}]`);
}

/**
 * Replay's claim: up to `limit` spool entries after `afterId` with one of `reasons` and a target,
 * oldest first, moved to `owner` in one statement, so two replays never claim one entry. As one
 * JSON text `{"targets":{…},"rows":[[id,target,time,reason,detail,row],…]}`.
 */
export function claimSpooled(
  store: StoreDatabase,
  owner: string,
  afterId: number,
  limit: number,
  reasons: readonly string[],
): Page {
  const rows = store
    .statement(
      'UPDATE entries SET owner = ?, taken = 1 WHERE id IN (' +
        'SELECT e.id FROM entries e JOIN targets t ON t.id = e.target ' +
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

/** Entries read out as one JSON text, and how many. */
export interface Page {
  readonly json: string;
  readonly count: number;
}

function pageJson<T extends { readonly target: number }>(
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
