// The synchronous core of the store: one connection to `<directory>/<prefix>.sqlite`, its
// settings, and transactions. Used by the store's worker thread, by `saveSync` on the calling
// thread, and read-only by `readSpool`. Everything here may throw; callers describe the failure.

import { chmodSync, closeSync, constants, fchmodSync, mkdirSync, openSync, statSync } from 'node:fs';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { StreamTarget } from '../row-batch.ts';
import { loadSqlite } from './load-sqlite.ts';
import { ensureSchema, pragmaNumber, rollbackQuietly } from './store-schema.ts';
import type { StoreDurability } from './store-types.ts';

export interface StoreConfig {
  readonly directory: string;
  /** `<directory>/<prefix>.sqlite`. */
  readonly path: string;
  readonly maxTotalBytes: number;
  readonly durability: StoreDurability;
  /** How long a write waits for another process's transaction. */
  readonly busyTimeoutMs: number;
}

/** What a transaction writes, which decides how it is committed. */
export interface TransactionKind {
  /** fsync at commit whatever the durability: spool writes (dead letters survive a power cut). */
  readonly durable: boolean;
  /** Brings new data in: held below the bound by a reserve that moves out of the queue may use. */
  readonly intake: boolean;
}

/** The WAL is cut back to this after a checkpoint, so a burst does not keep its size for good. */
const JOURNAL_SIZE_LIMIT = 8 * 1024 * 1024;
const MIB = 1024 * 1024;
/** Pages given back per step of `vacuum()`: 8 MiB of 4 KiB pages. */
const VACUUM_STEP_PAGES = 2048;

export class StoreDatabase {
  readonly db: DatabaseSync;
  readonly config: StoreConfig;
  /** Transactions committed on this connection. */
  commits = 0;
  readonly #statements = new Map<string, StatementSync>();
  readonly #targetIds = new Map<string, number>();
  readonly #targets = new Map<number, StreamTarget>();
  readonly #pageSize: number;
  /** Made with incremental auto-vacuum: freed pages can be given back. */
  readonly #incremental: boolean;
  #synchronous = '';
  #pageLimit = -1;

  private constructor(db: DatabaseSync, config: StoreConfig) {
    this.db = db;
    this.config = config;
    this.#pageSize = pragmaNumber(db, 'page_size');
    this.#incremental = pragmaNumber(db, 'auto_vacuum') === 2;
  }

  /**
   * Opens the store for writing, creating the directory (0700) and the file (0600) first, so the
   * permissions do not depend on the umask and a file-system error comes with its errno. A store
   * of layout 1 is converted, unless `convert` is false: then it throws (`StoreSchemaError`).
   */
  static open(config: StoreConfig, options: { readonly convert?: boolean } = {}): StoreDatabase {
    createPrivately(config.directory, config.path);
    const { DatabaseSync } = loadSqlite();
    const db = new DatabaseSync(config.path, { timeout: config.busyTimeoutMs });
    try {
      db.exec(`PRAGMA busy_timeout = ${config.busyTimeoutMs}`);
      // Takes effect only in a new, empty file (before WAL and the tables): space that delivered
      // rows free is then given back to the file system by `PRAGMA incremental_vacuum`.
      db.exec('PRAGMA auto_vacuum = INCREMENTAL');
      db.exec('PRAGMA journal_mode = WAL');
      db.exec(`PRAGMA journal_size_limit = ${JOURNAL_SIZE_LIMIT}`);
      ensureSchema(db, options.convert ?? true);
      return new StoreDatabase(db, config);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /** A read-only connection that never creates anything; undefined when there is no store yet. */
  static openReadOnly(path: string, busyTimeoutMs: number): DatabaseSync | undefined {
    try {
      statSync(path);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
      throw error;
    }
    const { DatabaseSync } = loadSqlite();
    return new DatabaseSync(path, { readOnly: true, timeout: busyTimeoutMs });
  }

  /** BEGIN IMMEDIATE … COMMIT; rolled back (and rethrown) on any error, commit included. */
  transaction<T>(kind: TransactionKind, work: () => T): T {
    this.#setSynchronous(kind.durable || this.config.durability === 'disk' ? 'FULL' : 'NORMAL');
    this.#limitPages(kind.intake);
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.db.exec('COMMIT');
      this.commits++;
      return result;
    } catch (error) {
      rollbackQuietly(this.db);
      // A target added in this transaction is gone, and another process may take its id.
      this.#targetIds.clear();
      this.#targets.clear();
      throw error;
    }
  }

  statement(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /** The id of a target, added when new (inside the caller's transaction). */
  targetId(target: StreamTarget): number {
    const key = `${target.endpoint}\n${target.dcrImmutableId}\n${target.stream}\n${target.table}`;
    const known = this.#targetIds.get(key);
    if (known !== undefined) return known;
    const values = [target.endpoint, target.dcrImmutableId, target.stream, target.table];
    this.statement(
      'INSERT OR IGNORE INTO targets (endpoint, dcr_immutable_id, stream, table_name) VALUES (?, ?, ?, ?)',
    ).run(...values);
    const row = this.statement(
      'SELECT id FROM targets WHERE endpoint = ? AND dcr_immutable_id = ? AND stream = ? AND table_name = ?',
    ).get(...values);
    const id = Number(row?.['id']);
    this.#targetIds.set(key, id);
    this.#targets.set(id, target);
    return id;
  }

  target(id: number): StreamTarget {
    const known = this.#targets.get(id);
    if (known !== undefined) return known;
    const row = this.statement(
      'SELECT endpoint, dcr_immutable_id, stream, table_name FROM targets WHERE id = ?',
    ).get(id);
    const target: StreamTarget = {
      endpoint: String(row?.['endpoint'] ?? ''),
      dcrImmutableId: String(row?.['dcr_immutable_id'] ?? ''),
      stream: String(row?.['stream'] ?? ''),
      table: String(row?.['table_name'] ?? ''),
    };
    this.#targets.set(id, target);
    return target;
  }

  /** Bytes of the database file and its WAL. */
  fileBytes(): number {
    return sizeOf(this.config.path) + sizeOf(`${this.config.path}-wal`);
  }

  /**
   * Gives the pages delivered rows freed back to the file system, in steps that are each a short
   * transaction of their own, so other processes' commits get in between. A file made without
   * incremental auto-vacuum frees nothing, and the loop stops at once.
   */
  vacuum(): void {
    let free = pragmaNumber(this.db, 'freelist_count');
    while (free > 0) {
      this.db.exec(`PRAGMA incremental_vacuum(${VACUUM_STEP_PAGES})`);
      const left = pragmaNumber(this.db, 'freelist_count');
      if (left >= free) return;
      free = left;
    }
  }

  /** Pages of the file in use, and free (kept for later rows until given back). */
  pages(): { readonly used: number; readonly free: number } {
    // Prepared once: this runs after every commit that brings rows in.
    const free = Number(this.statement('PRAGMA freelist_count').get()?.['freelist_count'] ?? 0);
    const count = Number(this.statement('PRAGMA page_count').get()?.['page_count'] ?? 0);
    return { used: count - free, free };
  }

  /**
   * Gives up to `pages` free pages back to the file system, in a short transaction of its own;
   * returns how many it gave. A file made without incremental auto-vacuum gives none.
   */
  giveBack(pages: number): number {
    if (!this.#incremental || pages <= 0) return 0;
    const free = pragmaNumber(this.db, 'freelist_count');
    this.db.exec(`PRAGMA incremental_vacuum(${Math.floor(pages)})`);
    return Math.max(0, free - pragmaNumber(this.db, 'freelist_count'));
  }

  /**
   * Copies the WAL into the file without waiting for anyone: the file is cut to the size pages
   * given back left only then, not at the next automatic checkpoint a thousand pages later.
   */
  checkpoint(): void {
    this.db.exec('PRAGMA wal_checkpoint(PASSIVE)');
  }

  close(): void {
    this.#statements.clear();
    if (this.db.isOpen) this.db.close();
  }

  /** New data stops a reserve short of the bound, so entries can still move to the spool. */
  #limitPages(intake: boolean): void {
    const max = this.config.maxTotalBytes;
    const reserve = Math.min(Math.max(MIB, max / 100), max / 4);
    const pages = Math.max(1, Math.floor((intake ? max - reserve : max) / this.#pageSize));
    if (pages === this.#pageLimit) return;
    this.db.exec(`PRAGMA max_page_count = ${pages}`);
    this.#pageLimit = pages;
  }

  #setSynchronous(value: 'FULL' | 'NORMAL'): void {
    if (this.#synchronous === value) return;
    this.db.exec(`PRAGMA synchronous = ${value}`);
    this.#synchronous = value;
  }
}

/** The directory 0700 and the file 0600 when this creates them; what exists keeps its mode. */
function createPrivately(directory: string, path: string): void {
  let created: string | undefined;
  try {
    created = mkdirSync(directory, { recursive: true, mode: 0o700 });
  } catch (error) {
    // A recursive mkdir reports ENOENT for a parent it could not create (EROFS, EACCES); the
    // directory itself, made alone, says why.
    if ((error as { code?: unknown }).code !== 'ENOENT') throw error;
    mkdirSync(directory, { mode: 0o700 });
    created = directory;
  }
  if (created !== undefined) chmodSync(directory, 0o700);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDWR | constants.O_CREAT | constants.O_EXCL, 0o600);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
    // Opened for writing, so a read-only file or file system shows with its errno here.
    closeSync(openSync(path, constants.O_RDWR));
    return;
  }
  try {
    fchmodSync(fd, 0o600);
  } finally {
    closeSync(fd);
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
