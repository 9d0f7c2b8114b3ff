// Bounds and failures of the file system: a full store, a full disk and a read-only one refuse
// and count every row, keep what they hold, and say why with the system's code. The disk cases
// run in a child inside a user and mount namespace (`unshare -rm`) on a 2 MiB tmpfs, so they
// need no root and leave nothing mounted behind.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@otel-sentinel/mapping';
import { SqliteDeliveryStore } from '../../src/store/sqlite-delivery-store.ts';
import { CHILD, openStore, rowsOf, storeFor, TARGET, tempDir } from '../support/store-fixtures.ts';

const SMALL = 256 * 1024;

describe('a full store', () => {
  it('refuses and counts new rows, never deleting what it holds', async () => {
    const store = await openStore({ directory: tempDir(), maxTotalBytes: SMALL });
    let accepted = 0;
    let refused = 0;
    for (let i = 0; i < 100 && refused < 60; i++) {
      const r = await store.enqueue(TARGET, rowsOf(20, i * 20, 1000));
      if (r.ok) accepted += 20;
      else {
        refused += 20;
        expect(r.error).toMatchObject({ code: 'E_SPOOL_FULL', maxTotalBytes: SMALL });
      }
    }
    expect(accepted).toBeGreaterThan(50);
    expect(store.stats()).toMatchObject({ queued: accepted, entriesRefused: refused, errors: 0 });
    expect((await store.spool(TARGET, rowsOf(30, 0, 1000), 'permanent', 'x')).refused).toBeGreaterThan(0);
  });

  it('still moves entries to the spool when full, and takes rows again once some are removed', async () => {
    const store = await openStore({ directory: tempDir(), maxTotalBytes: SMALL });
    const ids: number[] = [];
    for (;;) {
      const r = await store.enqueue(TARGET, rowsOf(10, ids.length, 1000));
      if (!r.ok) break;
      ids.push(...r.ids);
    }
    expect(await store.deadLetter(ids.slice(0, 50), 'permanent', 'HTTP 403')).toEqual({
      written: 50,
      refused: 0,
    });
    await store.remove(ids.slice(50, 100));
    expect(await store.enqueue(TARGET, rowsOf(10, 0, 1000))).toMatchObject({ ok: true });
  });

  it('spools as many rows of a call as fit, in order, and counts the rest', async () => {
    const store = await openStore({ directory: tempDir(), maxTotalBytes: SMALL });
    const ids: number[] = [];
    for (;;) {
      const r = await store.enqueue(TARGET, rowsOf(10, 0, 1000));
      if (!r.ok) break;
      ids.push(...r.ids);
    }
    await store.remove(ids.slice(0, 10)); // the first call's rows: its segment's pages are free again
    const refusedBefore = store.stats().entriesRefused;
    const r = await store.spool(TARGET, rowsOf(100, 0, 1000), 'retries-exhausted', 'HTTP 503');
    expect(r.written).toBeGreaterThan(0);
    expect(r.written + r.refused).toBe(100);
    expect(r.error).toMatchObject({ code: 'E_SPOOL_FULL' });
    expect(store.stats()).toMatchObject({
      entriesSpooled: r.written,
      entriesRefused: refusedBefore + r.refused,
    });
  });
});

describe('a full or read-only file system', () => {
  it('refuses and counts every row with ENOSPC when the disk is full, EROFS when it is read-only', () => {
    const disk = mkdtempSync(join(tmpdir(), 'otel-sentinel-disk-'));
    const view = mkdtempSync(join(tmpdir(), 'otel-sentinel-view-'));
    try {
      const script =
        `mount -t tmpfs -o size=2m tmpfs "$1" && mount --bind "$1" "$2" && mount -o remount,bind,ro "$2" && ` +
        `exec "$3" "$4" disk "$1" "$2"`;
      const r = spawnSync('unshare', ['-rm', 'sh', '-c', script, 'sh', disk, view, process.execPath, CHILD], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(r.stderr, 'needs `unshare` with user namespaces (util-linux) to mount a small tmpfs').toBe('');
      const { full, opened } = JSON.parse(r.stdout) as {
        full: {
          accepted: number;
          refused: number;
          code: string;
          spooled: { written: number; refused: number };
          stats: Record<string, unknown>;
        };
        opened: {
          error: Record<string, unknown>;
          message: string;
          after: Record<string, unknown>;
          stats: Record<string, unknown>;
        }[];
      };
      expect(full.accepted).toBeGreaterThan(0);
      expect(full.refused).toBe(50);
      expect(full.code).toBe('ENOSPC');
      // Whether the two spool rows still fit depends on the slack the failed writes left in the
      // WAL; either way each row is written or refused and counted.
      expect(full.spooled.written + full.spooled.refused).toBe(2);
      expect(full.stats).toMatchObject({
        queued: full.accepted,
        entriesRefused: 50 + full.spooled.refused,
        entriesSpooled: full.spooled.written,
      });
      for (const o of opened) {
        expect(o.error).toMatchObject({ code: 'E_SPOOL_IO', operation: 'open', systemCode: 'EROFS' });
        expect(o.message).toMatch(/read-only file system/);
        expect(o.after).toMatchObject({ ok: false, error: { systemCode: 'EROFS' } });
        expect(o.stats).toMatchObject({ entriesRefused: 3 });
      }
    } finally {
      rmSync(disk, { recursive: true, force: true });
      rmSync(view, { recursive: true, force: true });
    }
  });

  it('rejects open() with EISDIR when a directory is where the store file goes, and refuses rows after', async () => {
    // Fails for root too, which ignores permission bits.
    const directory = tempDir();
    mkdirSync(join(directory, 'sentinel-spool.sqlite'));
    const store = storeFor({ directory });
    await expect(store.open()).rejects.toMatchObject({ code: 'E_SPOOL_IO', systemCode: 'EISDIR' });
    expect(await store.enqueue(TARGET, rowsOf(4))).toMatchObject({
      ok: false,
      error: { systemCode: 'EISDIR' },
    });
    expect(await store.spool(TARGET, rowsOf(2), 'permanent', 'x')).toMatchObject({ written: 0, refused: 2 });
    expect(store.stats()).toMatchObject({ entriesRefused: 6 });
  });

  it('rejects open() with ENOTDIR when a file is where the directory goes', async () => {
    const directory = tempDir();
    writeFileSync(join(directory, 'a-file'), '');
    await expect(storeFor({ directory: join(directory, 'a-file', 'spool') }).open()).rejects.toMatchObject({
      systemCode: 'ENOTDIR',
    });
  });
});

describe('files and options', () => {
  it('creates the directory 0700 and the store files 0600 whatever the umask', async () => {
    const directory = join(tempDir(), 'spool');
    const previous = process.umask(0o000);
    try {
      const store = await openStore({ directory });
      await store.enqueue(TARGET, rowsOf(1));
      expect(statSync(directory).mode & 0o777).toBe(0o700);
      const files = readdirSync(directory);
      expect(files).toEqual(expect.arrayContaining(['sentinel-spool.sqlite', 'sentinel-spool.sqlite-wal']));
      for (const name of files) expect(statSync(join(directory, name)).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(previous);
    }
  });

  it('touches no file before open()', () => {
    const directory = join(tempDir(), 'spool');
    storeFor({ directory });
    expect(() => statSync(directory)).toThrow();
  });

  it.each([
    [{ directory: '' }, 'directory'],
    [{ directory: '/tmp/x', maxTotalBytes: 0 }, 'maxTotalBytes'],
    [{ directory: '/tmp/x', maxTotalBytes: 1000 }, 'maxTotalBytes'],
    [{ directory: '/tmp/x', prefix: '../escape' }, 'prefix'],
    [{ directory: '/tmp/x', staleOwnerMs: 100, heartbeatMs: 100 }, 'staleOwnerMs'],
    [{ directory: '/tmp/x', durability: 'sometimes' as 'disk' }, 'durability'],
  ])('rejects options %j naming option %s', (options, option) => {
    expect(() => new SqliteDeliveryStore(options)).toThrow(ConfigError);
    expect(() => new SqliteDeliveryStore(options)).toThrow(
      expect.objectContaining({ code: 'E_SPOOL_CONFIG', option }),
    );
  });

  it('refuses calls after close(), and close() is idempotent', async () => {
    const store = await openStore({ directory: tempDir() });
    await Promise.all([store.close(), store.close()]);
    expect(await store.enqueue(TARGET, rowsOf(2))).toMatchObject({
      ok: false,
      error: { code: 'E_SPOOL_CLOSED' },
    });
    expect(store.stats().entriesRefused).toBe(2);
  });
});
