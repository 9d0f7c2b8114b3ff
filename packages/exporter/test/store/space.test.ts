// Space on disk: pages that settled rows free are reused by later rows, and given back to the
// file system by the worker, a bounded step per tick, once the file is mostly free pages that the
// busiest moment of the last heartbeats (a minute by default) did not need.
// Segment ids, which never repeat while a store is in use, start again once they run high and
// the queue is empty.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSqlite } from '../../src/store/load-sqlite.ts';
import { MAX_SEGMENT_ID, MAX_SEGMENT_ROWS } from '../../src/store/segment-ids.ts';
import { openStore, rowsOf, TARGET, tempDir } from '../support/store-fixtures.ts';

const MIB = 1024 * 1024;
/** Heartbeats every 100 ms: the window of busiest moments is then 1.2 s. */
const QUICK = { heartbeatMs: 100, staleOwnerMs: 60_000 } as const;

async function fill(store: Awaited<ReturnType<typeof openStore>>, calls: number): Promise<number[]> {
  const ids: number[] = [];
  for (let c = 0; c < calls; c++) {
    const r = await store.enqueue(TARGET, rowsOf(500, c * 500, 1000));
    if (!r.ok) throw r.error;
    ids.push(...r.ids);
  }
  return ids;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('space on disk', () => {
  it('shrinks the file back near its starting size once the rows it held are delivered', async () => {
    const directory = tempDir();
    const file = join(directory, 'sentinel-spool.sqlite');
    const store = await openStore({ directory, ...QUICK });
    const start = statSync(file).size;
    const ids = await fill(store, 40); // 20,000 rows of ~1 KB
    // All but the last few MiB are in the file: the rest waits in the WAL for a checkpoint.
    expect(statSync(file).size).toBeGreaterThan(14 * MIB);

    await store.remove(ids);

    await expect
      .poll(() => statSync(file).size, { timeout: 15_000, interval: 100 })
      .toBeLessThan(start + 1.5 * MIB);
  });

  it('keeps room for what the last heartbeats needed, so a burst that comes back finds it', async () => {
    const directory = tempDir();
    const file = join(directory, 'sentinel-spool.sqlite');
    const store = await openStore({ directory, ...QUICK });
    await store.remove(await fill(store, 40));
    const held = statSync(file).size;

    await sleep(500); // five heartbeats, fewer than the window's twelve

    expect(statSync(file).size).toBeGreaterThanOrEqual(held);
  });

  it('keeps the free pages of a store still holding most of its rows', async () => {
    const directory = tempDir();
    const file = join(directory, 'sentinel-spool.sqlite');
    const store = await openStore({ directory, ...QUICK });
    const ids = await fill(store, 20);
    await store.remove(ids.slice(0, ids.length / 2));
    const held = statSync(file).size;

    await sleep(2000); // twenty heartbeats: the busiest moment has left the window

    expect(statSync(file).size).toBeGreaterThanOrEqual(held);
    expect(store.stats().queued).toBe(ids.length / 2);
  });

  it('refuses rows once segment ids run out, and starts them again when the queue is empty', async () => {
    const directory = tempDir();
    const store = await openStore({ directory, ...QUICK });
    await fill(store, 1).then((ids) => store.remove(ids));
    const db = new (loadSqlite().DatabaseSync)(join(directory, 'sentinel-spool.sqlite'));
    db.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'segments'").run(MAX_SEGMENT_ID - 1);
    db.close();

    const last = await store.enqueue(TARGET, rowsOf(1));
    const refused = await store.enqueue(TARGET, rowsOf(1));

    expect(last).toEqual({ ok: true, ids: [MAX_SEGMENT_ID * MAX_SEGMENT_ROWS] });
    expect(Number.isSafeInteger(MAX_SEGMENT_ID * MAX_SEGMENT_ROWS + MAX_SEGMENT_ROWS - 1)).toBe(true);
    expect(refused).toMatchObject({ ok: false, error: { code: 'E_SPOOL_IO', systemCode: 'E_SPOOL_IDS' } });
    expect(store.stats().entriesRefused).toBe(1);

    if (last.ok) await store.remove(last.ids);
    await expect
      .poll(async () => store.enqueue(TARGET, rowsOf(1)), { timeout: 5000, interval: 50 })
      .toEqual({ ok: true, ids: [MAX_SEGMENT_ROWS] });
  });
});
