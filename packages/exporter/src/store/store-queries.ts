// Counting what the store holds, and the record of legacy spool files already imported.

import type { DatabaseSync } from 'node:sqlite';
import type { SpoolEntry } from '../spool/spool-entry.ts';
import { targetOf } from '../spool/spool-entry.ts';
import type { StoreDatabase } from './store-database.ts';
import { appendToSpool } from './store-spool.ts';

/** A spool entry replay sends: one of its reasons, and a target to send it to. */
const REPLAYABLE =
  "e.reason IN (SELECT value FROM json_each(?)) AND t.endpoint != '' AND t.dcr_immutable_id != '' AND t.stream != ''";

/** Rows in an owner's queue not settled yet, and spool entries it (a replay) has claimed. */
export function countOwn(db: DatabaseSync, owner: number): number {
  return count(
    db,
    'SELECT (SELECT coalesce(sum(pending), 0) FROM segments WHERE owner = ?1) + ' +
      '(SELECT count(*) FROM spool WHERE owner = ?1) AS n',
    owner,
  );
}

export function countSpooled(db: DatabaseSync): number {
  return count(db, 'SELECT count(*) AS n FROM spool WHERE owner IS NULL');
}

/** Spool entries replay leaves (`held`), and those it would send after `afterId` (`remaining`). */
export function countReplayable(
  db: DatabaseSync,
  reasons: readonly string[],
  afterId: number,
): { held: number; remaining: number } {
  const from = 'FROM spool e JOIN targets t ON t.id = e.target WHERE e.owner IS NULL';
  const list = JSON.stringify(reasons);
  return {
    held: count(db, `SELECT count(*) AS n ${from} AND NOT (${REPLAYABLE})`, list),
    remaining: count(db, `SELECT count(*) AS n ${from} AND ${REPLAYABLE} AND e.id > ?`, list, afterId),
  };
}

/** Bytes of a legacy file already imported, or undefined when it never was. */
export function importedSize(db: DatabaseSync, name: string): number | undefined {
  const row = db.prepare('SELECT size FROM imported WHERE name = ?').get(name);
  return row === undefined ? undefined : Number(row['size']);
}

/**
 * Adds a legacy file's entries (bytes `from`…`size` of it) to the spool and records the file as
 * imported up to `size`, in the caller's transaction. Undefined, with nothing written, when the
 * record no longer says `from`: another replay imported the same bytes meanwhile.
 */
export function importEntries(
  store: StoreDatabase,
  name: string,
  from: number,
  size: number,
  entries: readonly SpoolEntry[],
): number | undefined {
  if ((importedSize(store.db, name) ?? 0) !== from) return undefined;
  let written = 0;
  for (const entry of entries) {
    const mark = { time: entry.time, reason: entry.reason, detail: entry.detail };
    written += appendToSpool(store, targetOf(entry), [JSON.stringify(entry.row)], mark);
  }
  store
    .statement(
      'INSERT INTO imported (name, size, at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET size = excluded.size, at = excluded.at',
    )
    .run(name, size, Date.now());
  return written;
}

function count(db: DatabaseSync, sql: string, ...values: (string | number)[]): number {
  return Number(db.prepare(sql).get(...values)?.['n'] ?? 0);
}
