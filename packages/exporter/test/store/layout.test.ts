// The store's file layout: a store of layout 1 (one `entries` row per row, written by the first
// builds of the store) is converted in place when a pipeline or replay opens it, with nothing
// lost and nothing sent twice; a file of a later layout is refused and left unchanged.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replaySpool } from '../../src/spool/replay.ts';
import { loadSqlite } from '../../src/store/load-sqlite.ts';
import { readSpool } from '../../src/store/read-spool.ts';
import { openStore, storeFor, TARGET, tempDir } from '../support/store-fixtures.ts';

/** Layout 1's tables, as its code created them. */
const LAYOUT_1 = `
CREATE TABLE targets (id INTEGER PRIMARY KEY, endpoint TEXT NOT NULL, dcr_immutable_id TEXT NOT NULL,
  stream TEXT NOT NULL, table_name TEXT NOT NULL, UNIQUE (endpoint, dcr_immutable_id, stream, table_name));
CREATE TABLE owners (token TEXT PRIMARY KEY, pid INTEGER NOT NULL, host TEXT NOT NULL, pid_scope TEXT NOT NULL,
  thread INTEGER NOT NULL, process_start INTEGER NOT NULL, role TEXT NOT NULL, durability TEXT NOT NULL,
  started INTEGER NOT NULL, heartbeat INTEGER NOT NULL, ended INTEGER, held_in_memory INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE TABLE entries (id INTEGER PRIMARY KEY AUTOINCREMENT, owner TEXT, taken INTEGER NOT NULL DEFAULT 1,
  target INTEGER NOT NULL REFERENCES targets (id), queued INTEGER NOT NULL, time TEXT, reason TEXT, detail TEXT,
  bytes INTEGER NOT NULL, row TEXT NOT NULL, CHECK (owner IS NOT NULL OR reason IS NOT NULL));
CREATE INDEX entries_by_owner ON entries (owner, id);
CREATE INDEX entries_adopted ON entries (owner, id) WHERE taken = 0;
CREATE TABLE forward (id INTEGER PRIMARY KEY AUTOINCREMENT, owner TEXT NOT NULL, taken INTEGER NOT NULL DEFAULT 1,
  queued INTEGER NOT NULL, records INTEGER NOT NULL, body BLOB NOT NULL);
CREATE INDEX forward_by_owner ON forward (owner, id);
CREATE INDEX forward_adopted ON forward (owner, id) WHERE taken = 0;
CREATE TABLE imported (name TEXT PRIMARY KEY, size INTEGER NOT NULL, at INTEGER NOT NULL) WITHOUT ROWID;
`;

function open(directory: string): InstanceType<ReturnType<typeof loadSqlite>['DatabaseSync']> {
  return new (loadSqlite().DatabaseSync)(join(directory, 'sentinel-spool.sqlite'));
}

/**
 * A layout-1 store as a gateway that stopped left it: rows 1–3 queued (row 2 already delivered
 * and deleted, so 1 and 3), a body for its upstream, spool entries 4 and 5, entry 6 claimed by a
 * replay that died, and row 7 queued by an owner whose record is gone.
 */
function layout1Store(directory: string): void {
  const db = open(directory);
  db.exec('PRAGMA auto_vacuum = INCREMENTAL; PRAGMA journal_mode = WAL');
  db.exec(LAYOUT_1);
  db.exec('PRAGMA application_id = 1330926419; PRAGMA user_version = 1');
  db.prepare('INSERT INTO targets VALUES (1, ?, ?, ?, ?)').run(
    TARGET.endpoint,
    TARGET.dcrImmutableId,
    TARGET.stream,
    TARGET.table,
  );
  const owner = db.prepare(
    "INSERT INTO owners VALUES (?, 4242, 'elsewhere', '', 0, 0, ?, 'disk', 1000, 2000, ?, 0)",
  );
  owner.run('gateway-token', 'gateway', 2000);
  owner.run('replay-token', 'replay', null); // killed: its heartbeat is long stale
  const entry = db.prepare(
    'INSERT INTO entries (id, owner, taken, target, queued, time, reason, detail, bytes, row) VALUES (?, ?, 1, 1, ?, ?, ?, ?, 0, ?)',
  );
  entry.run(1, 'gateway-token', 1500, null, null, null, '{"Seq":1}');
  entry.run(3, 'gateway-token', 1600, null, null, null, '{"Seq":3}');
  entry.run(4, null, 1700, '2026-12-07T05:00:00.000Z', 'permanent', 'HTTP 403', '{"Seq":4}');
  entry.run(5, null, 1800, '2026-12-07T05:00:01.000Z', 'retries-exhausted', null, '{"Seq":5}');
  entry.run(6, 'replay-token', 1900, '2026-12-07T05:00:02.000Z', 'shutdown', 'not sent', '{"Seq":6}');
  entry.run(7, 'forgotten-token', 1950, null, null, null, '{"Seq":7}');
  db.prepare(
    "INSERT INTO forward (owner, taken, queued, records, body) VALUES ('gateway-token', 1, 1, 3, ?)",
  ).run(new Uint8Array([1, 2, 3]));
  db.close();
}

function pragma(directory: string, name: string): unknown {
  const db = open(directory);
  try {
    return Object.values(db.prepare(`PRAGMA ${name}`).get() ?? {})[0];
  } finally {
    db.close();
  }
}

describe('the layout of the file', () => {
  it('converts a layout-1 store in place: queued rows are taken over, the spool keeps its entries', async () => {
    const directory = tempDir();
    layout1Store(directory);

    const store = storeFor({ directory, role: 'gateway' });
    const report = await store.open();

    expect(report).toMatchObject({ rows: 3, forwards: 1, returnedToSpool: 1 });
    expect(report.owners).toContainEqual(expect.objectContaining({ pid: 4242, role: 'gateway', rows: 2 }));
    expect((await store.takeAdopted(10)).map((q) => [q.row['Seq'], q.target])).toEqual([
      [1, TARGET],
      [3, TARGET],
      [7, TARGET],
    ]);
    expect((await store.takeAdoptedForwards(10)).map((f) => [...f.body])).toEqual([[1, 2, 3]]);
    expect((await readSpool({ directory })).spool).toEqual([
      {
        time: '2026-12-07T05:00:00.000Z',
        ...TARGET,
        reason: 'permanent',
        detail: 'HTTP 403',
        row: { Seq: 4 },
      },
      { time: '2026-12-07T05:00:01.000Z', ...TARGET, reason: 'retries-exhausted', row: { Seq: 5 } },
      {
        time: '2026-12-07T05:00:02.000Z',
        ...TARGET,
        reason: 'shutdown',
        detail: 'not sent',
        row: { Seq: 6 },
      },
    ]);
    expect(pragma(directory, 'user_version')).toBe(2);
    expect(pragma(directory, 'integrity_check')).toBe('ok');
  });

  it('sends a converted store once with replay', async () => {
    const directory = tempDir();
    layout1Store(directory);
    const sent: unknown[] = [];

    const result = await replaySpool({
      directory,
      deliver: (_target, rows) => {
        sent.push(...rows.map((r) => r['Seq']));
        return Promise.resolve([]);
      },
    });

    expect(sent).toEqual([1, 3, 7, 4, 5, 6]);
    expect(result).toMatchObject({ takenOver: 3, delivered: 6, failed: 0 });
    expect(await readSpool({ directory })).toEqual({ spool: [], queued: [] });
  });

  it('is read by readSpool only once converted, and says so', async () => {
    const directory = tempDir();
    layout1Store(directory);
    await expect(readSpool({ directory })).rejects.toMatchObject({
      code: 'E_SPOOL_VERSION',
      message: expect.stringMatching(/layout 1, which is converted when a pipeline or replay opens it/),
    });
    expect(pragma(directory, 'user_version')).toBe(1);
  });

  it('refuses a store of a later layout and leaves it as it is', async () => {
    const directory = tempDir();
    await (await openStore({ directory })).close({ ended: true });
    const db = open(directory);
    db.exec('PRAGMA user_version = 3');
    db.close();

    await expect(storeFor({ directory }).open()).rejects.toMatchObject({
      code: 'E_SPOOL_IO',
      systemCode: 'E_SPOOL_VERSION',
    });
    expect(pragma(directory, 'user_version')).toBe(3);
  });
});
