// Owners and take-over: what an ended process left in its queue becomes the next owner's at once
// when it is known to be gone (killed, stopped, a pid of this process no store holds), after the
// stale limit when it cannot be known (another host), and never while it is alive.
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSqlite } from '../../src/store/load-sqlite.ts';
import { currentPlace } from '../../src/store/owner-identity.ts';
import {
  kill,
  NODES,
  openStore,
  rowsOf,
  startChild,
  storeFor,
  TARGET,
  tempDir,
} from '../support/store-fixtures.ts';

/** Writes an owner row as a process elsewhere would have, with one queued call of `rows` rows. */
function plantOwner(
  directory: string,
  owner: { host: string; pid: number; heartbeat: number; processStart?: number },
  rows: number,
): void {
  const db = new (loadSqlite().DatabaseSync)(join(directory, 'sentinel-spool.sqlite'));
  const key = db
    .prepare(
      "INSERT INTO owners (token, pid, host, pid_scope, thread, process_start, role, durability, started, heartbeat, held_in_memory) VALUES ('planted', ?, ?, ?, 0, ?, 'exporter', 'memory', ?, ?, 7) RETURNING id",
    )
    .get(
      owner.pid,
      owner.host,
      currentPlace().pidScope,
      owner.processStart ?? 0,
      owner.heartbeat,
      owner.heartbeat,
    )?.['id'];
  db.exec(
    "INSERT OR IGNORE INTO targets (endpoint, dcr_immutable_id, stream, table_name) VALUES ('https://e', 'dcr-1', 'Custom-P', 'P_CL')",
  );
  const target = db.prepare('SELECT id FROM targets LIMIT 1').get()?.['id'] ?? 1;
  const segment = db
    .prepare(
      'INSERT INTO segments (owner, target, queued, count, pending, taken) VALUES (?, ?, 0, ?, ?, ?) RETURNING id',
    )
    .get(key ?? 0, target, rows, rows, rows)?.['id'];
  db.prepare('INSERT INTO segment_rows (id, rows) VALUES (?, ?)').run(
    segment ?? 0,
    JSON.stringify(Array.from({ length: rows }, () => ({ Seq: 0 }))),
  );
  db.close();
}

describe.each(NODES)('owners, with children on %s', (node) => {
  it('takes over at once what a process killed with SIGKILL left in its queue', async () => {
    const directory = tempDir();
    const child = startChild(['hold', directory, 'disk', '25', '0'], node);
    await child.line(/^ready$/);
    await kill(child);

    const store = storeFor({ directory });
    const report = await store.open();

    expect(report.rows).toBe(25);
    expect(report.owners).toEqual([
      expect.objectContaining({
        pid: child.process.pid,
        host: hostname(),
        clean: false,
        rows: 25,
        durability: 'disk',
      }),
    ]);
    const taken = await store.takeAdopted(100);
    expect(taken.map((q) => q.row['Seq'])).toEqual(rowsOf(25).map((r) => r['Seq']));
    expect(taken[0]?.target).toEqual(expect.objectContaining({ stream: 'Custom-Child' }));
    expect(await store.takeAdopted(100)).toEqual([]);
  });

  it('reports what a killed memory-durability process held in memory only', async () => {
    const directory = tempDir();
    const child = startChild(['hold', directory, 'memory', '0', '42'], node);
    await child.line(/^ready$/);
    await kill(child);

    const report = await storeFor({ directory }).open();

    expect(report.owners).toEqual([
      expect.objectContaining({ clean: false, heldInMemory: 42, durability: 'memory', rows: 0 }),
    ]);
  });

  it('reports what was held in memory even when the process dies long before its next heartbeat', async () => {
    const directory = tempDir();
    const child = startChild(['hold', directory, 'memory', '0', '17', '20000'], node);
    await child.line(/^ready$/);
    await kill(child);

    const report = await storeFor({ directory }).open();

    expect(report.owners).toEqual([expect.objectContaining({ clean: false, heldInMemory: 17 })]);
  });

  it('knows a process killed before its store’s worker had opened, and what it held', async () => {
    const directory = tempDir();
    const child = startChild(['early', directory, '9'], node);
    await child.ended;
    expect(child.process.signalCode).toBe('SIGKILL');

    const report = await storeFor({ directory }).open();

    expect(report.owners).toEqual([
      expect.objectContaining({ pid: child.process.pid, clean: false, heldInMemory: 9 }),
    ]);
  });

  it('takes over at once after a clean close, with nothing reported lost', async () => {
    const directory = tempDir();
    const child = startChild(['close', directory, '5'], node);
    await child.line(/^closed$/);
    await child.ended;

    const report = await storeFor({ directory }).open();

    expect(report).toMatchObject({ rows: 5, owners: [{ clean: true, heldInMemory: 0, rows: 5 }] });
  });

  it('never takes what a live process holds, and takes it once that process is killed', async () => {
    const directory = tempDir();
    const child = startChild(['hold', directory, 'disk', '8', '0'], node);
    await child.line(/^ready$/);
    const store = storeFor({ directory, adoptionCheckMs: 50 });
    const later: number[] = [];
    store.onAdopted((r) => later.push(r.rows));

    expect((await store.open()).rows).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(later).toEqual([]);
    expect(await store.takeAdopted(10)).toEqual([]);

    await kill(child);
    await expect.poll(() => later, { timeout: 5000 }).toEqual([8]);
    expect(await store.takeAdopted(10)).toHaveLength(8);
  });
});

describe('owners within one process and on other hosts', () => {
  it('takes over an owner of this process that no store here holds any more', async () => {
    const directory = tempDir();
    const first = storeFor({ directory });
    await first.open();
    await first.enqueue(TARGET, rowsOf(3));
    await first.close(); // not ended: as if its pipeline had died without a word

    const report = await storeFor({ directory }).open();
    expect(report).toMatchObject({ rows: 3, owners: [{ pid: process.pid, clean: false }] });
  });

  it('leaves a live owner of this process alone', async () => {
    const directory = tempDir();
    const first = await openStore({ directory });
    await first.enqueue(TARGET, rowsOf(3));
    const second = storeFor({ directory });
    expect((await second.open()).rows).toBe(0);
    expect(await second.takeAdopted(10)).toEqual([]);
    expect(first.stats().queued).toBe(3);
  });

  it('takes over an owner with this pid but another process start: a restarted container', async () => {
    const directory = tempDir();
    await (await openStore({ directory })).close({ ended: true });
    plantOwner(directory, { host: hostname(), pid: process.pid, heartbeat: Date.now(), processStart: 1 }, 2);
    expect((await openStore({ directory })).stats().queued).toBe(2);
  });

  it('takes over an owner on another host only once its heartbeat is older than the stale limit', async () => {
    const directory = tempDir();
    await (await openStore({ directory })).close({ ended: true });
    plantOwner(directory, { host: 'elsewhere', pid: 1, heartbeat: Date.now() - 1000 }, 4);
    const fresh = storeFor({ directory, staleOwnerMs: 30_000, heartbeatMs: 1000 });
    expect((await fresh.open()).rows).toBe(0);
    await fresh.close({ ended: true });

    const impatient = storeFor({ directory, staleOwnerMs: 500, heartbeatMs: 100 });
    const report = await impatient.open();
    expect(report.rows).toBe(4);
    expect(report.owners).toContainEqual(
      expect.objectContaining({ host: 'elsewhere', clean: false, heldInMemory: 7 }),
    );
  });

  it('puts what an ended replay had claimed back in the spool, unchanged', async () => {
    const directory = tempDir();
    const writer = await openStore({ directory });
    await writer.spool(TARGET, rowsOf(4), 'permanent', 'HTTP 403');
    const replay = await openStore({ directory, role: 'replay' });
    const claimed = await replay.claim(0, 10, ['permanent']);
    expect(claimed).toHaveLength(4);
    await replay.close(); // dies holding its claims

    const next = await openStore({ directory });
    expect(next.stats().spooled).toBe(4);
    const again = await next.claim(0, 10, ['permanent']);
    expect(Array.isArray(again) ? again.map((e) => [e.reason, e.detail, e.row['Seq']]) : again).toEqual(
      [0, 1, 2, 3].map((seq) => ['permanent', 'HTTP 403', seq]),
    );
  });
});
