// Spool files of versions before the store (JSON lines, written here by hand in that format) stay
// readable: replay imports each into the store once, then sends it. Lines that are not entries
// are kept in a file of their own; a file imported but not yet deleted is not imported again.
import { copyFileSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Row } from '@otel-sentinel/mapping';
import { describe, expect, it } from 'vitest';
import type { UndeliveredReason } from '../src/row-batch.ts';
import { replaySpool } from '../src/spool/replay.ts';
import { readSpool } from '../src/store/read-spool.ts';
import { TARGET, tempDir } from './support/store-fixtures.ts';

const FILE = 'sentinel-spool-20260101T000000000Z-4242-000001.jsonl';

function line(
  id: number,
  reason: UndeliveredReason = 'permanent',
  time = '2026-01-01T00:00:00.000Z',
): string {
  return JSON.stringify({ time, reason, detail: 'HTTP 403 OperationFailed', ...TARGET, row: { Id: id } });
}

function sender(into: number[]) {
  return (_t: unknown, rows: readonly Row[]): Promise<readonly Row[]> => {
    into.push(...rows.map((r) => r['Id'] as number));
    return Promise.resolve([]);
  };
}

describe('legacy JSON-lines spool files', () => {
  it('are imported with their time, reason and detail, sent, and removed', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, FILE),
      [line(0), line(1, 'rejected', '2026-01-01T00:00:01.000Z'), line(2)].join('\n') + '\n',
    );
    const sent: number[] = [];

    const result = await replaySpool({ directory: dir, deliver: sender(sent) });

    expect(sent).toEqual([0, 2]);
    expect(result).toMatchObject({ files: 1, imported: 3, delivered: 2, held: 1, entries: 3, malformed: 0 });
    expect(readdirSync(dir).filter((n) => n.endsWith('.jsonl'))).toEqual([]);
    expect((await readSpool({ directory: dir })).spool).toEqual([
      {
        time: '2026-01-01T00:00:01.000Z',
        reason: 'rejected',
        detail: 'HTTP 403 OperationFailed',
        ...TARGET,
        row: { Id: 1 },
      },
    ]);
  });

  it('are imported once, even when a replay stopped between its commit and deleting the file', async () => {
    const dir = tempDir();
    const path = join(dir, FILE);
    writeFileSync(path, [line(0), line(1)].join('\n') + '\n');
    copyFileSync(path, `${path}.copy`);
    const first: number[] = [];
    await replaySpool({ directory: dir, deliver: sender(first) });
    // The state a crash right after the import's commit leaves: the rows are in, the file is too.
    copyFileSync(`${path}.copy`, path);
    const second: number[] = [];

    const result = await replaySpool({ directory: dir, deliver: sender(second) });

    expect(first).toEqual([0, 1]);
    expect(second).toEqual([]);
    expect(result).toMatchObject({ files: 1, imported: 0 });
    expect(readdirSync(dir)).toEqual(expect.not.arrayContaining([FILE]));
  });

  it('import only what was appended to a file after it was imported', async () => {
    const dir = tempDir();
    const path = join(dir, FILE);
    writeFileSync(path, line(0) + '\n');
    copyFileSync(path, `${path}.copy`);
    const sent: number[] = [];
    await replaySpool({ directory: dir, deliver: sender(sent) });
    // Imported, not yet deleted, and an exporter of an older version appended to it meanwhile.
    copyFileSync(`${path}.copy`, path);
    writeFileSync(path, line(1) + '\n', { flag: 'a' });

    const result = await replaySpool({ directory: dir, deliver: sender(sent) });

    expect(sent).toEqual([0, 1]);
    expect(result).toMatchObject({ imported: 1, delivered: 1 });
  });

  it('keep lines that are not entries in a file of their own, counted every time', async () => {
    const dir = tempDir();
    const torn = '{"time":"2026-01-02T03:04:05.006Z","reason":"perm';
    const foreign = '{"hello":"world"}';
    writeFileSync(join(dir, FILE), [line(0), torn, line(1), '', foreign].join('\n') + '\n');

    const first = await replaySpool({ directory: dir, deliver: sender([]) });
    const kept = join(dir, `${FILE}.malformed`);
    expect(first).toMatchObject({ imported: 2, delivered: 2, malformed: 2, malformedFiles: [kept] });
    expect(readFileSync(kept, 'utf8')).toBe(`${torn}\n${foreign}\n`);
    expect(statSync(kept).mode & 0o777).toBe(0o600);

    const second = await replaySpool({ directory: dir, deliver: sender([]) });
    expect(second).toMatchObject({ imported: 0, malformed: 2 });
  });

  it('are read oldest first, by name, and other prefixes are left alone', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'sentinel-spool-20260103T000000000Z-9-000001.jsonl'), line(3) + '\n');
    writeFileSync(join(dir, 'sentinel-spool-20260101T000000000Z-9-000001.jsonl'), line(1) + '\n');
    writeFileSync(join(dir, 'sentinel-spool-20260102T000000000Z-9-000001.jsonl'), line(2) + '\n');
    writeFileSync(join(dir, 'other-20260101T000000000Z-9-000001.jsonl'), line(0) + '\n');
    const sent: number[] = [];
    const result = await replaySpool({ directory: dir, deliver: sender(sent) });
    expect(sent).toEqual([1, 2, 3]);
    expect(result.files).toBe(3);
    expect(readdirSync(dir).filter((n) => n.endsWith('.jsonl'))).toEqual([
      'other-20260101T000000000Z-9-000001.jsonl',
    ]);
  });

  it('modified within minAgeMs are left to the older exporter still writing them', async () => {
    const dir = tempDir();
    const old = 'sentinel-spool-20200101T000000000Z-1-000001.jsonl';
    writeFileSync(join(dir, old), line(0) + '\n');
    utimesSync(join(dir, old), new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    writeFileSync(join(dir, FILE), line(1) + '\n');
    const sent: number[] = [];
    const result = await replaySpool({ directory: dir, deliver: sender(sent), minAgeMs: 60_000 });
    expect(sent).toEqual([0]);
    expect(result).toMatchObject({ files: 1, filesSkipped: 1 });
    expect(readdirSync(dir)).toContain(FILE);
  });

  it('are counted, not imported, in a dry run', async () => {
    const dir = tempDir();
    const content = [line(0), 'garbage', line(1, 'unrouted')].join('\n') + '\n';
    writeFileSync(join(dir, FILE), content);
    const result = await replaySpool({ directory: dir, deliver: sender([]), dryRun: true });
    expect(result).toMatchObject({ files: 1, imported: 0, entries: 2, unsent: 1, held: 1, malformed: 1 });
    expect(readdirSync(dir)).toEqual([FILE]);
    expect(readFileSync(join(dir, FILE), 'utf8')).toBe(content);
  });
});
