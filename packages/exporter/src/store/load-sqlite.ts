// Loads `node:sqlite` for the store, without Node 22's SQLite ExperimentalWarning: the one
// loader is shared with the emulator through @otel-sentinel/mapping.

import { loadNodeSqlite } from '@otel-sentinel/mapping/node-sqlite';
import type { SqliteModule } from '@otel-sentinel/mapping/node-sqlite';

export type { SqliteModule };

/** `node:sqlite`, or a clear error on a Node without it (before 22.13, or built without it). */
export function loadSqlite(): SqliteModule {
  return loadNodeSqlite('the spool');
}
