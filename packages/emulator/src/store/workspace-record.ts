// The workspace recorded in the store's database: the functions and externaldata files the
// running emulator serves, so another process reading the same data directory (`otel-sentinel
// emulator query`) serves the same. One table: a row per function, per file, and the stand-ins flag.

import type { DatabaseSync } from 'node:sqlite';
import type { RecordedFunction, RecordedWorkspace } from '../model.js';

/** The table's name, reserved like the column catalogue's. */
export const WORKSPACE_TABLE = '_otel_sentinel_workspace';
const T = `"${WORKSPACE_TABLE}"`;

export function createWorkspaceTable(db: DatabaseSync): void {
  db.exec(
    `CREATE TABLE IF NOT EXISTS ${T} (kind TEXT NOT NULL, name TEXT NOT NULL, ` +
      'parameters TEXT, body TEXT NOT NULL, source TEXT NOT NULL, PRIMARY KEY (kind, name))',
  );
}

/** Replaces every recorded row (call inside a transaction). */
export function writeWorkspace(db: DatabaseSync, workspace: RecordedWorkspace): void {
  db.exec(`DELETE FROM ${T}`);
  const insert = db.prepare(`INSERT INTO ${T} (kind, name, parameters, body, source) VALUES (?, ?, ?, ?, ?)`);
  for (const fn of workspace.functions)
    insert.run('function', fn.name, fn.parameters ?? null, fn.body, fn.from);
  for (const [url, text] of workspace.files) insert.run('file', url, null, text, url);
  insert.run('setting', 'standIns', null, String(workspace.standIns), 'startEmulator');
}

export function writeFunction(db: DatabaseSync, fn: RecordedFunction): void {
  db.prepare(
    `INSERT OR REPLACE INTO ${T} (kind, name, parameters, body, source) VALUES ('function', ?, ?, ?, ?)`,
  ).run(fn.name, fn.parameters ?? null, fn.body, fn.from);
}

export function readWorkspace(db: DatabaseSync): RecordedWorkspace {
  const functions: RecordedFunction[] = [];
  const files = new Map<string, string>();
  let standIns = true;
  for (const r of db.prepare(`SELECT kind, name, parameters, body, source FROM ${T} ORDER BY rowid`).all()) {
    const [name, body] = [String(r.name), String(r.body)];
    if (r.kind === 'function')
      functions.push({
        name,
        body,
        from: String(r.source),
        ...(typeof r.parameters === 'string' ? { parameters: r.parameters } : {}),
      });
    else if (r.kind === 'file') files.set(name, body);
    else if (r.kind === 'setting' && name === 'standIns') standIns = body === 'true';
  }
  return { functions, files, standIns };
}
