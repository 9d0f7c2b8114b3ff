// Looking inside a store without changing it: a read-only connection (WAL lets it read while a
// process writes), the same "has this owner ended?" rules as a take-over, and the entries a
// take-over or a replay would find: the spool, and the queues of owners that ended.

import { parseJsonExact } from '@otel-sentinel/mapping/exact-json';
import type { DatabaseSync } from 'node:sqlite';
import type { StreamTarget, UndeliveredReason } from '../row-batch.ts';
import { currentPlace, isEnded, liveSnapshot } from './owner-identity.ts';
import { isDone, maskOf } from './segment-ids.ts';
import { StoreDatabase } from './store-database.ts';
import { readOwners } from './store-owners.ts';
import { pragmaNumber, SCHEMA_VERSION, StoreSchemaError } from './store-schema.ts';
import type { OwnerRow } from './store-owners.ts';

/** Readers wait this long for a writer that holds the file (a WAL reset). */
const READ_BUSY_TIMEOUT_MS = 5000;
const DEFAULT_STALE_MS = 60_000;
const NO_TARGET: StreamTarget = { endpoint: '', dcrImmutableId: '', stream: '', table: '' };

/**
 * A read-only connection to the store at `path`, or undefined when there is no store yet (no
 * file, or one whose tables are still being made by the process creating it). Throws
 * `StoreSchemaError` for a layout this version does not read as it is.
 */
export function openReader(path: string): DatabaseSync | undefined {
  const db = StoreDatabase.openReadOnly(path, READ_BUSY_TIMEOUT_MS);
  if (db === undefined) return undefined;
  const version = pragmaNumber(db, 'user_version');
  if (version === SCHEMA_VERSION) return db;
  db.close();
  if (version === 0) return undefined;
  throw new StoreSchemaError(
    'E_SPOOL_VERSION',
    version < SCHEMA_VERSION
      ? `the store has layout ${version}, which is converted when a pipeline or replay opens it; read it after that`
      : `the store was written by a later otel-sentinel (layout ${version}, this one reads ${SCHEMA_VERSION}); upgrade`,
  );
}

/** The owners that ended (by the rules of a take-over), by key; the rest are alive. */
export function endedOwners(db: DatabaseSync, staleMs = DEFAULT_STALE_MS): Map<number, OwnerRow> {
  const view = { ...currentPlace(), live: liveSnapshot(), now: Date.now(), staleMs };
  return new Map(
    readOwners(db)
      .filter((o) => isEnded(o, view))
      .map((o) => [o.key, o]),
  );
}

/** A spool entry as stored, with its row still JSON text. */
export interface StoredEntry {
  readonly id: number;
  readonly target: StreamTarget;
  /** When it was accepted, ms since the epoch. */
  readonly queued: number;
  /** When it was spooled (ISO 8601). */
  readonly time: string;
  readonly reason: UndeliveredReason;
  readonly detail: string | null;
  readonly row: string;
}

/** A queued row a take-over would find: its owner's key, and the row (undefined when not read). */
export interface LeftRow {
  readonly owner: number;
  readonly target: StreamTarget;
  /** When it was accepted, ms since the epoch. */
  readonly queued: number;
  readonly row: unknown;
}

/**
 * The spool as a take-over or replay would find it, oldest first: entries no one claimed, and
 * the claims of owners that ended or are unknown (a take-over puts them back). `withRows: false`
 * reads an empty row text, for counting without loading the rows.
 */
export function* leftSpool(
  db: DatabaseSync,
  ended: ReadonlyMap<number, OwnerRow>,
  withRows = true,
): Generator<StoredEntry> {
  const { live, targets } = lookups(db, ended);
  const statement = db.prepare(
    `SELECT id, owner, target, queued, time, reason, detail, ${withRows ? 'row' : "'' AS row"} FROM spool ORDER BY id`,
  );
  for (const r of statement.iterate()) {
    if (r['owner'] !== null && live.has(Number(r['owner']))) continue; // a live replay's claim
    yield {
      id: Number(r['id']),
      target: targets.get(Number(r['target'])) ?? NO_TARGET,
      queued: Number(r['queued']),
      time: String(r['time']),
      reason: String(r['reason']) as UndeliveredReason,
      detail: r['detail'] === null ? null : String(r['detail']),
      row: String(r['row']),
    };
  }
}

/**
 * Rows in the queues of ended owners (or of no known owner) not settled yet, oldest first: what
 * a take-over would hand on. `withRows: false` leaves `row` undefined and parses nothing.
 */
export function* leftQueued(
  db: DatabaseSync,
  ended: ReadonlyMap<number, OwnerRow>,
  withRows = true,
): Generator<LeftRow> {
  const { live, targets } = lookups(db, ended);
  const statement = db.prepare(
    withRows
      ? 'SELECT s.owner, s.target, s.queued, s.count, s.done, r.rows FROM segments s JOIN segment_rows r ON r.id = s.id ORDER BY s.id'
      : 'SELECT owner, target, queued, count, done FROM segments ORDER BY id',
  );
  for (const s of statement.iterate()) {
    const owner = Number(s['owner']);
    if (live.has(owner)) continue;
    const count = Number(s['count']);
    const mask = maskOf(s['done'], count);
    const rows: unknown = withRows ? parseJsonExact(String(s['rows'])) : undefined;
    const target = targets.get(Number(s['target'])) ?? NO_TARGET;
    for (let i = 0; i < count; i++) {
      if (isDone(mask, i)) continue;
      yield { owner, target, queued: Number(s['queued']), row: Array.isArray(rows) ? rows[i] : undefined };
    }
  }
}

/** Keys of the owners with a row that have not ended, and the targets by id. */
function lookups(
  db: DatabaseSync,
  ended: ReadonlyMap<number, OwnerRow>,
): { live: Set<number>; targets: Map<number, StreamTarget> } {
  const live = new Set(
    readOwners(db)
      .map((o) => o.key)
      .filter((key) => !ended.has(key)),
  );
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
  return { live, targets };
}
