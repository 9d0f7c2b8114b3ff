// The write-ahead queue keeps one segment per enqueued call (per ~64 Ki characters of it) and one
// id per row: a row settled
// (delivered or dead-lettered) is never handed on again, a row not settled always is, however
// the rows of a call are split between deliveries, pages and owners.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSqlite } from '../../src/store/load-sqlite.ts';
import { readSpool } from '../../src/store/read-spool.ts';
import { MAX_SEGMENT_ROWS } from '../../src/store/segment-ids.ts';
import { SEGMENT_TEXT_CHARS } from '../../src/store/store-rows.ts';
import { openStore, rowsOf, storeFor, TARGET, tempDir } from '../support/store-fixtures.ts';

/** One query on the store's file, read-only, next to the writers. */
function query(directory: string, sql: string): Record<string, unknown>[] {
  const db = new (loadSqlite().DatabaseSync)(join(directory, 'sentinel-spool.sqlite'), { readOnly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

function seqs(rows: readonly { readonly row: Record<string, unknown> }[]): unknown[] {
  return rows.map((q) => q.row['Seq']);
}

function range(from: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => from + i);
}

/** Enqueues `calls` of `size` rows, numbered on, and returns their ids per call. */
async function enqueueCalls(
  store: Awaited<ReturnType<typeof openStore>>,
  calls: number,
  size: number,
): Promise<number[][]> {
  const ids: number[][] = [];
  for (let c = 0; c < calls; c++) {
    const r = await store.enqueue(TARGET, rowsOf(size, c * size));
    if (!r.ok) throw r.error;
    ids.push([...r.ids]);
  }
  return ids;
}

describe('queue segments', () => {
  it('stores one record per call of small rows, whatever its number of rows', async () => {
    const directory = tempDir();
    const store = await openStore({ directory });
    await enqueueCalls(store, 3, 500);

    expect(query(directory, 'SELECT count, pending FROM segments')).toEqual([
      { count: 500, pending: 500 },
      { count: 500, pending: 500 },
      { count: 500, pending: 500 },
    ]);
    expect(store.stats().queued).toBe(1500);
  });

  it('splits a call larger than a segment, with every id distinct and the rows in order', async () => {
    const directory = tempDir();
    const first = storeFor({ directory });
    await first.open();
    const total = 2 * MAX_SEGMENT_ROWS + 5;
    // Rows of 11 to 14 characters: 4,096 of them fit in one text, so the row count cuts.
    const rows = range(0, total).map((seq) => ({ Seq: seq }));
    const r = await first.enqueue(TARGET, rows);
    if (!r.ok) throw r.error;
    expect(new Set(r.ids).size).toBe(total);
    expect(query(directory, 'SELECT count FROM segments ORDER BY id').map((s) => s['count'])).toEqual([
      MAX_SEGMENT_ROWS,
      MAX_SEGMENT_ROWS,
      5,
    ]);
    await first.close(); // not ended: as if it had died

    const next = await openStore({ directory });
    const taken = await next.takeAdopted(total + 10);
    expect(seqs(taken)).toEqual(range(0, total));
    expect(taken.map((q) => q.id)).toEqual(r.ids);
  });

  it('cuts a call of large rows into texts of about SEGMENT_TEXT_CHARS characters, the rows in order', async () => {
    const directory = tempDir();
    const store = await openStore({ directory });
    // 1,000 rows of 1,000 to 1,199 characters in no order: about a megabyte in one call.
    const rows = range(0, 1000).map((seq) => ({ Seq: seq, Pad: 'x'.repeat(1000 + ((seq * 7919) % 200)) }));
    const r = await store.enqueue(TARGET, rows);
    if (!r.ok) throw r.error;
    const segments = query(
      directory,
      'SELECT g.count, length(r.rows) AS chars, r.rows FROM segments g JOIN segment_rows r ON r.id = g.id ORDER BY g.id',
    );
    expect(segments.length).toBeGreaterThan(10);
    expect(segments.reduce((n, s) => n + Number(s['count']), 0)).toBe(1000);
    segments.forEach((s, i) => {
      // Rows vary by a fifth, so does a text: each is sized by a mean row seen before it. The
      // last one holds what is left.
      expect(Number(s['chars'])).toBeLessThan(SEGMENT_TEXT_CHARS * 1.25);
      if (i < segments.length - 1) expect(Number(s['chars'])).toBeGreaterThan(SEGMENT_TEXT_CHARS * 0.75);
      expect(JSON.parse(String(s['rows']))).toHaveLength(Number(s['count']));
    });
    const stored = segments.flatMap((s) => JSON.parse(String(s['rows'])) as { Seq: number; Pad: string }[]);
    expect(stored).toEqual(rows);
  });

  it('after a crash hands on only the rows of a call that were not settled', async () => {
    const directory = tempDir();
    const first = storeFor({ directory });
    await first.open();
    const [ids = []] = await enqueueCalls(first, 1, 10);
    await first.remove([ids[0] ?? 0, ids[3] ?? 0, ids[4] ?? 0]);
    await first.deadLetter([ids[9] ?? 0], 'permanent', 'HTTP 403');
    expect(first.stats().queued).toBe(6);
    await first.close(); // killed before settling the rest

    const next = storeFor({ directory });
    expect((await next.open()).rows).toBe(6);
    expect(seqs(await next.takeAdopted(100))).toEqual([1, 2, 5, 6, 7, 8]);
    expect((await readSpool({ directory })).spool.map((e) => e.row['Seq'])).toEqual([9]);
  });

  it('hands a segment over in pages as room allows, each row once, and keeps the ids it had', async () => {
    const directory = tempDir();
    const first = storeFor({ directory });
    await first.open();
    const [ids = []] = await enqueueCalls(first, 1, 10);
    await first.remove([ids[1] ?? 0]);
    await first.close();

    const next = await openStore({ directory });
    const pages = [await next.takeAdopted(3), await next.takeAdopted(3), await next.takeAdopted(3)];
    expect(pages.map(seqs)).toEqual([
      [0, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ]);
    expect(pages.flat().map((q) => q.id)).toEqual(ids.filter((_, i) => i !== 1));
    expect(await next.takeAdopted(3)).toEqual([]);
    // Settled by the second owner, then it too dies: the third gets only what is left.
    await next.remove(pages[0]?.map((q) => q.id) ?? []);
    await next.close();

    const third = await openStore({ directory });
    expect(seqs(await third.takeAdopted(100))).toEqual([4, 5, 6, 7, 8, 9]);
  });

  it('deletes a segment once all its rows are settled, by removal and dead letters alike', async () => {
    const directory = tempDir();
    const store = await openStore({ directory });
    const [ids = []] = await enqueueCalls(store, 1, 6);

    await store.remove(ids.slice(0, 2));
    await store.deadLetter(ids.slice(2, 4), 'retries-exhausted', 'HTTP 503');
    expect(query(directory, 'SELECT pending FROM segments')).toEqual([{ pending: 2 }]);
    await store.remove(ids.slice(4));

    expect(query(directory, 'SELECT count(*) AS n FROM segments')).toEqual([{ n: 0 }]);
    expect(query(directory, 'SELECT count(*) AS n FROM segment_rows')).toEqual([{ n: 0 }]);
    expect(store.stats()).toMatchObject({ queued: 0, spooled: 2 });
  });

  it('settles each row once: ids removed twice, unknown ids and another owner’s ids change nothing', async () => {
    const directory = tempDir();
    const a = await openStore({ directory });
    const b = await openStore({ directory });
    const [ids = []] = await enqueueCalls(a, 1, 5);

    await a.remove([ids[0] ?? 0, ids[0] ?? 0, 0, -1, 1.5, (ids[4] ?? 0) + 1000]);
    await b.remove(ids);
    expect(await b.deadLetter(ids, 'permanent', 'x')).toEqual({ written: 0, refused: 0 });
    expect(await a.deadLetter([ids[0] ?? 0], 'permanent', 'x')).toEqual({ written: 0, refused: 0 });

    expect(a.stats().queued).toBe(4);
    expect(query(directory, 'SELECT pending FROM segments')).toEqual([{ pending: 4 }]);
    expect((await readSpool({ directory })).spool).toEqual([]);
  });

  it('shows every row held, queued or spooled, one per row, in the entries view', async () => {
    const directory = tempDir();
    const store = await openStore({ directory });
    const [ids = []] = await enqueueCalls(store, 1, 12);
    await store.remove(ids.slice(0, 5));
    await store.deadLetter(ids.slice(10), 'permanent', 'HTTP 403');

    const rows = query(
      directory,
      'SELECT owner, reason, bytes, row FROM entries ORDER BY reason NULLS FIRST, id',
    );

    expect(rows.map((r) => JSON.parse(String(r['row'])) as unknown)).toEqual([
      ...rowsOf(5, 5),
      ...rowsOf(2, 10),
    ]);
    expect(rows.map((r) => r['reason'])).toEqual([...Array<null>(5).fill(null), 'permanent', 'permanent']);
    expect(rows.slice(0, 5).every((r) => typeof r['owner'] === 'string')).toBe(true);
    expect(rows.every((r) => r['bytes'] === Buffer.byteLength(String(r['row'])))).toBe(true);
  });
});
