// The tables of the store and their version. One `entries` table holds the write-ahead queue and
// the spool alike: an entry is in an owner's queue (owner set, no reason), in the spool (no owner,
// a reason), or claimed by a replay (both). Moving an entry between them is an UPDATE in place, so
// dead-lettering, claiming and taking over never copy a row and work even when the store is full.

import type { DatabaseSync } from 'node:sqlite';

/** `PRAGMA user_version` of the layout below; a store written by a later layout is refused. */
export const SCHEMA_VERSION = 1;
/** `PRAGMA application_id`: "OTSS", so `file` and a person can tell the file apart. */
export const APPLICATION_ID = 0x4f545353;

const TABLES = `
CREATE TABLE targets (
  id INTEGER PRIMARY KEY,
  endpoint TEXT NOT NULL,
  dcr_immutable_id TEXT NOT NULL,
  stream TEXT NOT NULL,
  table_name TEXT NOT NULL,
  UNIQUE (endpoint, dcr_immutable_id, stream, table_name)
);
CREATE TABLE owners (
  token TEXT PRIMARY KEY,
  pid INTEGER NOT NULL,
  host TEXT NOT NULL,
  pid_scope TEXT NOT NULL,
  thread INTEGER NOT NULL,
  process_start INTEGER NOT NULL,
  role TEXT NOT NULL,
  durability TEXT NOT NULL,
  started INTEGER NOT NULL,
  heartbeat INTEGER NOT NULL,
  ended INTEGER,
  held_in_memory INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE TABLE entries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  owner TEXT,
  taken INTEGER NOT NULL DEFAULT 1,
  target INTEGER NOT NULL REFERENCES targets (id),
  queued INTEGER NOT NULL,
  time TEXT,
  reason TEXT,
  detail TEXT,
  bytes INTEGER NOT NULL,
  row TEXT NOT NULL,
  CHECK (owner IS NOT NULL OR reason IS NOT NULL)
);
CREATE INDEX entries_by_owner ON entries (owner, id);
CREATE INDEX entries_adopted ON entries (owner, id) WHERE taken = 0;
CREATE TABLE forward (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  owner TEXT NOT NULL,
  taken INTEGER NOT NULL DEFAULT 1,
  queued INTEGER NOT NULL,
  records INTEGER NOT NULL,
  body BLOB NOT NULL
);
CREATE INDEX forward_by_owner ON forward (owner, id);
CREATE INDEX forward_adopted ON forward (owner, id) WHERE taken = 0;
CREATE TABLE imported (
  name TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  at INTEGER NOT NULL
) WITHOUT ROWID;
`;

/** Why a file cannot be used as a store; the message says what to do. */
export class StoreSchemaError extends Error {
  readonly code: 'SQLITE_NOTADB' | 'E_SPOOL_VERSION';
  constructor(code: 'SQLITE_NOTADB' | 'E_SPOOL_VERSION', message: string) {
    super(message);
    this.name = 'StoreSchemaError';
    this.code = code;
  }
}

/**
 * Creates the tables in a new file, or checks an existing one. Runs in its own write transaction,
 * so two processes opening a new store at once create it once.
 */
export function ensureSchema(db: DatabaseSync): void {
  db.exec('BEGIN IMMEDIATE');
  try {
    const version = pragmaNumber(db, 'user_version');
    const application = pragmaNumber(db, 'application_id');
    if (version === 0 && application === 0) {
      if (pragmaNumber(db, 'page_count') > 1 || hasTables(db)) {
        throw new StoreSchemaError('SQLITE_NOTADB', 'the file is an SQLite database of something else');
      }
      db.exec(TABLES);
      db.exec(`PRAGMA application_id = ${APPLICATION_ID}; PRAGMA user_version = ${SCHEMA_VERSION}`);
    } else if (application !== APPLICATION_ID) {
      throw new StoreSchemaError('SQLITE_NOTADB', 'the file is an SQLite database of something else');
    } else if (version > SCHEMA_VERSION) {
      throw new StoreSchemaError(
        'E_SPOOL_VERSION',
        `the store was written by a later otel-sentinel (layout ${version}, this one reads ${SCHEMA_VERSION}); upgrade`,
      );
    }
    db.exec('COMMIT');
  } catch (error) {
    rollbackQuietly(db);
    throw error;
  }
}

export function pragmaNumber(db: DatabaseSync, name: string): number {
  const row = db.prepare(`PRAGMA ${name}`).get();
  const value = row === undefined ? undefined : Object.values(row)[0];
  return typeof value === 'number' ? value : Number(value ?? 0);
}

/** After a failed statement the transaction may already be gone (SQLite rolls back on some errors). */
export function rollbackQuietly(db: DatabaseSync): void {
  try {
    // \`isTransaction\` is Node ≥ 22.16; before that, ROLLBACK is tried and "no transaction" ignored.
    if (!('isTransaction' in db) || db.isTransaction) db.exec('ROLLBACK');
  } catch {
    // Nothing to roll back, or the connection is unusable: the caller reports the first error.
  }
}

function hasTables(db: DatabaseSync): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' LIMIT 1").get() !== undefined;
}
