// Looking inside a store without changing it: a read-only connection (WAL lets it read while a
// process writes), the same "has this owner ended?" rules as a take-over, and the entries a
// take-over or a replay would find: the spool, and the queues of owners that ended.

import type { DatabaseSync } from 'node:sqlite';
import type { StreamTarget, UndeliveredReason } from '../row-batch.ts';
import { currentPlace, isEnded, liveSnapshot } from './owner-identity.ts';
import { StoreDatabase } from './store-database.ts';
import { readOwners } from './store-owners.ts';
import { pragmaNumber } from './store-schema.ts';
import type { OwnerRow } from './store-owners.ts';

/** Readers wait this long for a writer that holds the file (a WAL reset). */
const READ_BUSY_TIMEOUT_MS = 5000;
const DEFAULT_STALE_MS = 60_000;

/**
 * A read-only connection to the store at `path`, or undefined when there is no store yet (no
 * file, or one whose tables are still being made by the process creating it).
 */
export function openReader(path: string): DatabaseSync | undefined {
  const db = StoreDatabase.openReadOnly(path, READ_BUSY_TIMEOUT_MS);
  if (db === undefined || pragmaNumber(db, 'user_version') !== 0) return db;
  db.close();
  return undefined;
}

/** The owners that ended (by the rules of a take-over), by token; the rest are alive. */
export function endedOwners(db: DatabaseSync, staleMs = DEFAULT_STALE_MS): Map<string, OwnerRow> {
  const view = { ...currentPlace(), live: liveSnapshot(), now: Date.now(), staleMs };
  return new Map(
    readOwners(db)
      .filter((o) => isEnded(o, view))
      .map((o) => [o.token, o]),
  );
}

/** An entry as stored, with its row still JSON text. */
export interface StoredEntry {
  readonly id: number;
  /** The owner token; null in the spool. */
  readonly owner: string | null;
  readonly target: StreamTarget;
  /** When it was accepted, ms since the epoch. */
  readonly queued: number;
  /** When it was spooled (ISO 8601), with its reason; null while in a queue. */
  readonly time: string | null;
  readonly reason: UndeliveredReason | null;
  readonly detail: string | null;
  readonly row: string;
}

/**
 * Entries a take-over or replay would find, oldest first: the spool (claims of ended replays
 * included: a take-over puts them back) and the queues of ended owners (or of no known owner).
 * `withRows: false` reads an empty row text, for counting without loading the rows.
 */
export function* leftEntries(
  db: DatabaseSync,
  ended: ReadonlyMap<string, OwnerRow>,
  withRows = true,
): Generator<StoredEntry> {
  const known = new Set(readOwners(db).map((o) => o.token));
  const targets = new Map<number, StreamTarget>();
  for (const t of db
    .prepare('SELECT id, endpoint, dcr_immutable_id, stream, table_name FROM targets')
    .iterate()) {
    targets.set(Number(t['id']), {
      endpoint: String(t['endpoint']),
      dcrImmutableId: String(t['dcr_immutable_id']),
      stream: String(t['stream']),
      table: String(t['table_name']),
    });
  }
  const statement = db.prepare(
    `SELECT id, owner, target, queued, time, reason, detail, ${withRows ? 'row' : "'' AS row"} FROM entries ORDER BY id`,
  );
  for (const r of statement.iterate()) {
    const owner = r['owner'] === null ? null : String(r['owner']);
    if (owner !== null && known.has(owner) && !ended.has(owner)) continue; // a live owner's
    yield {
      id: Number(r['id']),
      owner,
      target: targets.get(Number(r['target'])) ?? { endpoint: '', dcrImmutableId: '', stream: '', table: '' },
      queued: Number(r['queued']),
      time: r['time'] === null ? null : String(r['time']),
      reason: r['reason'] === null ? null : (String(r['reason']) as UndeliveredReason),
      detail: r['detail'] === null ? null : String(r['detail']),
      row: String(r['row']),
    };
  }
}
