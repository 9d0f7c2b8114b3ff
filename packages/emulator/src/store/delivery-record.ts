// The webhook delivery log in the store's database: one row per delivery, its JSON rewritten
// at every attempt, so a file-backed emulator shows its deliveries again after a restart.

import type { DatabaseSync } from 'node:sqlite';

/** The table's name, reserved like the column catalogue's. */
export const DELIVERY_TABLE = '_otel_sentinel_deliveries';
const T = `"${DELIVERY_TABLE}"`;

export function createDeliveryTable(db: DatabaseSync): void {
  db.exec(`CREATE TABLE IF NOT EXISTS ${T} (id TEXT PRIMARY KEY, body TEXT NOT NULL)`);
}

/** Inserts the delivery, or replaces the one with its id (keeping its place in the order). */
export function writeDelivery(db: DatabaseSync, id: string, body: string): void {
  db.prepare(
    `INSERT INTO ${T} (id, body) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body`,
  ).run(id, body);
}

/** Every delivery's JSON, oldest first. */
export function readDeliveries(db: DatabaseSync): string[] {
  return db
    .prepare(`SELECT body FROM ${T} ORDER BY rowid`)
    .all()
    .map((r) => String(r.body));
}
