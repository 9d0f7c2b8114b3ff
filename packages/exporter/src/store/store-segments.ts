// The write-ahead queue, inside a transaction the caller opened. One segment per text of an
// enqueued call (~64 Ki characters): its rows as the calling thread serialised them (never
// parsed here), and a mask of the rows already settled. Settling rows (delivered, or moved to
// the spool) sets their bits, one statement per segment touched; a segment whose rows are all
// settled is deleted.
// Rows are parsed here only on the rare paths: dead letters and rows taken over.

import { OtelSentinelError } from '@otel-sentinel/mapping/errors';
import { parseJsonExact } from '@otel-sentinel/mapping/exact-json';
import type { StreamTarget } from '../row-batch.ts';
import { clipDetail } from '../spool/spool-entry.ts';
import {
  bySegment,
  isDone,
  markDone,
  maskOf,
  MAX_SEGMENT_ID,
  MAX_SEGMENT_ROWS,
  rowId,
} from './segment-ids.ts';
import type { StoreDatabase } from './store-database.ts';
import type { Page, SpoolMark } from './store-spool.ts';
import { pageJson } from './store-spool.ts';

/** Segment ids are exhausted (after 2^41 segments): refused until the queue has been empty once. */
export class SegmentIdsExhaustedError extends OtelSentinelError {
  declare readonly code: 'E_SPOOL_IDS';
  constructor() {
    super(
      'E_SPOOL_IDS',
      'the write-ahead queue has used every segment id; they start again once it is empty',
    );
  }
}

/** One segment's state, as `remove`, `deadLetter` and take-overs read it. */
interface SegmentState {
  readonly target: number;
  readonly queued: number;
  readonly count: number;
  readonly pending: number;
  readonly mask: Uint8Array;
}

/**
 * Appends one segment per JSON text (an array of `counts[i]` rows, at most `MAX_SEGMENT_ROWS`)
 * to the owner's queue; returns their ids, in order. The rows are handed over already: `taken`
 * is the row count, so `takeAdopted` never returns them to the owner that wrote them.
 */
export function appendSegments(
  store: StoreDatabase,
  owner: number,
  target: StreamTarget,
  texts: readonly string[],
  counts: readonly number[],
): number[] {
  const insert = store.statement(
    'INSERT INTO segments (owner, target, queued, count, pending, taken) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const insertRows = store.statement('INSERT INTO segment_rows (id, rows) VALUES (?, ?)');
  const targetId = store.targetId(target);
  const now = Date.now();
  return texts.map((text, i) => {
    const count = counts[i] ?? 0;
    if (count < 1 || count > MAX_SEGMENT_ROWS)
      throw new RangeError(`a segment holds 1 to ${MAX_SEGMENT_ROWS} rows`);
    const id = Number(insert.run(owner, targetId, now, count, count, count).lastInsertRowid);
    if (id > MAX_SEGMENT_ID) throw new SegmentIdsExhaustedError();
    insertRows.run(id, text);
    return id;
  });
}

/** Marks an owner's rows settled (delivered); returns how many were not settled before. */
export function settleRows(store: StoreDatabase, owner: number, ids: readonly number[]): number {
  let settled = 0;
  for (const [segment, indexes] of bySegment(ids)) {
    const state = readState(store, owner, segment);
    if (state !== undefined) settled += markSettled(store, segment, state, indexes).length;
  }
  return settled;
}

/**
 * Moves an owner's queued rows to the spool with a reason: their bits are set (segments fully
 * settled are deleted first, so the spool rows can reuse their pages when the store is full),
 * then each row is written as a spool entry, in queue order. Returns how many moved.
 */
export function deadLetterRows(
  store: StoreDatabase,
  owner: number,
  ids: readonly number[],
  mark: SpoolMark,
): number {
  const moving: { target: number; queued: number; rows: string[] }[] = [];
  for (const [segment, indexes] of bySegment(ids)) {
    const state = readState(store, owner, segment);
    if (state === undefined || indexes.every((i) => isDone(state.mask, i))) continue;
    // Read before the bits are set: a segment left with nothing pending is deleted with its rows.
    const parsed = readRows(store, segment);
    const fresh = markSettled(store, segment, state, indexes);
    if (fresh.length > 0)
      moving.push({
        target: state.target,
        queued: state.queued,
        rows: fresh.map((i) => JSON.stringify(parsed[i] ?? null)),
      });
  }
  const insert = store.statement(
    'INSERT INTO spool (owner, target, queued, time, reason, detail, row) VALUES (NULL, ?, ?, ?, ?, ?, ?)',
  );
  const detail = mark.detail === undefined ? null : clipDetail(mark.detail);
  let moved = 0;
  for (const m of moving)
    for (const row of m.rows) {
      insert.run(m.target, m.queued, mark.time, mark.reason, detail, row);
      moved++;
    }
  return moved;
}

/**
 * Rows of segments this owner adopted and has not handed over yet, oldest first, at most `limit`,
 * skipping rows an earlier owner settled; each segment's `taken` moves past what is handed, in
 * the same transaction. As one JSON text `{"targets":{…},"rows":[[id,target,bytes,row],…]}`.
 */
export function takeAdopted(store: StoreDatabase, owner: number, limit: number): Page {
  const next = store.statement(
    'SELECT id, target, count, taken, done FROM segments WHERE owner = ? AND taken < count AND id > ? ' +
      'ORDER BY id LIMIT 16',
  );
  const advance = store.statement('UPDATE segments SET taken = ? WHERE id = ?');
  const out: { id: number; target: number; bytes: number; row: string }[] = [];
  let after = 0;
  while (out.length < limit) {
    const segments = next.all(owner, after);
    if (segments.length === 0) break;
    for (const s of segments) {
      const segment = Number(s['id']);
      const count = Number(s['count']);
      const mask = maskOf(s['done'], count);
      after = segment;
      let index = Number(s['taken']);
      let parsed: unknown[] | undefined;
      for (; index < count && out.length < limit; index++) {
        if (isDone(mask, index)) continue;
        parsed ??= readRows(store, segment);
        const row = JSON.stringify(parsed[index] ?? null);
        out.push({
          id: rowId(segment, index),
          target: Number(s['target']),
          bytes: Buffer.byteLength(row),
          row,
        });
      }
      advance.run(index, segment);
      if (out.length >= limit) break;
    }
  }
  return pageJson(store, out, (r) => `[${r.id},${r.target},${r.bytes},${r.row}]`);
}

/** Segment ids have passed half their range; a read, cheap enough for every heartbeat. */
export function segmentIdsRunHigh(store: StoreDatabase): boolean {
  const seq = store.statement("SELECT seq FROM sqlite_sequence WHERE name = 'segments'").get();
  return seq !== undefined && Number(seq['seq']) > MAX_SEGMENT_ID / 2;
}

/**
 * Inside a transaction: segment ids start again from 1 once they have passed half their range
 * and no segment is left, so no owner can still hold an id of that age. True when they did.
 */
export function restartSegmentIds(store: StoreDatabase): boolean {
  if (!segmentIdsRunHigh(store) || store.statement('SELECT 1 FROM segments LIMIT 1').get() !== undefined)
    return false;
  store.statement("UPDATE sqlite_sequence SET seq = 0 WHERE name = 'segments'").run();
  return true;
}

function readState(store: StoreDatabase, owner: number, segment: number): SegmentState | undefined {
  const s = store
    .statement('SELECT target, queued, count, pending, done FROM segments WHERE id = ? AND owner = ?')
    .get(segment, owner);
  if (s === undefined) return undefined;
  const count = Number(s['count']);
  return {
    target: Number(s['target']),
    queued: Number(s['queued']),
    count,
    pending: Number(s['pending']),
    mask: maskOf(s['done'], count),
  };
}

function readRows(store: StoreDatabase, segment: number): unknown[] {
  const r = store.statement('SELECT rows FROM segment_rows WHERE id = ?').get(segment);
  // Exactly: the rows are written again (spool, take-over), and a long beyond 2^53 must keep its digits.
  const rows: unknown = parseJsonExact(String(r?.['rows'] ?? '[]'));
  return Array.isArray(rows) ? rows : [];
}

/**
 * Sets the bits of `indexes` (ascending) in a segment: one UPDATE, or one DELETE of the segment
 * and its rows when none is left pending. Returns the indexes that were not settled before.
 */
function markSettled(
  store: StoreDatabase,
  segment: number,
  state: SegmentState,
  indexes: readonly number[],
): number[] {
  const fresh = indexes.filter((i) => i < state.count && markDone(state.mask, i));
  if (fresh.length === 0) return fresh;
  const pending = state.pending - fresh.length;
  if (pending > 0) {
    store
      .statement('UPDATE segments SET pending = ?, done = ? WHERE id = ?')
      .run(pending, state.mask, segment);
    return fresh;
  }
  store.statement('DELETE FROM segments WHERE id = ?').run(segment);
  store.statement('DELETE FROM segment_rows WHERE id = ?').run(segment);
  return fresh;
}
