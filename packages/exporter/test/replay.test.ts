// Replay on the store: spool entries and rows of ended processes are sent again, page by page
// and group by group; what arrives leaves the store, the rest stays as it was.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Row } from '@otel-sentinel/mapping';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StreamTarget, UndeliveredReason } from '../src/row-batch.ts';
import { replaySpool, ReplayError } from '../src/spool/replay.ts';
import type { ReplayOptions } from '../src/spool/replay.ts';
import { ConfigError } from '@otel-sentinel/mapping';
import { readSpool } from '../src/store/read-spool.ts';
import { SqliteDeliveryStore } from '../src/store/sqlite-delivery-store.ts';
import { kill, startChild, tempDir } from './support/store-fixtures.ts';

const DCR = 'dcr-0123456789abcdef0123456789abcdef';

function target(stream: string, dcrImmutableId = DCR): StreamTarget {
  return {
    endpoint: 'https://dce-1.westeurope-1.ingest.monitor.azure.com',
    dcrImmutableId,
    stream: `Custom-${stream}`,
    table: `${stream}_CL`,
  };
}

const AUTH = target('Auth');
const AUDIT = target('Audit');
const NONE: StreamTarget = { endpoint: '', dcrImmutableId: '', stream: '', table: '' };

interface Call {
  readonly stream: string;
  readonly ids: number[];
}

/** A deliver that records its calls and hands back the rows `fails` picks. */
function recorder(fails: (row: Row) => boolean = () => false): {
  deliver: ReplayOptions['deliver'];
  calls: Call[];
} {
  const calls: Call[] = [];
  return {
    calls,
    deliver: (t, rows) => {
      calls.push({ stream: t.stream, ids: rows.map((r) => r['Id'] as number) });
      return Promise.resolve(rows.filter(fails));
    },
  };
}

/** Spools rows `{ Id }` for each [target, ids, reason] in order, as a pipeline that then stopped. */
async function spoolRows(
  directory: string,
  groups: readonly (readonly [StreamTarget, readonly number[], UndeliveredReason?])[],
): Promise<void> {
  const store = new SqliteDeliveryStore({ directory });
  await store.open();
  for (const [t, ids, reason] of groups) {
    const r = await store.spool(
      t,
      ids.map((Id) => ({ Id })),
      reason ?? 'permanent',
      'HTTP 403',
    );
    expect(r.refused).toBe(0);
  }
  await store.close({ ended: true });
}

async function idsIn(directory: string): Promise<number[]> {
  return (await readSpool({ directory })).spool.map((e) => e.row['Id'] as number);
}

function range(from: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => from + i);
}

describe('replaySpool', () => {
  it('delivers every entry and removes it from the store', async () => {
    const dir = tempDir();
    await spoolRows(dir, [[AUTH, range(0, 300)]]);
    const { deliver, calls } = recorder();

    const result = await replaySpool({ directory: dir, deliver });

    expect(calls.flatMap((c) => c.ids)).toEqual(range(0, 300));
    expect(result).toMatchObject({
      entries: 300,
      delivered: 300,
      failed: 0,
      unsent: 0,
      held: 0,
      malformed: 0,
      aborted: false,
      perStream: { [`${DCR}/Custom-Auth`]: { entries: 300, delivered: 300, failed: 0 } },
    });
    expect(await readSpool({ directory: dir })).toEqual({ spool: [], queued: [] });
  });

  it('keeps exactly the rows deliver hands back, unchanged, and a second replay sends them', async () => {
    const dir = tempDir();
    await spoolRows(dir, [[AUTH, range(0, 50), 'retries-exhausted']]);
    const before = (await readSpool({ directory: dir })).spool;
    const first = await replaySpool({
      directory: dir,
      deliver: recorder((r) => (r['Id'] as number) % 7 === 0).deliver,
    });

    const failedIds = range(0, 50).filter((id) => id % 7 === 0);
    expect(first).toMatchObject({ delivered: 50 - failedIds.length, failed: failedIds.length });
    expect((await readSpool({ directory: dir })).spool).toEqual(
      before.filter((e) => failedIds.includes(e.row['Id'] as number)),
    );

    const second = await replaySpool({ directory: dir, deliver: recorder().deliver });
    expect(second).toMatchObject({ entries: failedIds.length, delivered: failedIds.length, failed: 0 });
    expect(await idsIn(dir)).toEqual([]);
  });

  it('keeps the whole group when deliver throws, and counts the throw', async () => {
    const dir = tempDir();
    await spoolRows(dir, [
      [AUTH, range(0, 3)],
      [AUDIT, range(3, 2)],
    ]);
    const result = await replaySpool({
      directory: dir,
      deliver: (t) =>
        t.stream === AUTH.stream ? Promise.reject(new Error('HTTP 403')) : Promise.resolve([]),
    });
    expect(result).toMatchObject({ delivered: 2, failed: 3, deliverErrors: 1, batches: 2 });
    expect(result.perStream).toEqual({
      [`${DCR}/Custom-Auth`]: { entries: 3, delivered: 0, failed: 3 },
      [`${DCR}/Custom-Audit`]: { entries: 2, delivered: 2, failed: 0 },
    });
    expect(await idsIn(dir)).toEqual([0, 1, 2]);
  });

  it('groups consecutive entries by target and sends them to the right target in order', async () => {
    const dir = tempDir();
    await spoolRows(dir, [
      [AUTH, [0, 1]],
      [AUDIT, [2]],
      [AUTH, [3, 4, 5]],
      [AUDIT, [6, 7]],
      [target('Auth', 'dcr-other'), [8]],
    ]);
    const { deliver, calls } = recorder();
    await replaySpool({ directory: dir, deliver });
    expect(calls).toEqual([
      { stream: 'Custom-Auth', ids: [0, 1] },
      { stream: 'Custom-Audit', ids: [2] },
      { stream: 'Custom-Auth', ids: [3, 4, 5] },
      { stream: 'Custom-Audit', ids: [6, 7] },
      { stream: 'Custom-Auth', ids: [8] },
    ]);
  });

  it('holds rejected and unrouted entries and sends the rest around them', async () => {
    const dir = tempDir();
    await spoolRows(dir, [
      [AUTH, [0], 'permanent'],
      [AUTH, [1], 'rejected'],
      [AUTH, [2], 'queue-full'],
      [NONE, [3], 'unrouted'],
      [AUTH, [4], 'shutdown'],
    ]);
    const { deliver, calls } = recorder();

    const result = await replaySpool({ directory: dir, deliver });

    expect(calls).toEqual([{ stream: 'Custom-Auth', ids: [0, 2, 4] }]);
    expect(result).toMatchObject({ entries: 5, delivered: 3, held: 2, failed: 0, unsent: 0 });
    expect(await idsIn(dir)).toEqual([1, 3]);
  });

  it('sends rejected entries when reasons asks for them, but never an entry without a target', async () => {
    const dir = tempDir();
    await spoolRows(dir, [
      [AUTH, [0], 'rejected'],
      [NONE, [1], 'unrouted'],
    ]);
    const { deliver, calls } = recorder();
    const result = await replaySpool({ directory: dir, deliver, reasons: ['rejected', 'unrouted'] });
    expect(calls).toEqual([{ stream: 'Custom-Auth', ids: [0] }]);
    expect(result).toMatchObject({ delivered: 1, held: 1 });
    expect(await idsIn(dir)).toEqual([1]);
  });

  it('hands deliver the target of the entries, and at most batchSize rows per call', async () => {
    const dir = tempDir();
    await spoolRows(dir, [[AUDIT, range(0, 25)]]);
    const targets: StreamTarget[] = [];
    const sizes: number[] = [];
    await replaySpool({
      directory: dir,
      batchSize: 10,
      deliver: (t, rows) => {
        targets.push(t);
        sizes.push(rows.length);
        return Promise.resolve([]);
      },
    });
    expect(sizes).toEqual([10, 10, 5]);
    expect(targets).toEqual([AUDIT, AUDIT, AUDIT]);
  });

  it('matches copies of the rows deliver hands back, and keeps all when it hands back a stranger', async () => {
    const dir = tempDir();
    await spoolRows(dir, [[AUTH, range(0, 4)]]);
    await replaySpool({
      directory: dir,
      deliver: (_t, rows) =>
        Promise.resolve(rows.filter((r) => r['Id'] === 1).map((r) => structuredClone(r))),
    });
    expect(await idsIn(dir)).toEqual([1]);
    const result = await replaySpool({ directory: dir, deliver: () => Promise.resolve([{ Id: 'unknown' }]) });
    expect(result).toMatchObject({ delivered: 0, failed: 1 });
    expect(await idsIn(dir)).toEqual([1]);
  });

  it('changes nothing, takes nothing over, and counts what it would send, in a dry run', async () => {
    const dir = tempDir();
    await spoolRows(dir, [
      [AUTH, range(0, 30)],
      [AUDIT, range(30, 5)],
      [AUTH, [35], 'rejected'],
    ]);
    const crashed = startChild(['hold', dir, 'disk', '4', '0']);
    await crashed.line(/^ready$/);
    await kill(crashed);
    const before = await readSpool({ directory: dir });
    const { deliver, calls } = recorder();

    const result = await replaySpool({ directory: dir, deliver, dryRun: true, batchSize: 20 });

    expect(calls).toEqual([]);
    expect(result).toMatchObject({ entries: 40, delivered: 0, failed: 0, unsent: 39, held: 1, takenOver: 4 });
    expect(result.batches).toBe(4); // 4 taken over; 20 + 10 of Auth; 5 of Audit
    expect(await readSpool({ directory: dir })).toEqual(before);
  });

  it('stops between groups on abort, leaves the rest in place, and a later replay sends it', async () => {
    const dir = tempDir();
    await spoolRows(dir, [[AUTH, range(0, 50)]]);
    const controller = new AbortController();
    const calls: number[][] = [];

    const result = await replaySpool({
      directory: dir,
      batchSize: 4,
      signal: controller.signal,
      deliver: (_t, rows) => {
        calls.push(rows.map((r) => r['Id'] as number));
        if (calls.length === 2) controller.abort();
        return Promise.resolve([]);
      },
    });

    expect(calls).toEqual([range(0, 4), range(4, 4)]);
    expect(result).toMatchObject({ aborted: true, delivered: 8, failed: 0, unsent: 42, entries: 50 });
    expect(await idsIn(dir)).toEqual(range(8, 42));
    const rest = await replaySpool({ directory: dir, deliver: recorder().deliver });
    expect(rest).toMatchObject({ delivered: 42, aborted: false });
  });

  it('does nothing when the signal is already aborted', async () => {
    const dir = tempDir();
    await spoolRows(dir, [[AUTH, range(0, 3)]]);
    const { deliver, calls } = recorder();
    const result = await replaySpool({ directory: dir, deliver, signal: AbortSignal.abort() });
    expect(calls).toEqual([]);
    expect(result).toMatchObject({ aborted: true, entries: 0 });
    expect(await idsIn(dir)).toEqual([0, 1, 2]);
  });

  it('gives the space of what it delivered back to the file system', async () => {
    const dir = tempDir();
    const store = new SqliteDeliveryStore({ directory: dir });
    await store.open();
    for (let i = 0; i < 4; i++)
      await store.spool(
        AUTH,
        range(i * 500, 500).map((Id) => ({ Id, Pad: 'p'.repeat(1000) })),
        'permanent',
        'x',
      );
    await store.close({ ended: true });
    const before = statSync(join(dir, 'sentinel-spool.sqlite')).size;
    await replaySpool({ directory: dir, deliver: recorder().deliver });
    expect(statSync(join(dir, 'sentinel-spool.sqlite')).size).toBeLessThan(before / 10);
  });

  it('throws ReplayError with the counts so far when the directory cannot be read', async () => {
    const missing = `${tempDir()}/missing`;
    const error = await replaySpool({ directory: missing, deliver: recorder().deliver }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ReplayError);
    expect(error).toMatchObject({ code: 'E_SPOOL_REPLAY', path: missing, result: { files: 0, entries: 0 } });
  });

  it.each([
    [{ batchSize: 0 }, 'batchSize'],
    [{ batchSize: 2.5 }, 'batchSize'],
    [{ minAgeMs: -1 }, 'minAgeMs'],
    [{ prefix: 'a/b' }, 'prefix'],
    [{ directory: '' }, 'directory'],
  ])('rejects options %j naming option %s', async (override, option) => {
    const options = { directory: tempDir(), deliver: recorder().deliver, ...override };
    await expect(replaySpool(options)).rejects.toThrow(
      expect.objectContaining({ code: 'E_SPOOL_CONFIG', option }),
    );
    await expect(replaySpool(options)).rejects.toBeInstanceOf(ConfigError);
  });

  it('keeps every spooled row either delivered or in the spool, for any groups and failures', async () => {
    const targets = [AUTH, AUDIT, target('Auth', 'dcr-second')];
    // `rejected` is held by replay: it must stay in the spool through both replays.
    const reasons: UndeliveredReason[] = ['permanent', 'queue-full', 'shutdown', 'rejected'];
    const group = fc.record({
      target: fc.nat({ max: targets.length - 1 }),
      reason: fc.nat({ max: reasons.length - 1 }),
      // Small: with a batch of one row, every row is a claim and a settlement, each fsynced.
      fails: fc.array(fc.boolean(), { maxLength: 12 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(group, { maxLength: 8 }),
        fc.integer({ min: 1, max: 8 }),
        fc.boolean(),
        async (groups, batchSize, throwSometimes) => {
          const run = tempDir();
          const failing = new Set<number>();
          const held: number[] = [];
          let next = 0;
          const planned = groups.map((g) => {
            const reason = reasons[g.reason] ?? 'permanent';
            const ids = g.fails.map((fails) => {
              const Id = next++;
              if (fails) failing.add(Id);
              if (reason === 'rejected') held.push(Id);
              return Id;
            });
            return [targets[g.target] ?? AUTH, ids, reason] as const;
          });
          await spoolRows(run, planned);

          const delivered: number[] = [];
          let calls = 0;
          const result = await replaySpool({
            directory: run,
            batchSize,
            deliver: (_t, rows) => {
              calls++;
              // Now and then a call throws: none of its rows count as delivered.
              if (throwSometimes && calls % 3 === 0) return Promise.reject(new Error('HTTP 500'));
              for (const r of rows) if (!failing.has(r['Id'] as number)) delivered.push(r['Id'] as number);
              return Promise.resolve(rows.filter((r) => failing.has(r['Id'] as number)));
            },
          });
          const left = await idsIn(run);

          expect([...delivered, ...left].sort((a, b) => a - b)).toEqual(range(0, next));
          expect(result).toMatchObject({ entries: next, delivered: delivered.length, held: held.length });
          expect(result.failed + result.held).toBe(left.length);
          for (const id of [...failing, ...held]) expect(left).toContain(id);

          const second = await replaySpool({ directory: run, deliver: () => Promise.resolve([]) });
          expect(second.delivered).toBe(result.failed);
          expect(await idsIn(run)).toEqual(held);
        },
      ),
      { numRuns: 8 },
    );
    // Every claim and settlement is fsynced, so the disk sets the pace. Measured alone on a
    // shared 2-core machine: 6 runs in 4 to 5 s at load 1.5, 8 runs in 9 to 15 s at load 4; a
    // full `pnpm test` once took over 60 s. The time-out is a hang guard of 20 times the busy
    // figure, not a speed check (test/README.md, "Time-outs").
  }, 300_000);
});
