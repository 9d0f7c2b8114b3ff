// Replay and other processes: it takes over and sends what crashed or stopped processes left,
// reports what they lost in memory, shares the spool with a second replay without sending a
// row twice, and loses nothing when it is itself killed half-way.
import type { Row } from '@otel-sentinel/mapping';
import { describe, expect, it } from 'vitest';
import { replaySpool } from '../src/spool/replay.ts';
import { readSpool } from '../src/store/read-spool.ts';
import { SqliteDeliveryStore } from '../src/store/sqlite-delivery-store.ts';
import { kill, rowsOf, startChild, TARGET, tempDir } from './support/store-fixtures.ts';

function collect(into: number[], fails: (seq: number) => boolean = () => false) {
  return (_t: unknown, rows: readonly Row[]): Promise<readonly Row[]> => {
    const failed = rows.filter((r) => fails(r['Seq'] as number));
    for (const r of rows) if (!failed.includes(r)) into.push(r['Seq'] as number);
    return Promise.resolve(failed);
  };
}

describe('replay and the processes around it', () => {
  it('sends what a killed process left in its queue and reports what it held in memory only', async () => {
    const directory = tempDir();
    const durable = startChild(['hold', directory, 'disk', '12', '0']);
    const memory = startChild(['hold', directory, 'memory', '0', '30']);
    await Promise.all([durable.line(/^ready$/), memory.line(/^ready$/)]);
    await Promise.all([kill(durable), kill(memory)]);
    const sent: number[] = [];

    const result = await replaySpool({ directory, deliver: collect(sent) });

    expect(sent.sort((a, b) => a - b)).toEqual(rowsOf(12).map((r) => r['Seq']));
    expect(result).toMatchObject({ takenOver: 12, delivered: 12, entries: 12, lostInMemory: 30 });
    expect(result.endedOwners).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ pid: durable.process.pid, clean: false, rows: 12, heldInMemory: 0 }),
        expect.objectContaining({ pid: memory.process.pid, clean: false, rows: 0, heldInMemory: 30 }),
      ]),
    );
    expect(await readSpool({ directory })).toEqual({ spool: [], queued: [] });
  });

  it('leaves rows it took over and could not send for the next start, not in the spool', async () => {
    const directory = tempDir();
    const child = startChild(['hold', directory, 'disk', '6', '0']);
    await child.line(/^ready$/);
    await kill(child);

    const result = await replaySpool({ directory, deliver: collect([], (seq) => seq >= 4) });

    expect(result).toMatchObject({ takenOver: 6, delivered: 4, failed: 2 });
    const { spool, queued } = await readSpool({ directory });
    expect(spool).toEqual([]);
    expect(queued.map((q) => [q.row['Seq'], q.owner?.role, q.owner?.clean])).toEqual([
      [4, 'replay', true],
      [5, 'replay', true],
    ]);
    const next = new SqliteDeliveryStore({ directory });
    expect((await next.open()).rows).toBe(2);
    await next.close();
  });

  it('never lets two replays at once send one row twice', async () => {
    const directory = tempDir();
    const writer = new SqliteDeliveryStore({ directory });
    await writer.open();
    for (let i = 0; i < 10; i++)
      await writer.spool(TARGET, rowsOf(50, i * 50), 'retries-exhausted', 'HTTP 503');
    await writer.close({ ended: true });
    const a: number[] = [];
    const b: number[] = [];
    const slow = (into: number[]) => async (t: unknown, rows: readonly Row[]) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return collect(into)(t, rows);
    };

    const [ra, rb] = await Promise.all([
      replaySpool({ directory, batchSize: 20, deliver: slow(a) }),
      replaySpool({ directory, batchSize: 20, deliver: slow(b) }),
    ]);

    expect([...a, ...b].sort((x, y) => x - y)).toEqual(rowsOf(500).map((r) => r['Seq']));
    expect(ra.delivered + rb.delivered).toBe(500);
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
  });

  it('loses nothing when replay itself is killed while a page is out, and the next replay sends it', async () => {
    const directory = tempDir();
    const writer = new SqliteDeliveryStore({ directory });
    await writer.open();
    await writer.spool(TARGET, rowsOf(12), 'shutdown', 'not sent before the stop');
    await writer.close({ ended: true });
    const before = (await readSpool({ directory })).spool;
    const replay = startChild(['replay', directory]);
    await replay.line(/^deliver 5$/);
    await kill(replay);
    // Its claimed page is under an ended owner: not in the spool until someone takes it back.
    expect((await readSpool({ directory })).spool).toEqual(before);
    const sent: number[] = [];

    const result = await replaySpool({ directory, deliver: collect(sent) });

    expect(sent).toEqual(rowsOf(12).map((r) => r['Seq']));
    expect(result).toMatchObject({ delivered: 12, failed: 0 });
    expect(result.endedOwners).toContainEqual(
      expect.objectContaining({ role: 'replay', clean: false, rows: 0 }),
    );
  });
});
