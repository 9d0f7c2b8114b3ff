// Group commit: what arrives together is committed together, one fsync for many callers, and a
// group that fails is retried call by call so one refusal does not take the others down.
import { describe, expect, it } from 'vitest';
import { openStore, rowsOf, TARGET, tempDir } from '../support/store-fixtures.ts';

describe('group commit', () => {
  it('commits 200 concurrent enqueues in far fewer transactions, each caller with its own ids', async () => {
    const store = await openStore({ directory: tempDir(), durability: 'disk' });
    const before = store.stats().commits;

    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => store.enqueue(TARGET, rowsOf(1, i))),
    );

    const commits = store.stats().commits - before;
    expect(commits).toBeGreaterThan(0);
    expect(commits).toBeLessThanOrEqual(10);
    const ids = results.flatMap((r) => (r.ok ? r.ids : []));
    expect(new Set(ids).size).toBe(200);
    expect(store.stats().queued).toBe(200);
  });

  it('groups calls made while a commit is under way', async () => {
    const store = await openStore({ directory: tempDir(), durability: 'disk' });
    const before = store.stats().commits;
    const waves: Promise<unknown>[] = [];
    // 20 waves, each started in its own turn while the previous ones are being committed.
    for (let wave = 0; wave < 20; wave++) {
      for (let i = 0; i < 10; i++) waves.push(store.enqueue(TARGET, rowsOf(5, wave * 100 + i * 5)));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(waves);
    expect(store.stats().commits - before).toBeLessThan(20);
  });

  it('keeps each call’s rows in order and in one piece', async () => {
    const store = await openStore({ directory: tempDir() });
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, w) => store.enqueue(TARGET, rowsOf(1 + (w % 7), w * 100))),
    );
    for (const r of results) {
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.ids).toEqual(r.ids.map((_, i) => (r.ids[0] ?? 0) + i));
    }
  });

  it('refuses an unserialisable row alone: its neighbours are stored, its id is 0', async () => {
    const store = await openStore({ directory: tempDir() });
    const cycle: Record<string, unknown> = { A: 1 };
    cycle['self'] = cycle;

    const result = await store.enqueue(TARGET, [{ A: 1 }, { Big: 10n }, cycle, { A: 2 }]);

    expect(result).toMatchObject({ ok: true, refused: 2 });
    if (!result.ok) return;
    expect(result.ids.map((id) => id > 0)).toEqual([true, false, false, true]);
    expect(store.stats()).toMatchObject({ queued: 2, entriesRefused: 2 });
  });

  it('still removes entries when the enqueues grouped with them are refused', async () => {
    const store = await openStore({ directory: tempDir(), maxTotalBytes: 256 * 1024 });
    const stored: number[] = [];
    for (;;) {
      const r = await store.enqueue(TARGET, rowsOf(20, stored.length, 1000));
      if (!r.ok) break;
      stored.push(...r.ids);
    }
    const before = store.stats().queued;

    const [removed, refused] = await Promise.all([
      store.remove(stored.slice(0, 10)),
      store.enqueue(TARGET, rowsOf(200, 0, 1000)),
    ]);

    expect(removed).toBeUndefined();
    expect(refused).toMatchObject({ ok: false, error: { code: 'E_SPOOL_FULL' } });
    expect(store.stats().queued).toBe(before - 10);
  });
});
