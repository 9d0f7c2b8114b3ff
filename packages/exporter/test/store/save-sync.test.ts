// saveSync: at process exit nothing asynchronous runs any more, so the rows held in memory go to
// the queue on a connection of the calling thread, and the owner is marked ended.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readSpool } from '../../src/store/read-spool.ts';
import { openStore, rowsOf, storeFor, TARGET, tempDir } from '../support/store-fixtures.ts';

const OTHER = { ...TARGET, stream: 'Custom-Other', table: 'Other_CL' };
const SOURCE = fileURLToPath(new URL('../../src/store/sqlite-delivery-store.ts', import.meta.url));

describe('saveSync', () => {
  it('writes the rows to the queue and marks the owner ended, so the next start takes them at once', async () => {
    const directory = tempDir();
    const store = await openStore({ directory, durability: 'memory' });
    store.setHeldInMemory(5);

    const written = store.saveSync([
      { target: TARGET, rows: rowsOf(3) },
      { target: OTHER, rows: rowsOf(2, 3) },
    ]);

    expect(written).toBe(5);
    const { queued } = await readSpool({ directory });
    expect(queued.map((q) => [q.stream, q.row['Seq'], q.owner?.clean])).toEqual([
      ['Custom-AppSecurityEvents', 0, true],
      ['Custom-AppSecurityEvents', 1, true],
      ['Custom-AppSecurityEvents', 2, true],
      ['Custom-Other', 3, true],
      ['Custom-Other', 4, true],
    ]);
    const next = await openStore({ directory });
    expect(next.stats().queued).toBe(5);
  });

  it('writes the rows it can serialise and counts the others', async () => {
    const store = await openStore({ directory: tempDir() });
    expect(store.saveSync([{ target: TARGET, rows: [{ A: 1 }, { B: 1n }] }])).toBe(1);
    expect(store.stats().entriesRefused).toBe(1);
  });

  it('returns 0 and never throws when the store cannot be written', () => {
    const directory = tempDir();
    mkdirSync(join(directory, 'sentinel-spool.sqlite'));
    const store = storeFor({ directory });
    expect(store.saveSync([{ target: TARGET, rows: rowsOf(2) }])).toBe(0);
    expect(store.stats().entriesRefused).toBe(2);
  });

  it('keeps rows of a process that saves them in its exit handler', async () => {
    const directory = tempDir();
    const script = `
      import { SqliteDeliveryStore } from ${JSON.stringify(SOURCE)};
      const store = new SqliteDeliveryStore({ directory: ${JSON.stringify(directory)}, durability: 'memory' });
      await store.open();
      process.on('exit', () => {
        store.saveSync([{ target: ${JSON.stringify(TARGET)}, rows: [{ Seq: 1 }, { Seq: 2 }] }]);
      });
      process.exit(0);
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const { queued } = await readSpool({ directory });
    expect(queued.map((q) => q.row['Seq'])).toEqual([1, 2]);
    expect(queued[0]?.owner?.clean).toBe(true);
  });
});
