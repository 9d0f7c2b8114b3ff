// readSpool: what a store holds, for people and tests, read without changing anything and while
// a process is writing: the spool, and rows processes that ended left in their queues.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSpool } from '../../src/store/read-spool.ts';
import { kill, openStore, rowsOf, startChild, TARGET, tempDir } from '../support/store-fixtures.ts';

describe('readSpool', () => {
  it('reads while a store is being written, and shows no live process’s queue', async () => {
    const directory = tempDir();
    const store = await openStore({ directory });
    await store.enqueue(TARGET, rowsOf(5));
    const writes = Array.from({ length: 20 }, (_, i) =>
      store.spool(TARGET, rowsOf(10, i * 10), 'permanent', 'x'),
    );
    const reads = await Promise.all([readSpool({ directory }), readSpool({ directory })]);
    await Promise.all(writes);

    for (const r of reads) {
      expect(r.queued).toEqual([]);
      expect(r.spool.length % 10).toBe(0);
    }
    expect((await readSpool({ directory })).spool).toHaveLength(200);
  });

  it('shows what a killed process left in its queue, with who left it, and changes nothing', async () => {
    const directory = tempDir();
    const child = startChild(['hold', directory, 'disk', '3', '0']);
    await child.line(/^ready$/);
    await kill(child);
    const file = join(directory, 'sentinel-spool.sqlite');
    const before = statSync(file).mtimeMs;

    const { queued } = await readSpool({ directory });

    expect(queued.map((q) => q.row['Seq'])).toEqual([0, 1, 2]);
    expect(queued[0]).toMatchObject({
      stream: 'Custom-Child',
      owner: { pid: child.process.pid, role: 'exporter', clean: false },
    });
    expect(Date.parse(queued[0]?.time ?? '')).toBeGreaterThan(Date.now() - 60_000);
    expect(statSync(file).mtimeMs).toBe(before);
  });
});
