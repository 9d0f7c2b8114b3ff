import { appendFile, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Row } from '@otel-sentinel/mapping';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StreamTarget, UndeliveredReason } from '../src/row-batch.js';
import { replaySpool, ReplayError } from '../src/spool/replay.js';
import type { ReplayOptions } from '../src/spool/replay.js';
import { Spool } from '../src/spool/spool.js';
import { parseSpoolEntry, serializeSpoolEntry } from '../src/spool/spool-entry.js';
import { SpoolConfigError } from '../src/spool/spool-errors.js';

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

async function spoolFiles(directory: string): Promise<string[]> {
  return (await readdir(directory)).filter((name) => name.endsWith('.jsonl')).sort();
}

async function linesIn(directory: string): Promise<string[]> {
  const lines: string[] = [];
  for (const name of await spoolFiles(directory)) {
    lines.push(...(await readFile(join(directory, name), 'utf8')).split('\n').filter((l) => l !== ''));
  }
  return lines;
}

async function idsIn(directory: string): Promise<number[]> {
  return (await linesIn(directory)).map((line) => parseSpoolEntry(line).row['Id'] as number);
}

/** Spools rows `{ Id }` for each [target, ids] in order, into one spool (several files when small). */
async function spoolRows(
  directory: string,
  groups: readonly (readonly [StreamTarget, readonly number[]])[],
  maxFileBytes?: number,
): Promise<void> {
  const spool = new Spool(maxFileBytes === undefined ? { directory } : { directory, maxFileBytes });
  for (const [t, ids] of groups) {
    const result = await spool.write({ target: t, rows: ids.map((Id) => ({ Id })), bytes: 0 }, 'permanent');
    expect(result.refused).toBe(0);
  }
  await spool.close();
}

function range(from: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => from + i);
}

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'otel-sentinel-replay-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('replaySpool', () => {
  it('delivers every entry and removes the files', async () => {
    await spoolRows(dir, [[AUTH, range(0, 300)]], 2000);
    const files = (await spoolFiles(dir)).length;
    expect(files).toBeGreaterThan(1);
    const { deliver, calls } = recorder();

    const result = await replaySpool({ directory: dir, deliver });

    expect(calls.flatMap((c) => c.ids)).toEqual(range(0, 300));
    expect(result).toMatchObject({
      files,
      entries: 300,
      delivered: 300,
      failed: 0,
      unsent: 0,
      malformed: 0,
      aborted: false,
      perStream: { [`${DCR}/Custom-Auth`]: { entries: 300, delivered: 300, failed: 0 } },
    });
    expect(await readdir(dir)).toEqual([]);
  });

  it('keeps exactly the rows deliver hands back, and a second replay with a working deliver empties the spool', async () => {
    await spoolRows(dir, [[AUTH, range(0, 50)]], 1500);
    const first = await replaySpool({
      directory: dir,
      deliver: recorder((r) => (r['Id'] as number) % 7 === 0).deliver,
    });

    const failedIds = range(0, 50).filter((id) => id % 7 === 0);
    expect(first).toMatchObject({ delivered: 50 - failedIds.length, failed: failedIds.length });
    expect(await idsIn(dir)).toEqual(failedIds);

    const second = await replaySpool({ directory: dir, deliver: recorder().deliver });
    expect(second).toMatchObject({ entries: failedIds.length, delivered: failedIds.length, failed: 0 });
    expect(await readdir(dir)).toEqual([]);
  });

  it('keeps malformed lines verbatim and in place, and counts them', async () => {
    await spoolRows(dir, [[AUTH, range(0, 4)]]);
    const [name] = await spoolFiles(dir);
    const path = join(dir, name ?? '');
    const lines = (await readFile(path, 'utf8')).split('\n').filter((l) => l !== '');
    const torn = '{"time":"2026-01-02T03:04:05.006Z","reason":"perm';
    const foreign = '{"hello":"world"}';
    await writeFile(path, [lines[0], torn, lines[1], lines[2], foreign, lines[3], ''].join('\n'));

    const result = await replaySpool({ directory: dir, deliver: recorder((r) => r['Id'] === 2).deliver });

    expect(result).toMatchObject({ entries: 4, delivered: 3, failed: 1, malformed: 2 });
    expect(await readFile(path, 'utf8')).toBe([torn, lines[2], foreign, ''].join('\n'));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('leaves only the malformed lines once everything else is delivered', async () => {
    await spoolRows(dir, [[AUTH, range(0, 3)]]);
    const path = join(dir, (await spoolFiles(dir))[0] ?? '');
    await appendFile(path, 'not json\n');
    await replaySpool({ directory: dir, deliver: recorder(() => true).deliver });
    const result = await replaySpool({ directory: dir, deliver: recorder().deliver });
    expect(result).toMatchObject({ delivered: 3, malformed: 1 });
    expect(await readFile(path, 'utf8')).toBe('not json\n');
  });

  it('keeps the whole group when deliver throws, and counts the throw', async () => {
    await spoolRows(dir, [
      [AUTH, range(0, 3)],
      [AUDIT, range(3, 2)],
    ]);
    const before = await linesIn(dir);
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
    expect(await linesIn(dir)).toEqual(before.slice(0, 3));
  });

  it('leaves a file untouched when nothing of it was delivered', async () => {
    await spoolRows(dir, [[AUTH, range(0, 3)]]);
    const path = join(dir, (await spoolFiles(dir))[0] ?? '');
    await utimes(path, 1_000_000, 1_000_000);
    await replaySpool({ directory: dir, deliver: () => Promise.reject(new Error('offline')) });
    expect((await stat(path)).mtimeMs).toBe(1_000_000_000);
  });

  it('groups consecutive entries by target and sends them to the right target in order', async () => {
    await spoolRows(dir, [
      [AUTH, [0, 1]],
      [AUDIT, [2]],
      [AUTH, [3, 4, 5]],
      [AUDIT, [6, 7]],
      [target('Auth', 'dcr-other'), [8]],
    ]);
    const { deliver, calls } = recorder();
    const result = await replaySpool({ directory: dir, deliver });
    expect(calls).toEqual([
      { stream: 'Custom-Auth', ids: [0, 1] },
      { stream: 'Custom-Audit', ids: [2] },
      { stream: 'Custom-Auth', ids: [3, 4, 5] },
      { stream: 'Custom-Audit', ids: [6, 7] },
      { stream: 'Custom-Auth', ids: [8] },
    ]);
    expect(result.perStream).toEqual({
      [`${DCR}/Custom-Auth`]: { entries: 5, delivered: 5, failed: 0 },
      [`${DCR}/Custom-Audit`]: { entries: 3, delivered: 3, failed: 0 },
      ['dcr-other/Custom-Auth']: { entries: 1, delivered: 1, failed: 0 },
    });
  });

  it('holds rejected and unrouted entries in place and sends the rest around them', async () => {
    const entry = (id: number, reason: UndeliveredReason, t: StreamTarget = AUTH): string =>
      serializeSpoolEntry({ time: '2026-01-01T00:00:00.000Z', ...t, reason, row: { Id: id } });
    const none: StreamTarget = { endpoint: '', dcrImmutableId: '', stream: '', table: '' };
    const path = join(dir, 'sentinel-spool-20260101T000000000Z-1-000001.jsonl');
    const lines = [
      entry(0, 'permanent'),
      entry(1, 'rejected'),
      entry(2, 'queue-full'),
      entry(3, 'unrouted', none),
      entry(4, 'shutdown'),
    ];
    await writeFile(path, lines.join('\n') + '\n');
    const { deliver, calls } = recorder();

    const result = await replaySpool({ directory: dir, deliver });

    expect(calls).toEqual([{ stream: 'Custom-Auth', ids: [0, 2, 4] }]);
    expect(result).toMatchObject({ entries: 5, delivered: 3, held: 2, failed: 0, unsent: 0 });
    expect(result.perStream).toEqual({ [`${DCR}/Custom-Auth`]: { entries: 3, delivered: 3, failed: 0 } });
    expect(await readFile(path, 'utf8')).toBe([lines[1], lines[3], ''].join('\n'));
  });

  it('sends rejected entries when reasons asks for them, but never an entry without a target', async () => {
    const none: StreamTarget = { endpoint: '', dcrImmutableId: '', stream: '', table: '' };
    const spool = new Spool({ directory: dir });
    await spool.write({ target: AUTH, rows: [{ Id: 0 }], bytes: 0 }, 'rejected', 'E_REQUIRED_MISSING UserId');
    await spool.write({ target: none, rows: [{ Id: 1 }], bytes: 0 }, 'unrouted', 'E_UNROUTED');
    await spool.close();
    const { deliver, calls } = recorder();

    const result = await replaySpool({ directory: dir, deliver, reasons: ['rejected', 'unrouted'] });

    expect(calls).toEqual([{ stream: 'Custom-Auth', ids: [0] }]);
    expect(result).toMatchObject({ delivered: 1, held: 1 });
    expect(await idsIn(dir)).toEqual([1]);
  });

  it('hands deliver the target of the entries', async () => {
    await spoolRows(dir, [[AUDIT, [1]]]);
    const targets: StreamTarget[] = [];
    await replaySpool({
      directory: dir,
      deliver: (t) => {
        targets.push(t);
        return Promise.resolve([]);
      },
    });
    expect(targets).toEqual([AUDIT]);
  });

  it('sends at most batchSize rows per call', async () => {
    await spoolRows(dir, [[AUTH, range(0, 25)]]);
    const { deliver, calls } = recorder();
    await replaySpool({ directory: dir, deliver, batchSize: 10 });
    expect(calls.map((c) => c.ids.length)).toEqual([10, 10, 5]);
  });

  it('sends a batch early when the lines it keeps between its rows reach batchSize', async () => {
    const entry = (id: number, reason: UndeliveredReason): string =>
      serializeSpoolEntry({ time: '2026-01-01T00:00:00.000Z', ...AUTH, reason, row: { Id: id } });
    const lines = [
      entry(0, 'permanent'),
      entry(1, 'rejected'),
      'torn {',
      entry(2, 'rejected'),
      entry(3, 'permanent'),
    ];
    await writeFile(join(dir, 'sentinel-spool-20260101T000000000Z-1-000001.jsonl'), lines.join('\n') + '\n');
    const { deliver, calls } = recorder();
    await replaySpool({ directory: dir, deliver, batchSize: 3 });
    expect(calls.map((c) => c.ids)).toEqual([[0], [3]]);
    expect(await linesIn(dir)).toEqual([lines[1], lines[2], lines[3]]);
  });

  it('reads files oldest first, by name', async () => {
    const make = (id: number): string =>
      serializeSpoolEntry({
        time: '2026-01-01T00:00:00.000Z',
        ...AUTH,
        reason: 'shutdown',
        row: { Id: id },
      }) + '\n';
    await writeFile(join(dir, 'sentinel-spool-20260103T000000000Z-9-000001.jsonl'), make(3));
    await writeFile(join(dir, 'sentinel-spool-20260101T000000000Z-9-000001.jsonl'), make(1));
    await writeFile(join(dir, 'sentinel-spool-20260102T000000000Z-9-000001.jsonl'), make(2));
    await writeFile(join(dir, 'other-20260101T000000000Z-9-000001.jsonl'), make(0));
    const { deliver, calls } = recorder();
    const result = await replaySpool({ directory: dir, deliver });
    expect(calls.map((c) => c.ids[0])).toEqual([1, 2, 3]);
    expect(result.files).toBe(3);
    expect(await readdir(dir)).toEqual(['other-20260101T000000000Z-9-000001.jsonl']);
  });

  it('changes nothing in a dry run, and counts what it would send', async () => {
    await spoolRows(
      dir,
      [
        [AUTH, range(0, 30)],
        [AUDIT, range(30, 5)],
      ],
      1000,
    );
    const path = join(dir, (await spoolFiles(dir))[0] ?? '');
    await appendFile(path, 'garbage\n');
    const before = await Promise.all(
      (await spoolFiles(dir)).map(async (n) => [n, await readFile(join(dir, n), 'utf8')] as const),
    );
    const { deliver, calls } = recorder();

    const result = await replaySpool({ directory: dir, deliver, dryRun: true, batchSize: 20 });

    expect(calls).toEqual([]);
    expect(result).toMatchObject({ entries: 35, delivered: 0, failed: 0, unsent: 35, malformed: 1 });
    expect(result.batches).toBeGreaterThanOrEqual(3);
    const after = await Promise.all(
      (await spoolFiles(dir)).map(async (n) => [n, await readFile(join(dir, n), 'utf8')] as const),
    );
    expect(after).toEqual(before);
    expect(await readdir(dir)).toHaveLength(before.length);
  });

  it('stops between batches on abort and leaves what was not sent in place', async () => {
    await spoolRows(dir, [[AUTH, range(0, 40)]]);
    await spoolRows(dir, [[AUTH, range(40, 10)]]);
    const [, second] = await spoolFiles(dir);
    const secondBefore = await readFile(join(dir, second ?? ''), 'utf8');
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

    expect(calls).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
    ]);
    expect(result).toMatchObject({ aborted: true, delivered: 8, failed: 0 });
    expect(result.entries).toBe(result.delivered + result.failed + result.unsent + result.held);
    expect(result).toMatchObject({ files: 1, entries: 40, unsent: 32 });
    expect(await idsIn(dir)).toEqual(range(8, 42));
    expect(await readFile(join(dir, second ?? ''), 'utf8')).toBe(secondBefore);

    const rest = await replaySpool({ directory: dir, deliver: recorder().deliver });
    expect(rest).toMatchObject({ delivered: 42, aborted: false });
    expect(await readdir(dir)).toEqual([]);
  });

  it('does nothing when the signal is already aborted', async () => {
    await spoolRows(dir, [[AUTH, range(0, 3)]]);
    const { deliver, calls } = recorder();
    const result = await replaySpool({ directory: dir, deliver, signal: AbortSignal.abort() });
    expect(calls).toEqual([]);
    expect(result).toMatchObject({ aborted: true, files: 0, entries: 0 });
    expect(await idsIn(dir)).toEqual([0, 1, 2]);
  });

  it('leaves files modified within minAgeMs to the exporter writing them', async () => {
    await spoolRows(dir, [[AUTH, [1]]]);
    const old = join(dir, 'sentinel-spool-20200101T000000000Z-1-000001.jsonl');
    await writeFile(
      old,
      serializeSpoolEntry({ time: '2020-01-01T00:00:00.000Z', ...AUTH, reason: 'shutdown', row: { Id: 0 } }) +
        '\n',
    );
    await utimes(old, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    const { deliver, calls } = recorder();

    const result = await replaySpool({ directory: dir, deliver, minAgeMs: 60_000 });

    expect(calls.flatMap((c) => c.ids)).toEqual([0]);
    expect(result).toMatchObject({ files: 1, filesSkipped: 1, delivered: 1 });
    expect(await idsIn(dir)).toEqual([1]);
  });

  it('keeps lines a spool appended to the file while replay was reading it', async () => {
    await spoolRows(dir, [[AUTH, range(0, 3)]]);
    const path = join(dir, (await spoolFiles(dir))[0] ?? '');
    const late = serializeSpoolEntry({
      time: '2026-01-01T00:00:00.000Z',
      ...AUTH,
      reason: 'shutdown',
      row: { Id: 99 },
    });

    await replaySpool({
      directory: dir,
      deliver: async () => {
        await appendFile(path, late + '\n');
        return [];
      },
    });

    expect(await idsIn(dir)).toEqual([99]);
  });

  it('matches copies of the rows deliver hands back', async () => {
    await spoolRows(dir, [[AUTH, range(0, 4)]]);
    await replaySpool({
      directory: dir,
      deliver: (_t, rows) =>
        Promise.resolve(rows.filter((r) => r['Id'] === 1).map((r) => structuredClone(r))),
    });
    expect(await idsIn(dir)).toEqual([1]);
  });

  it('keeps the whole group when deliver hands back a row it was not given', async () => {
    await spoolRows(dir, [[AUTH, range(0, 4)]]);
    const result = await replaySpool({ directory: dir, deliver: () => Promise.resolve([{ Id: 'unknown' }]) });
    expect(result).toMatchObject({ delivered: 0, failed: 4 });
    expect(await idsIn(dir)).toEqual([0, 1, 2, 3]);
  });

  it('skips blank lines and removes a file that holds nothing', async () => {
    await writeFile(join(dir, 'sentinel-spool-20200101T000000000Z-1-000001.jsonl'), '\n\n  \n');
    await writeFile(join(dir, 'sentinel-spool-20200101T000000000Z-1-000002.jsonl'), '');
    const result = await replaySpool({ directory: dir, deliver: recorder().deliver });
    expect(result).toMatchObject({ files: 2, entries: 0, malformed: 0 });
    expect(await readdir(dir)).toEqual([]);
  });

  it('overwrites a temporary file left by a replay that crashed', async () => {
    await spoolRows(dir, [[AUTH, range(0, 3)]]);
    const path = join(dir, (await spoolFiles(dir))[0] ?? '');
    await writeFile(`${path}.tmp`, 'stale\n'.repeat(100));
    await replaySpool({ directory: dir, deliver: recorder((r) => r['Id'] === 0).deliver });
    expect(await readdir(dir)).toEqual([path.slice(dir.length + 1)]);
    expect(await idsIn(dir)).toEqual([0]);
  });

  it('throws ReplayError with the counts so far when the directory cannot be read', async () => {
    const missing = join(dir, 'missing');
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
  ])('rejects options %j naming field %s', async (override, field) => {
    await expect(replaySpool({ directory: dir, deliver: recorder().deliver, ...override })).rejects.toThrow(
      expect.objectContaining({ code: 'E_SPOOL_CONFIG', field }),
    );
    await expect(
      replaySpool({ directory: dir, deliver: recorder().deliver, ...override }),
    ).rejects.toBeInstanceOf(SpoolConfigError);
  });

  it('keeps every spooled row either delivered or in the files, for any batches and failures', async () => {
    const targets = [AUTH, AUDIT, target('Auth', 'dcr-second')];
    // `rejected` is held by replay: it must stay in the files through both replays.
    const reasons: UndeliveredReason[] = ['permanent', 'queue-full', 'shutdown', 'rejected'];
    const group = fc.record({
      target: fc.nat({ max: targets.length - 1 }),
      reason: fc.nat({ max: reasons.length - 1 }),
      fails: fc.array(fc.boolean(), { maxLength: 25 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(group, { maxLength: 12 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 300, max: 4000 }),
        fc.boolean(),
        async (groups, batchSize, maxFileBytes, throwSometimes) => {
          const run = await mkdtemp(join(dir, 'run-'));
          const spool = new Spool({ directory: run, maxFileBytes });
          const failing = new Set<number>();
          const held: number[] = [];
          let next = 0;
          for (const g of groups) {
            const reason = reasons[g.reason] ?? 'permanent';
            const rows = g.fails.map((fails) => {
              const Id = next++;
              if (fails) failing.add(Id);
              if (reason === 'rejected') held.push(Id);
              return { Id, Text: `row ${Id}` };
            });
            await spool.write({ target: targets[g.target] ?? AUTH, rows, bytes: 0 }, reason);
          }
          await spool.close();

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

          // Spooled = delivered + left in the files, with nothing in both.
          expect([...delivered, ...left].sort((a, b) => a - b)).toEqual(range(0, next));
          expect(result).toMatchObject({ entries: next, delivered: delivered.length, held: held.length });
          expect(result.failed + result.held).toBe(left.length);
          expect(result.entries).toBe(result.delivered + result.failed + result.unsent + result.held);
          for (const id of [...failing, ...held]) expect(left).toContain(id);

          // A second replay with a working deliver leaves only what replay holds.
          const second = await replaySpool({ directory: run, deliver: () => Promise.resolve([]) });
          expect(second.delivered).toBe(result.failed);
          expect(await idsIn(run)).toEqual(held);
          await rm(run, { recursive: true, force: true });
        },
      ),
      { numRuns: 60 },
    );
  });
});
