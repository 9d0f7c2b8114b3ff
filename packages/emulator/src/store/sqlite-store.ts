// The embedded store: one SQLite table per custom table, typed columns plus `_TimeReceived`,
// in one file (WAL) that outlives the process. Column types are kept in a catalog table, so
// values read back as the JSON they were (booleans, dynamic objects) after a restart.

import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import { loadNodeSqlite } from '@otel-sentinel/mapping/node-sqlite';
import type {
  ColumnDef,
  DayVolume,
  RecordedFunction,
  RecordedWorkspace,
  Row,
  Store,
  TableDef,
} from '../model.js';
import { decodeValue, encodeValue, isoDateTime, sqlType } from './column-codec.js';
import { createDeliveryTable, DELIVERY_TABLE, readDeliveries, writeDelivery } from './delivery-record.js';
import { StoreError } from './store-error.js';
import { textBytesSql } from './text-bytes.js';
import {
  createWorkspaceTable,
  readWorkspace,
  WORKSPACE_TABLE,
  writeFunction,
  writeWorkspace,
} from './workspace-record.js';

/** Kept by the store on every row: when the emulator received it. */
export const TIME_RECEIVED = '_TimeReceived';
/** Where the Log Analytics type of every column is kept (SQLite's own types are coarser). */
const META = '_otel_sentinel_columns';

interface TableState {
  readonly name: string;
  readonly columns: ColumnDef[];
  insert: StatementSync | undefined;
}

/**
 * Opens (or creates) the store in `file`; `:memory:` keeps it in memory.
 * @internal Exported for the CLI's `emulator query`, which reads a stopped emulator's store.
 */
export function openStore(file: string): Store {
  return new SqliteStore(file);
}

/** `"name"` with embedded quotes doubled: any name is safe in SQL text this way. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

class SqliteStore implements Store {
  private readonly db: DatabaseSync;
  /** Lower-cased name → table: SQLite compares identifiers without case. */
  private readonly tables = new Map<string, TableState>();
  private open = true;

  constructor(file: string) {
    // Loaded here, not imported: Node 22's SQLite ExperimentalWarning is kept from the user.
    const { DatabaseSync: Database } = loadNodeSqlite('the emulator store');
    this.db = new Database(file);
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');
    this.db.exec(
      `CREATE TABLE IF NOT EXISTS ${quoteIdentifier(META)} (table_name TEXT NOT NULL, column_name TEXT NOT NULL, ` +
        'column_type TEXT NOT NULL, PRIMARY KEY (table_name, column_name))',
    );
    createWorkspaceTable(this.db);
    createDeliveryTable(this.db);
    const rows = this.db
      .prepare(`SELECT table_name, column_name, column_type FROM ${quoteIdentifier(META)} ORDER BY rowid`)
      .all();
    for (const r of rows) {
      const [table, name, type] = [String(r.table_name), String(r.column_name), String(r.column_type)];
      const state = this.tables.get(table.toLowerCase()) ?? { name: table, columns: [], insert: undefined };
      this.tables.set(table.toLowerCase(), state);
      state.columns.push({ name, type: type as ColumnDef['type'] });
    }
  }

  ensureTable(table: TableDef): void {
    this.checkOpen();
    checkNames(table);
    const existing = this.tables.get(table.name.toLowerCase());
    if (existing && existing.name !== table.name) {
      throw new StoreError(
        'E_NAME',
        `table ${table.name} clashes with the stored table ${existing.name}: names differ only in case`,
      );
    }
    const state: TableState = existing ?? { name: table.name, columns: [], insert: undefined };
    const have = new Map(state.columns.map((c) => [c.name.toLowerCase(), c]));
    const added: ColumnDef[] = [];
    for (const c of table.columns) {
      const old = have.get(c.name.toLowerCase());
      if (!old) added.push(c);
      else if (old.name !== c.name || old.type !== c.type) {
        throw new StoreError(
          'E_COLUMN_TYPE',
          `table ${table.name}: column ${c.name} (${c.type}) is stored as ${old.name} (${old.type}); ` +
            'a stored column keeps its name and type, so use a new column name, or delete the data file to start over',
        );
      }
    }
    if (existing && added.length === 0) return;
    this.transaction(() => {
      const t = quoteIdentifier(table.name);
      if (!existing) {
        const defs = added.map((c) => `${quoteIdentifier(c.name)} ${sqlType(c.type)}`);
        this.db.exec(
          `CREATE TABLE ${t} (${[...defs, `${quoteIdentifier(TIME_RECEIVED)} TEXT NOT NULL`].join(', ')})`,
        );
      } else {
        for (const c of added)
          this.db.exec(`ALTER TABLE ${t} ADD COLUMN ${quoteIdentifier(c.name)} ${sqlType(c.type)}`);
      }
      const meta = this.db.prepare(
        `INSERT INTO ${quoteIdentifier(META)} (table_name, column_name, column_type) VALUES (?, ?, ?)`,
      );
      for (const c of added) meta.run(table.name, c.name, c.type);
    });
    state.columns.push(...added);
    state.insert = undefined;
    this.tables.set(table.name.toLowerCase(), state);
  }

  insert(table: string, rows: readonly Row[], receivedAt: Date): number {
    const state = this.table(table);
    const columns = state.columns;
    state.insert ??= this.db.prepare(
      `INSERT INTO ${quoteIdentifier(state.name)} (${[...columns.map((c) => c.name), TIME_RECEIVED]
        .map(quoteIdentifier)
        .join(', ')}) VALUES (${columns.map(() => '?').join(', ')}${columns.length > 0 ? ', ' : ''}?)`,
    );
    const statement = state.insert;
    const values: SQLInputValue[] = new Array<SQLInputValue>(columns.length + 1).fill(null);
    values[columns.length] = isoDateTime(receivedAt);
    this.transaction(() => {
      for (const row of rows) {
        for (let i = 0; i < columns.length; i++) {
          const c = columns[i];
          if (c) values[i] = encodeValue(c.type, row[c.name]);
        }
        statement.run(...values);
      }
    });
    return rows.length;
  }

  *scan(table: string): Iterable<Row> {
    const state = this.table(table);
    const columns = [...state.columns, { name: TIME_RECEIVED, type: 'datetime' as const }];
    const statement = this.db.prepare(`SELECT * FROM ${quoteIdentifier(state.name)} ORDER BY rowid`);
    statement.setReadBigInts(true);
    for (const stored of statement.iterate()) {
      const row: Row = {};
      for (const c of columns) row[c.name] = decodeValue(c.type, stored[c.name] ?? null);
      yield row;
    }
  }

  count(table: string): number {
    const state = this.table(table);
    const r = this.db.prepare(`SELECT count(*) AS n FROM ${quoteIdentifier(state.name)}`).get();
    return Number(r?.n ?? 0);
  }

  columns(table: string): readonly ColumnDef[] | undefined {
    this.checkOpen();
    const state = this.tables.get(table.toLowerCase());
    return state ? [...state.columns] : undefined;
  }

  tableNames(): readonly string[] {
    this.checkOpen();
    return [...this.tables.values()].map((t) => t.name);
  }

  volumePerDay(table: string, columns: readonly string[]): readonly DayVolume[] {
    const state = this.table(table);
    const types = new Map(state.columns.map((c) => [c.name, c.type]));
    const parts = columns.map((name) => {
      const type = types.get(name);
      if (type === undefined)
        throw new StoreError('E_UNKNOWN_COLUMN', `table ${table} has no column ${name}`);
      return textBytesSql(type, quoteIdentifier(name));
    });
    const received = quoteIdentifier(TIME_RECEIVED);
    const time =
      types.get('TimeGenerated') === 'datetime' ? `coalesce("TimeGenerated", ${received})` : received;
    const statement = this.db.prepare(
      `SELECT substr(${time}, 1, 10) AS day, count(*) AS n, total(${parts.join(' + ') || '0'}) AS bytes ` +
        `FROM ${quoteIdentifier(state.name)} GROUP BY day ORDER BY day`,
    );
    return statement.all().map((r) => ({ day: String(r.day), rows: Number(r.n), bytes: Number(r.bytes) }));
  }

  recordWorkspace(workspace: RecordedWorkspace): void {
    this.checkOpen();
    this.transaction(() => {
      writeWorkspace(this.db, workspace);
    });
  }

  recordFunction(fn: RecordedFunction): void {
    this.checkOpen();
    writeFunction(this.db, fn);
  }

  recordedWorkspace(): RecordedWorkspace {
    this.checkOpen();
    return readWorkspace(this.db);
  }

  recordDelivery(id: string, body: string): void {
    this.checkOpen();
    writeDelivery(this.db, id, body);
  }

  recordedDeliveries(): readonly string[] {
    this.checkOpen();
    return readDeliveries(this.db);
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    this.db.close();
  }

  private table(name: string): TableState {
    this.checkOpen();
    const state = this.tables.get(name.toLowerCase());
    if (!state || state.name !== name) {
      throw new StoreError(
        'E_UNKNOWN_TABLE',
        `table ${name} does not exist in the store; known: ${this.tableNames().join(', ') || 'none'}`,
      );
    }
    return state;
  }

  private transaction(work: () => void): void {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      work();
      this.db.exec('COMMIT');
    } catch (e) {
      this.db.exec('ROLLBACK');
      throw e;
    }
  }

  private checkOpen(): void {
    if (!this.open) throw new StoreError('E_CLOSED', 'the store is closed');
  }
}

function checkNames(table: TableDef): void {
  const bad = (what: string, why: string): never => {
    throw new StoreError('E_NAME', `${what} cannot be stored: ${why}`);
  };
  if (table.name === '' || table.name.includes('\0'))
    bad(`table name ${JSON.stringify(table.name)}`, 'empty or has NUL');
  const lower = table.name.toLowerCase();
  if (lower === META || lower === WORKSPACE_TABLE || lower === DELIVERY_TABLE || lower.startsWith('sqlite_'))
    bad(`table ${table.name}`, 'the name is reserved by the store');
  const seen = new Map<string, string>();
  for (const c of table.columns) {
    if (c.name === '' || c.name.includes('\0'))
      bad(`column ${JSON.stringify(c.name)} of ${table.name}`, 'empty or has NUL');
    if (c.name.toLowerCase() === TIME_RECEIVED.toLowerCase())
      bad(`column ${c.name} of ${table.name}`, 'the store adds it');
    const other = seen.get(c.name.toLowerCase());
    if (other !== undefined)
      bad(`column ${c.name} of ${table.name}`, `it clashes with ${other} (names differ only in case)`);
    seen.set(c.name.toLowerCase(), c.name);
  }
}
