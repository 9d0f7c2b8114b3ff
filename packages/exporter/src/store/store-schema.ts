// The store's layout version and header: a new file gets the tables, a file of layout 1 is
// converted in place, a file of a later layout or of another application is refused unchanged.

import { OtelSentinelError } from '@otel-sentinel/mapping/errors';
import type { DatabaseSync } from 'node:sqlite';
import { TABLES } from './store-layout.ts';
import { migrateFromLayout1 } from './store-migrate.ts';

/** `PRAGMA user_version` of the layout below; a store written by a later layout is refused. */
export const SCHEMA_VERSION = 2;
/** `PRAGMA application_id`: "OTSS", so `file` and a person can tell the file apart. */
export const APPLICATION_ID = 0x4f545353;

/** Why a file cannot be used as a store; the message says what to do. */
export class StoreSchemaError extends OtelSentinelError {
  declare readonly code: 'SQLITE_NOTADB' | 'E_SPOOL_VERSION';
}

/**
 * Creates the tables in a new file, or checks an existing one and converts one of layout 1 in
 * place (unless `convert` is false: then it throws, and the caller leaves that to another). Runs in its own write transaction, so two processes opening a new store at once create
 * (or convert) it once, and a crash part-way leaves the file as it was.
 */
export function ensureSchema(db: DatabaseSync, convert = true): void {
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
    } else if (version === 1) {
      if (!convert)
        throw new StoreSchemaError('E_SPOOL_VERSION', 'the store has layout 1: it is converted first');
      migrateFromLayout1(db);
      db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
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
