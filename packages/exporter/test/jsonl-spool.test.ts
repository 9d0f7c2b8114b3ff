// The JSON-lines writer (`Spool`) that versions before the store used. Its files are still read
// by replay (legacy import); these tests go with the writer once nothing uses it any more.
import { appendFile, chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Row } from '@otel-sentinel/mapping';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RowBatch, StreamTarget } from '../src/row-batch.js';
import { Spool } from '../src/spool/spool.js';
import type { SpoolEntry } from '../src/spool/spool-entry.js';
import { MAX_DETAIL_LENGTH, parseSpoolEntry } from '../src/spool/spool-entry.js';
import { SpoolConfigError } from '../src/spool/spool-errors.js';

const TARGET: StreamTarget = {
  endpoint: 'https://dce-1.westeurope-1.ingest.monitor.azure.com',
  dcrImmutableId: 'dcr-0123456789abcdef0123456789abcdef',
  stream: 'Custom-AppSecurityEvents',
  table: 'AppSecurityEvents_CL',
};

function batch(rows: readonly Row[], target: StreamTarget = TARGET): RowBatch {
  return { target, rows, bytes: 0 };
}

function rowsOf(count: number, from = 0, pad = 0): Row[] {
  return Array.from({ length: count }, (_, i) => ({ Seq: from + i, Pad: 'x'.repeat(pad) }));
}

async function spoolFiles(directory: string): Promise<string[]> {
  return (await readdir(directory)).filter((name) => name.endsWith('.jsonl')).sort();
}

async function linesOf(directory: string): Promise<string[]> {
  const lines: string[] = [];
  for (const name of await spoolFiles(directory)) {
    const text = await readFile(join(directory, name), 'utf8');
    lines.push(...text.split('\n').filter((line) => line !== ''));
  }
  return lines;
}

async function entriesOf(directory: string): Promise<SpoolEntry[]> {
  return (await linesOf(directory)).map(parseSpoolEntry);
}

let root: string;
let dir: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'otel-sentinel-spool-'));
  dir = join(root, 'spool');
});

afterEach(async () => {
  await chmod(root, 0o700).catch(() => undefined);
  await chmod(dir, 0o700).catch(() => undefined);
  await rm(root, { recursive: true, force: true });
});

describe('Spool', () => {
  it('writes every row of a batch as one entry with the target, reason, detail and time', async () => {
    const spool = new Spool({ directory: dir });
    const before = Date.now();
    const result = await spool.write(batch(rowsOf(3)), 'retries-exhausted', 'HTTP 503 after 5 attempts');
    await spool.close();

    expect(result).toMatchObject({ written: 3, refused: 0 });
    const entries = await entriesOf(dir);
    expect(entries.map((e) => e.row)).toEqual(rowsOf(3));
    for (const entry of entries) {
      expect(entry).toMatchObject({
        ...TARGET,
        reason: 'retries-exhausted',
        detail: 'HTTP 503 after 5 attempts',
      });
      expect(Date.parse(entry.time)).toBeGreaterThanOrEqual(before - 1);
    }
    expect(result.file).toBe(join(dir, (await spoolFiles(dir))[0] ?? ''));
  });

  it('writes entries as given, each with its own time, target and reason', async () => {
    const other: StreamTarget = { ...TARGET, stream: 'Custom-Audit', table: 'Audit_CL' };
    const entries: SpoolEntry[] = [
      {
        time: '2026-01-01T00:00:00.000Z',
        ...TARGET,
        reason: 'rejected',
        detail: 'E_REQUIRED_MISSING',
        row: { A: 1 },
      },
      { time: '2026-01-01T00:00:01.000Z', ...other, reason: 'unrouted', row: { B: 2 } },
    ];
    const spool = new Spool({ directory: dir });
    expect(await spool.writeEntries(entries)).toMatchObject({ written: 2, refused: 0 });
    await spool.close();
    expect(await entriesOf(dir)).toEqual(entries);
  });

  it('cuts a detail longer than MAX_DETAIL_LENGTH', async () => {
    const spool = new Spool({ directory: dir });
    await spool.write(batch(rowsOf(1)), 'permanent', 'd'.repeat(5000));
    await spool.close();
    const [entry] = await entriesOf(dir);
    expect(entry?.detail).toHaveLength(MAX_DETAIL_LENGTH);
  });

  it('never interleaves lines under 50 concurrent writes', async () => {
    const spool = new Spool({ directory: dir });
    // Rows of very different sizes, so the appends of different calls would tear if unordered.
    const writes = Array.from({ length: 50 }, (_, w) =>
      spool.write(
        batch(
          Array.from({ length: 1 + (w % 7) * 5 }, (_, i) => ({
            W: w,
            I: i,
            Pad: 'p'.repeat((w * 997) % 20_000),
          })),
        ),
        'queue-full',
      ),
    );
    const results = await Promise.all(writes);
    await spool.close();

    expect(results.every((r) => r.refused === 0)).toBe(true);
    const rows = (await entriesOf(dir)).map((e) => e.row as { W: number; I: number });
    // Each call's rows are contiguous and in order, and calls land in the order they were made.
    const expected = Array.from({ length: 50 }, (_, w) =>
      Array.from({ length: 1 + (w % 7) * 5 }, (_, i) => ({ W: w, I: i })),
    ).flat();
    expect(rows.map(({ W, I }) => ({ W, I }))).toEqual(expected);
  });

  it('rotates at maxFileBytes into several files whose entries total the input', async () => {
    const spool = new Spool({ directory: dir, maxFileBytes: 4096 });
    for (let i = 0; i < 10; i++) await spool.write(batch(rowsOf(20, i * 20, 50)), 'permanent');
    await spool.close();

    const files = await spoolFiles(dir);
    expect(files.length).toBeGreaterThan(5);
    for (const name of files) expect((await stat(join(dir, name))).size).toBeLessThanOrEqual(4096);
    expect((await entriesOf(dir)).map((e) => e.row)).toEqual(rowsOf(200, 0, 50));
    expect(spool.stats()).toMatchObject({ entriesWritten: 200, entriesRefused: 0, files: files.length });
  });

  it('gives a line larger than maxFileBytes a file of its own', async () => {
    const spool = new Spool({ directory: dir, maxFileBytes: 1000 });
    await spool.write(batch([{ Small: 1 }, { Big: 'b'.repeat(5000) }, { Small: 2 }]), 'permanent');
    await spool.close();
    const files = await spoolFiles(dir);
    expect(files).toHaveLength(3);
    expect((await entriesOf(dir)).map((e) => Object.keys(e.row)[0])).toEqual(['Small', 'Big', 'Small']);
  });

  it('names files <prefix>-<UTC timestamp>-<pid>-<seq>.jsonl so names sort by time', async () => {
    const spool = new Spool({ directory: dir, maxFileBytes: 300, prefix: 'app-a' });
    for (let i = 0; i < 5; i++) await spool.write(batch(rowsOf(2, i * 2, 60)), 'shutdown');
    await spool.close();

    const files = await spoolFiles(dir);
    for (const name of files) {
      expect(name).toMatch(new RegExp(`^app-a-\\d{8}T\\d{9}Z-${process.pid}-\\d{6,}\\.jsonl$`));
    }
    // Sorted by name is the order they were written in.
    expect((await entriesOf(dir)).map((e) => e.row['Seq'])).toEqual(rowsOf(10).map((r) => r['Seq']));
  });

  it('refuses and counts exactly the overflow of maxTotalBytes', async () => {
    const probe = new Spool({ directory: join(root, 'probe') });
    await probe.write(batch(rowsOf(1, 0, 100)), 'permanent');
    await probe.close();
    const lineBytes = (await stat(join(root, 'probe', (await spoolFiles(join(root, 'probe')))[0] ?? '')))
      .size;

    const spool = new Spool({
      directory: dir,
      maxTotalBytes: lineBytes * 7 + lineBytes - 1,
      maxFileBytes: lineBytes * 3,
    });
    // Seq 0–9 all print as one digit, so every line has the same length.
    const first = await spool.write(batch(rowsOf(5, 0, 100)), 'permanent');
    const second = await spool.write(batch(rowsOf(5, 5, 100)), 'permanent');
    await spool.close();

    expect(first).toMatchObject({ written: 5, refused: 0 });
    expect(second).toMatchObject({ written: 2, refused: 3, error: { code: 'E_SPOOL_FULL' } });
    expect(spool.stats()).toMatchObject({
      entriesWritten: 7,
      entriesRefused: 3,
      bytesWritten: lineBytes * 7,
    });
    expect((await entriesOf(dir)).map((e) => e.row['Seq'])).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('counts the files already in the directory against maxTotalBytes', async () => {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'sentinel-spool-20200101T000000000Z-1-000001.jsonl'), 'x'.repeat(900));
    await writeFile(join(dir, 'unrelated.txt'), 'y'.repeat(100_000));
    const spool = new Spool({ directory: dir, maxTotalBytes: 1000 });
    const result = await spool.write(batch(rowsOf(3)), 'permanent');
    await spool.close();
    // One line is ~200 bytes: only 100 bytes were left.
    expect(result).toMatchObject({ written: 0, refused: 3, error: { code: 'E_SPOOL_FULL' } });
  });

  it('takes entries again once the directory has room (measured again at most once a second)', async () => {
    const spool = new Spool({ directory: dir, maxTotalBytes: 2000 });
    await spool.write(batch(rowsOf(30)), 'permanent');
    expect((await spool.write(batch(rowsOf(1)), 'permanent')).refused).toBe(1);
    await spool.close();

    const again = new Spool({ directory: dir, maxTotalBytes: 2000 });
    expect((await again.write(batch(rowsOf(1)), 'permanent')).refused).toBe(1);
    for (const name of await spoolFiles(dir)) await rm(join(dir, name)); // what replay does
    await new Promise((resolve) => setTimeout(resolve, 1100).unref());
    expect(await again.write(batch(rowsOf(1)), 'permanent')).toMatchObject({ written: 1, refused: 0 });
    await again.close();
  });

  it('resolves with refused, not a throw, when the directory cannot be created', async () => {
    // A regular file in the way: this fails for root too, which ignores permission bits (CI runs
    // as root, so a chmod-based test would never run there).
    await writeFile(join(root, 'a-file'), '');
    const spool = new Spool({ directory: join(root, 'a-file', 'spool') });
    const result = await spool.write(batch(rowsOf(4)), 'permanent');
    expect(result).toMatchObject({
      written: 0,
      refused: 4,
      error: { code: 'E_SPOOL_IO', systemCode: 'ENOTDIR' },
    });
    expect(spool.stats()).toMatchObject({ entriesWritten: 0, entriesRefused: 4, errors: 1 });
    await spool.close();
  });

  it('creates the directory 0700 and its files 0600', async () => {
    const previous = process.umask(0o000);
    try {
      const spool = new Spool({ directory: dir });
      await spool.write(batch(rowsOf(1)), 'permanent');
      await spool.close();
    } finally {
      process.umask(previous);
    }
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    for (const name of await spoolFiles(dir)) expect((await stat(join(dir, name))).mode & 0o777).toBe(0o600);
  });

  it('keeps its file open across flush() and appends to it afterwards', async () => {
    const spool = new Spool({ directory: dir });
    const first = await spool.write(batch(rowsOf(1)), 'permanent');
    await spool.flush();
    const second = await spool.write(batch(rowsOf(1, 1)), 'permanent');
    await spool.close();
    expect(second.file).toBe(first.file);
    expect(await spoolFiles(dir)).toHaveLength(1);
  });

  it('starts a new file when its current one was removed (by replay), so no write goes to a deleted file', async () => {
    const spool = new Spool({ directory: dir });
    const first = await spool.write(batch(rowsOf(2)), 'permanent');
    await rm(first.file ?? '');
    const second = await spool.write(batch(rowsOf(2, 2)), 'permanent');
    await spool.close();
    expect(second.file).not.toBe(first.file);
    expect((await entriesOf(dir)).map((e) => e.row['Seq'])).toEqual([2, 3]);
  });

  it('refuses writes after close(), and close() is idempotent', async () => {
    const spool = new Spool({ directory: dir });
    await spool.write(batch(rowsOf(1)), 'permanent');
    await Promise.all([spool.close(), spool.close()]);
    await spool.close();
    const result = await spool.write(batch(rowsOf(2)), 'permanent');
    expect(result).toMatchObject({ written: 0, refused: 2, error: { code: 'E_SPOOL_CLOSED' } });
    expect(await spool.writeEntries([])).toEqual({ written: 0, refused: 0 });
    expect(spool.stats()).toMatchObject({ entriesWritten: 1, entriesRefused: 2 });
  });

  it('finishes the writes made before close()', async () => {
    const spool = new Spool({ directory: dir });
    const pending = spool.write(batch(rowsOf(3)), 'shutdown');
    await spool.close();
    expect(await pending).toMatchObject({ written: 3 });
  });

  it('refuses a row that cannot be serialised and writes the others', async () => {
    const spool = new Spool({ directory: dir });
    const result = await spool.write(batch([{ A: 1 }, { Big: 10n }, { A: 2 }]), 'permanent');
    await spool.close();
    expect(result).toMatchObject({ written: 2, refused: 1, error: { code: 'E_SPOOL_FORMAT', field: 'row' } });
    expect((await entriesOf(dir)).map((e) => e.row)).toEqual([{ A: 1 }, { A: 2 }]);
  });

  it('writes nothing, and creates no directory, for an empty batch', async () => {
    const spool = new Spool({ directory: dir });
    expect(await spool.write(batch([]), 'permanent')).toEqual({ written: 0, refused: 0 });
    await spool.close();
    await expect(stat(dir)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('shares a directory with another spool without sharing a file', async () => {
    const a = new Spool({ directory: dir });
    const b = new Spool({ directory: dir });
    const [ra, rb] = await Promise.all([
      a.write(batch(rowsOf(50, 0, 200)), 'permanent'),
      b.write(batch(rowsOf(50, 50, 200)), 'permanent'),
    ]);
    await Promise.all([a.close(), b.close()]);
    expect(ra.file).not.toBe(rb.file);
    const seqs = (await entriesOf(dir)).map((e) => e.row['Seq'] as number).sort((x, y) => x - y);
    expect(seqs).toEqual(rowsOf(100).map((r) => r['Seq']));
  });

  it('does not count an existing file of another prefix', async () => {
    await mkdir(dir, { recursive: true });
    await appendFile(join(dir, 'other-20200101T000000000Z-1-000001.jsonl'), 'x'.repeat(5000));
    const spool = new Spool({ directory: dir, maxTotalBytes: 1000 });
    expect((await spool.write(batch(rowsOf(1)), 'permanent')).written).toBe(1);
    await spool.close();
  });

  it.each([
    [{ directory: '' }, 'directory'],
    [{ directory: '/tmp/x', maxFileBytes: 0 }, 'maxFileBytes'],
    [{ directory: '/tmp/x', maxFileBytes: 1.5 }, 'maxFileBytes'],
    [{ directory: '/tmp/x', maxTotalBytes: -1 }, 'maxTotalBytes'],
    [{ directory: '/tmp/x', prefix: '../escape' }, 'prefix'],
    [{ directory: '/tmp/x', prefix: '' }, 'prefix'],
  ])('rejects options %j naming field %s', (options, field) => {
    expect(() => new Spool(options)).toThrow(SpoolConfigError);
    expect(() => new Spool(options)).toThrow(expect.objectContaining({ code: 'E_SPOOL_CONFIG', field }));
  });
});
