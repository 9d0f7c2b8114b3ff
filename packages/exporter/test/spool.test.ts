// The spool: rows that will not be delivered without a person or `replay`, each with its target,
// reason, detail and time. In the store (entries with no owner) and, for versions before it, as
// JSON lines, whose format `parseSpoolEntry` still reads for replay's import.
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StreamTarget } from '../src/row-batch.ts';
import type { SpoolEntry } from '../src/spool/spool-entry.ts';
import {
  MAX_DETAIL_LENGTH,
  parseSpoolEntry,
  serializeSpoolEntry,
  SpoolFormatError,
} from '../src/spool/spool-entry.ts';
import { readSpool } from '../src/store/read-spool.ts';
import { openStore, rowsOf, storeFor, TARGET, tempDir } from './support/store-fixtures.ts';

describe('spool entries', () => {
  it('round-trips an entry through its line', () => {
    const entry: SpoolEntry = {
      time: '2026-01-02T03:04:05.006Z',
      ...TARGET,
      reason: 'permanent',
      detail: 'HTTP 403 OperationFailed',
      row: { EventName: 'authn_login_fail', Extra: { nested: [1, 'two', null] } },
    };
    const line = serializeSpoolEntry(entry);
    expect(line).not.toContain('\n');
    expect(parseSpoolEntry(line)).toEqual(entry);
  });

  it('leaves detail out of the line and the entry when there is none', () => {
    const entry: SpoolEntry = { time: '2026-01-02T03:04:05.006Z', ...TARGET, reason: 'queue-full', row: {} };
    const parsed = parseSpoolEntry(serializeSpoolEntry(entry));
    expect(parsed).toEqual(entry);
    expect('detail' in parsed).toBe(false);
  });

  it('writes the fields in the documented order', () => {
    const line = serializeSpoolEntry({
      time: '2026-01-02T03:04:05.006Z',
      ...TARGET,
      reason: 'shutdown',
      row: {},
    });
    expect(Object.keys(JSON.parse(line) as object)).toEqual([
      'time',
      'reason',
      'endpoint',
      'dcrImmutableId',
      'stream',
      'table',
      'row',
    ]);
  });

  it('takes an entry without a target (a record no stream took)', () => {
    const entry: SpoolEntry = {
      time: '2026-01-02T03:04:05.006Z',
      endpoint: '',
      dcrImmutableId: '',
      stream: '',
      table: '',
      reason: 'unrouted',
      detail: 'E_UNROUTED',
      row: { EventName: 'authz_fail' },
    };
    expect(parseSpoolEntry(serializeSpoolEntry(entry))).toEqual(entry);
  });

  it('parses the example line of docs/spool.md', async () => {
    const doc = await readFile(new URL('../docs/spool.md', import.meta.url), 'utf8');
    const example = doc.split('\n').find((line) => line.startsWith('{"time"'));
    expect(parseSpoolEntry(example ?? '')).toMatchObject({
      reason: 'permanent',
      table: 'AppSecurityEvents_CL',
    });
  });

  it('ignores fields it does not know, so a later format can add some', () => {
    const line = serializeSpoolEntry({
      time: '2026-01-02T03:04:05.006Z',
      ...TARGET,
      reason: 'shutdown',
      row: {},
    });
    const extended = `${line.slice(0, -1)},"attempts":3}`;
    expect(parseSpoolEntry(extended)).not.toHaveProperty('attempts');
  });

  const good = { time: '2026-01-02T03:04:05.006Z', ...TARGET, reason: 'permanent', row: { A: 1 } };
  it.each([
    ['{"time":', ''],
    ['[1,2]', ''],
    ['null', ''],
    [JSON.stringify({ ...good, time: 'yesterday' }), 'time'],
    [JSON.stringify({ ...good, reason: 'because' }), 'reason'],
    [JSON.stringify({ ...good, endpoint: 42 }), 'endpoint'],
    [JSON.stringify({ ...good, dcrImmutableId: 7 }), 'dcrImmutableId'],
    [JSON.stringify({ ...good, stream: undefined }), 'stream'],
    [JSON.stringify({ ...good, table: null }), 'table'],
    [JSON.stringify({ ...good, detail: 403 }), 'detail'],
    [JSON.stringify({ ...good, row: [1] }), 'row'],
    [JSON.stringify({ ...good, row: 'secret-value' }), 'row'],
  ])('rejects the line %s naming its key "%s" as the path', (line, path) => {
    const thrown = (() => {
      try {
        parseSpoolEntry(line);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(thrown).toBeInstanceOf(SpoolFormatError);
    expect(thrown).toMatchObject({ code: 'E_SPOOL_FORMAT', path });
    expect((thrown as Error).message).not.toContain('secret-value');
  });
});

describe('the store’s spool', () => {
  it('writes every row as one entry with the target, reason, detail and time', async () => {
    const directory = tempDir();
    const store = await openStore({ directory });
    const before = Date.now();

    const result = await store.spool(TARGET, rowsOf(3), 'retries-exhausted', 'HTTP 503 after 5 attempts');

    expect(result).toEqual({ written: 3, refused: 0 });
    const { spool, queued } = await readSpool({ directory });
    expect(queued).toEqual([]);
    expect(spool.map((e) => e.row)).toEqual(rowsOf(3));
    for (const entry of spool) {
      expect(entry).toMatchObject({
        ...TARGET,
        reason: 'retries-exhausted',
        detail: 'HTTP 503 after 5 attempts',
      });
      expect(Date.parse(entry.time)).toBeGreaterThanOrEqual(before - 1);
    }
    expect(store.stats()).toMatchObject({ spooled: 3, entriesSpooled: 3, entriesRefused: 0 });
  });

  it('moves queue entries to the spool in place, in their order, with the reason given', async () => {
    const directory = tempDir();
    const store = await openStore({ directory });
    const queued = await store.enqueue(TARGET, rowsOf(6));
    if (!queued.ok) throw queued.error;

    const moved = await store.deadLetter(queued.ids.slice(1, 4), 'permanent', 'HTTP 403 OperationFailed');

    expect(moved).toEqual({ written: 3, refused: 0 });
    expect(store.stats()).toMatchObject({ queued: 3, spooled: 3, entriesSpooled: 3 });
    const { spool } = await readSpool({ directory });
    expect(spool.map((e) => [e.row['Seq'], e.reason, e.detail])).toEqual(
      [1, 2, 3].map((seq) => [seq, 'permanent', 'HTTP 403 OperationFailed']),
    );
  });

  it('moves only its own queue entries', async () => {
    const directory = tempDir();
    const a = await openStore({ directory });
    const b = await openStore({ directory });
    const queued = await a.enqueue(TARGET, rowsOf(2));
    if (!queued.ok) throw queued.error;
    expect(await b.deadLetter(queued.ids, 'permanent', 'x')).toEqual({ written: 0, refused: 0 });
    expect(a.stats().queued).toBe(2);
  });

  it('keeps the rows of concurrent calls together and in the order of the calls', async () => {
    const directory = tempDir();
    const store = await openStore({ directory });
    const calls = Array.from({ length: 40 }, (_, w) =>
      store.spool(TARGET, rowsOf(1 + (w % 7), w * 100, (w * 997) % 3000), 'queue-full', 'full'),
    );
    expect((await Promise.all(calls)).every((r) => r.refused === 0)).toBe(true);
    const { spool } = await readSpool({ directory });
    const expected = Array.from({ length: 40 }, (_, w) =>
      rowsOf(1 + (w % 7), w * 100).map((r) => r['Seq']),
    ).flat();
    expect(spool.map((e) => e.row['Seq'])).toEqual(expected);
  });

  it('cuts a detail longer than MAX_DETAIL_LENGTH, for written and moved entries alike', async () => {
    const directory = tempDir();
    const store = await openStore({ directory });
    await store.spool(TARGET, rowsOf(1), 'permanent', 'd'.repeat(5000));
    const queued = await store.enqueue(TARGET, rowsOf(1, 1));
    if (queued.ok) await store.deadLetter(queued.ids, 'permanent', 'e'.repeat(5000));
    const { spool } = await readSpool({ directory });
    expect(spool.map((e) => e.detail?.length)).toEqual([MAX_DETAIL_LENGTH, MAX_DETAIL_LENGTH]);
  });

  it('keeps an unrouted entry with an empty target', async () => {
    const directory = tempDir();
    const store = await openStore({ directory });
    const none: StreamTarget = { endpoint: '', dcrImmutableId: '', stream: '', table: '' };
    await store.spool(none, [{ EventName: 'authz_fail' }], 'unrouted', 'E_UNROUTED');
    const { spool } = await readSpool({ directory });
    expect(spool).toEqual([
      expect.objectContaining({ ...none, reason: 'unrouted', row: { EventName: 'authz_fail' } }),
    ]);
  });

  it('refuses a row that cannot be serialised and writes the others', async () => {
    const directory = tempDir();
    const store = await openStore({ directory });
    const result = await store.spool(TARGET, [{ A: 1 }, { Big: 10n }, { A: 2 }], 'permanent', 'x');
    expect(result).toEqual({ written: 2, refused: 1 });
    expect((await readSpool({ directory })).spool.map((e) => e.row)).toEqual([{ A: 1 }, { A: 2 }]);
    expect(store.stats()).toMatchObject({ entriesSpooled: 2, entriesRefused: 1 });
  });

  it('writes nothing for an empty call', async () => {
    const directory = tempDir();
    const store = await openStore({ directory });
    const commits = store.stats().commits;
    expect(await store.spool(TARGET, [], 'permanent', 'x')).toEqual({ written: 0, refused: 0 });
    expect(await store.deadLetter([], 'permanent', 'x')).toEqual({ written: 0, refused: 0 });
    expect(store.stats().commits).toBe(commits);
  });

  it('never puts a row value in an error', async () => {
    const directory = tempDir();
    mkdirSync(join(directory, 'sentinel-spool.sqlite'));
    const store = storeFor({ directory });
    await store.open().catch(() => undefined);
    const result = await store.spool(TARGET, [{ Password: 'secret-value' }], 'permanent', 'x');
    expect(result.error?.message).toBeDefined();
    expect(result.error?.message).not.toContain('secret-value');
    expect(JSON.stringify(store.stats())).not.toContain('secret-value');
  });

  it('reads nothing, and creates nothing, where there is no store', async () => {
    const directory = join(tempDir(), 'none');
    expect(await readSpool({ directory })).toEqual({ spool: [], queued: [] });
    await expect(readFile(directory)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
